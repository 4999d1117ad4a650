"""Interim (quarterly) reports and the final report: drafted, co-signed, approved."""
