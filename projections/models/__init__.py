"""The models view: rows from model events (rows.py) and documents from rows (read.py)."""
