"""The API's texts are a contract read by programs: English whatever language the user chose
or the client asks for."""

from datetime import date

import pytest

pytestmark = pytest.mark.usefixtures("backend")


def test_the_api_writes_partial_dates_in_english_for_a_user_who_chose_french(cast, session, api):
    project = cast.project
    project.start_on, project.start_precision = date(2019, 3, 1), "month"
    project.end_on, project.end_precision = date(2021, 7, 1), "quarter"
    cast.beneficiary.language = "fr"
    session.commit()
    answer = api.as_(cast.beneficiary).get(
        f"/projects/{project.id}", headers={"Accept-Language": "fr"}
    )
    assert answer.status_code == 200
    body = answer.get_json()
    assert (body["start_display"], body["end_display"]) == ("Mar 2019", "Q3 2021")
