"""Documents of a project: uploaded, stored, listed and downloaded under one visibility rule."""
