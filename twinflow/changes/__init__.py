"""Side letters (minor changes) and addenda (major changes), and the figures they change."""
