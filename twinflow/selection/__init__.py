"""The selection's records: eligibility of each proposal, the selection meeting (or written
evaluation), the reserve Member State, the bidders told of the result, the reserve taken up."""
