"""A project's image gallery: images uploaded on the project, shown on its public page once a
coordinator marks them public."""
