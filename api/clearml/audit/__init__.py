"""audit.* and <service>.get_history."""
