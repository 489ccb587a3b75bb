"""The plots, debug images and vectors view: documents, scroll ids and its reads (read.py)."""
