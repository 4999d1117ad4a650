"""Activities of the work plan and their timeline, drawn as a Gantt chart."""
