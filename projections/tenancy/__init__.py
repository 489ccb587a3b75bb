"""The tenancy view: companies, users and credentials."""
