"""Settings: the one place that reads the environment; imports nothing of the project."""
