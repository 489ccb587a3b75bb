"""Write side: command and event types, validation and the pure deciders (no I/O imports)."""
