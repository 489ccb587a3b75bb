"""Benchmarks: run against a live stack; see bench/RESULTS.md."""
