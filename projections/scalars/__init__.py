"""The scalars view: series blocks, the downsampling pyramid, documents and its reads (read.py)."""
