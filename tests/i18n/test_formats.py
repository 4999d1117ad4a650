"""Each language writes dates, times, amounts, numbers and partial dates its own way; English
exactly as the app always wrote them (pages, e-mails and the API read them)."""

from datetime import UTC, date, datetime

import pytest

from twinflow.i18n import speaking
from twinflow.i18n.formats import date_text, datetime_text, money_text, number_text
from twinflow.partial_dates import format_partial

# French groups thousands with a narrow no-break space and puts € after a no-break space.
NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            ["01 Dec 2026", "01 Dec 2026 14:05 UTC", "EUR 1,200,000", "1234.5", "Sep 2017"],
        ),
        (
            "fr",
            [
                "01 déc. 2026",
                "01 déc. 2026 14:05 UTC",
                f"1{NNBSP}200{NNBSP}000{NBSP}€",
                f"1{NNBSP}234,5",
                "sept. 2017",
            ],
        ),
    ],
)
def test_each_language_writes_dates_times_amounts_numbers_and_months_its_own_way(
    language, expected
):
    moment = datetime(2026, 12, 1, 14, 5, tzinfo=UTC)
    with speaking(language):
        written = [
            date_text(moment),
            datetime_text(moment),
            money_text(1_200_000),
            number_text(1234.5),
            format_partial(date(2017, 9, 1), "month"),
        ]
    assert written == expected


def test_partial_dates_in_french_keep_their_precision():
    with speaking("fr"):
        assert format_partial(date(2017, 1, 1), "year") == "2017"
        assert format_partial(date(2017, 7, 1), "quarter") == "T3 2017"
        assert format_partial(date(2017, 9, 4), "day") == "4 sept. 2017"
        assert format_partial(None, "day") == "—"
