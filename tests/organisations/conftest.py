"""Two Delegations covering different countries, a coordinator in each, the headquarters'
coordinator (the cast's) and a Georgian project under way."""

from dataclasses import dataclass

import pytest

from tests.api.conftest import ApiClient
from tests.factories import Cast


@pytest.fixture
def api(app):
    app.config["API_TOKEN_HOURS"] = 24 * 365 * 5
    return ApiClient(app.test_client())


@dataclass
class Delegations:
    cast: Cast
    georgia: object  # the EU Delegation to Georgia (GE)
    armenia: object  # the EU Delegation to Armenia (AM, MD)
    ge: object  # a coordinator of each
    am: object

    @property
    def project(self):
        return self.cast.project


@pytest.fixture
def delegations(make) -> Delegations:
    georgia = make.organisation("EU Delegation to Georgia", countries=["GE"])
    armenia = make.organisation("EU Delegation to Armenia", countries=["AM", "MD"])
    cast = Cast(make)
    ge = make.user("coordinator", organisation_id=georgia.id, email="ge@delegation.example")
    am = make.user("coordinator", organisation_id=armenia.id, email="am@delegation.example")
    return Delegations(cast, georgia, armenia, ge, am)
