"""The users view: preferences, profile fields and login passwords."""
