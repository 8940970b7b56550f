"""Benchmarks: each prints our figure next to a baseline measured in the same run."""
