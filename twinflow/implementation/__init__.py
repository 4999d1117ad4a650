"""Implementation and closure: results, activities, team, reports, changes, documents."""
