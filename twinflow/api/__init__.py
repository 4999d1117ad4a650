"""The REST API (flask-smorest): thin adapters over the engine and the features' operations."""
