"""Measuring the matcher: read public claim-retrieval benchmarks, run the real matcher, score it."""
