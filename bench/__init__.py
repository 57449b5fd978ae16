"""Sous benchmarks: scripts that measure the running system and write docs/benchmarks.md.

Run with `uv run python -m bench [--quick] [--only NAME]` (or `./sous bench`).
"""
