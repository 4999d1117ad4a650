"""Calls for proposals through the Member States' National Contact Points: who is an NCP, the
notice it gets when a call opens, and its forwarding (with an internal deadline) to its
country's institutions."""
