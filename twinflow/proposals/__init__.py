"""Member State proposals answering a call."""
