"""The portfolio report: projects by stage, time in stage, overdue deadlines, one timeline."""
