"""events.*: telemetry appended and read."""
