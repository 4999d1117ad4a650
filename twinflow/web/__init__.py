"""The web UI's shared parts: base templates, static assets, dashboard, helpers, error pages."""
