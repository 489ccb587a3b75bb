"""The scalars view: series blocks, the downsampling pyramid and its reads."""
