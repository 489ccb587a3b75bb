"""The workers view: registrations and heartbeats merged at read time."""
