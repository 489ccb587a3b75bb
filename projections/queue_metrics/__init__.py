"""The queue metrics view: queue length and waiting time samples."""
