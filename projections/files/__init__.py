"""The file index read model: rows from file events (rows.py) and the queries on it (read.py)."""
