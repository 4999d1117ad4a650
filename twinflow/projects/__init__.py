"""Twinning projects: creation, listing, references."""
