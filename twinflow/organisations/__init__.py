"""Organisations as data: EU Delegations, Commission services, contracting authorities,
beneficiary institutions, Member State institutions and NCPs, with the countries they cover."""
