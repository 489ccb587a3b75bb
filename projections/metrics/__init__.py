"""The ts.metrics projection: folds reported events into the telemetry views."""
