"""Project Steering Committee meetings, one each quarter of implementation."""
