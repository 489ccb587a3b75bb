"""The history view: every control-plane event under each aggregate it changed."""
