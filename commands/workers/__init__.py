"""Workers: registration (decided) and status reports (telemetry)."""
