"""The worker statistics view: machine stats aggregated per interval."""
