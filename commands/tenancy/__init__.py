"""Companies, users and their credential pairs."""
