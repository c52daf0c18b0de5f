"""Benchmarks shipped with Parcours (``make bench``); they print ratios against
baselines measured in the same run rather than asserting absolute times."""
