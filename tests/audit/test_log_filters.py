"""The audit log's project and actor filters match a part of the text, as they always did
(the project's numbers read once, the actor by the trigram index on PostgreSQL)."""

import pytest

from tests.web.conftest import Browser


@pytest.fixture
def admin_browser(app, make):
    return Browser(app).sign_in(make.user("admin"))


def test_a_reference_that_is_part_of_another_names_both_projects(make, admin_browser):
    ministry = "Ministry of Justice of Ukraine"
    beneficiary = make.user("beneficiary", country="UA", organisation=ministry)
    # Historic references are kept as written: "UA/47" is also in "UA/47b".
    make.project(beneficiary, reference="UA/47", beneficiary_institution=ministry)
    make.project(beneficiary, reference="UA/47b", beneficiary_institution=ministry)
    make.project(beneficiary, reference="UA/48", beneficiary_institution=ministry)
    page = admin_browser.text("/admin/audit?project=UA/47")
    assert "2 events match" in page  # the two creations, not UA/48's
    assert "1 event matches" in admin_browser.text("/admin/audit?project=UA/47b")


def test_an_actor_filter_matches_part_of_an_address_and_no_one_is_no_event(make, admin_browser):
    beneficiary = make.user("beneficiary", country="GE", email="nino@justice.gov.ge")
    make.project(beneficiary)
    assert "1 event matches" in admin_browser.text("/admin/audit?actor=JUSTICE.gov")
    assert "0 events match" in admin_browser.text("/admin/audit?actor=nobody-at-all")
