"""The project team: the project leaders, the Resident Twinning Adviser and their counterparts."""
