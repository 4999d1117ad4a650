"""Deadlines set by the lifecycle, and the reminders and escalations they raise."""
