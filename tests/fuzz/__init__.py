"""Property-based fuzzing of the running stack: generated requests, regression cases, health."""
