"""The lifecycle engine: definitions as data, one shared machine per version. No Flask here."""
