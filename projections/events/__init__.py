"""The plots, debug images and vectors view: queries, documents, cursors."""
