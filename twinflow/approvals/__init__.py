"""Multi-party approvals of lifecycle transitions."""
