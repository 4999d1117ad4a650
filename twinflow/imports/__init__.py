"""Importing existing projects (a CSV or XLSX file with the pinned columns), at any stage."""
