"""Task telemetry (events.*): message types and ClearML's ingest checks."""
