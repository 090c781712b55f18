"""Claim Workbench: split articles into claims, match them across sources, record verdicts."""

__version__ = "0.1.0"
