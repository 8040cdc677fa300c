"""Scorer version: bump when the scoring method (not the rubric) changes."""

SCORER_VERSION = "2.3.0"
