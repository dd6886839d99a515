"""The ECEI validity and renewal rules, case by case, with the edge months."""

from __future__ import annotations

import pytest

from generator.labels.status import AwardKind, State, history, status
from tests.conftest import award, day

# (case, awards, as-of date, label, state, valid_until, renewable_until)
# fmt: off
CASES = [
    # Rule 1: a first award is valid from its month through month A+23.
    ("first bronze, first day", ["bronze 2024-03"], "2024-03-01", "bronze", "valid", "2026-02-28", "2027-02-28"),
    ("first bronze, last valid day", ["bronze 2024-03"], "2026-02-28", "bronze", "valid", "2026-02-28", "2027-02-28"),
    ("first bronze, day after: renewal", ["bronze 2024-03"], "2026-03-01", None, "renewal", "2026-02-28", "2027-02-28"),
    ("first bronze, last day of window", ["bronze 2024-03"], "2027-02-28", None, "renewal", "2026-02-28", "2027-02-28"),
    ("first bronze, window closed: expired", ["bronze 2024-03"], "2027-03-01", None, "expired", "2026-02-28", "2027-02-28"),
    ("leap February is the last day", ["bronze 2022-03"], "2024-02-29", "bronze", "valid", "2024-02-29", "2025-02-28"),
    ("December to January", ["bronze 2023-01"], "2024-12-31", "bronze", "valid", "2024-12-31", "2025-12-31"),
    ("January after December end", ["bronze 2023-01"], "2025-01-01", None, "renewal", "2024-12-31", "2025-12-31"),
    ("assessed in December", ["silver 2024-12"], "2026-11-30", "silver", "valid", "2026-11-30", "2027-11-30"),
    ("award not yet assessed", ["bronze 2024-03"], "2024-02-29", None, "none", None, None),
    # Rule 4: awards assessed after the as-of month are not known yet.
    ("assessed later in the as-of month counts", ["bronze 2024-03"], "2024-03-01", "bronze", "valid", "2026-02-28", "2027-02-28"),
    ("no awards", [], "2026-01-01", None, "none", None, None),
    # Rule 2: renewals extend from the previous end month by 36 months.
    ("silver renewed in window (issue example)", ["silver 2023-06", "silver 2025-09"], "2025-10-01", "silver", "valid", "2028-05-31", "2029-05-31"),
    ("renewal not yet assessed: in renewal", ["silver 2023-06", "silver 2025-09"], "2025-08-15", None, "renewal", "2025-05-31", "2026-05-31"),
    ("renewal before the end", ["bronze 2024-03", "bronze 2025-11"], "2026-03-01", "bronze", "valid", "2029-02-28", "2030-02-28"),
    ("renewal in first month of window", ["bronze 2024-03", "bronze 2026-03"], "2026-03-01", "bronze", "valid", "2029-02-28", "2030-02-28"),
    ("renewal in last month of window", ["bronze 2024-03", "bronze 2027-02"], "2027-02-01", "bronze", "valid", "2029-02-28", "2030-02-28"),
    ("renewal 13 months after: a new first award", ["bronze 2024-03", "bronze 2027-03"], "2027-03-01", "bronze", "valid", "2029-02-28", "2030-02-28"),
    ("second renewal extends again", ["gold 2018-05", "gold 2020-02", "gold 2023-01"], "2025-06-01", "gold", "valid", "2026-04-30", "2027-04-30"),
    ("renewal across a leap February", ["bronze 2020-03", "bronze 2022-01"], "2025-02-28", "bronze", "valid", "2025-02-28", "2026-02-28"),
    # Rule 3: valid_until sets the end; later renewals extend from it.
    ("override shortens", ["bronze 2024-03 until 2025-06"], "2025-07-01", None, "renewal", "2025-06-30", "2026-06-30"),
    ("override lengthens", ["bronze 2024-03 until 2026-06"], "2026-06-30", "bronze", "valid", "2026-06-30", "2027-06-30"),
    ("renewal extends from the override", ["bronze 2024-03 until 2026-06", "bronze 2027-01"], "2027-01-15", "bronze", "valid", "2029-06-30", "2030-06-30"),
    ("override on a renewal", ["silver 2023-06", "silver 2025-09 until 2027-12"], "2026-01-01", "silver", "valid", "2027-12-31", "2028-12-31"),
    ("override decides the renewal window", ["bronze 2020-01 until 2021-06", "bronze 2022-06"], "2022-07-01", "bronze", "valid", "2024-06-30", "2025-06-30"),
    # Rule 4: the highest valid level wins; otherwise the latest end decides the window.
    ("gold beats bronze", ["bronze 2024-01", "gold 2024-06"], "2025-01-01", "gold", "valid", "2026-05-31", "2027-05-31"),
    ("bronze still valid after gold ended", ["gold 2022-01", "bronze 2023-06"], "2024-06-01", "bronze", "valid", "2025-05-31", "2026-05-31"),
    ("silver and bronze valid: silver", ["bronze 2022-01", "bronze 2023-09", "silver 2024-01"], "2024-02-01", "silver", "valid", "2025-12-31", "2026-12-31"),
    ("latest end decides the window", ["silver 2023-06", "bronze 2023-09"], "2025-09-01", None, "renewal", "2025-08-31", "2026-08-31"),
    ("expired after every window", ["gold 2015-01", "bronze 2016-01"], "2026-01-01", None, "expired", "2017-12-31", "2018-12-31"),
    ("old expiry, new first award", ["bronze 2015-01", "bronze 2025-01"], "2025-06-01", "bronze", "valid", "2026-12-31", "2027-12-31"),
]
# fmt: on


@pytest.mark.parametrize(
    ("awards", "as_of", "label", "state", "valid_until", "renewable_until"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_status_follows_the_rules(rules, awards, as_of, label, state, valid_until, renewable_until):
    st = status([award(a) for a in awards], rules, day(as_of))
    assert st.label == label
    assert st.state is State(state)
    assert (st.valid_until.isoformat() if st.valid_until else None) == valid_until
    assert (st.renewable_until.isoformat() if st.renewable_until else None) == renewable_until


# (case, awards, how each award counts)
# fmt: off
KINDS = [
    ("first", ["bronze 2024-03"], ["first"]),
    ("renewal at exactly 12 months after the end", ["bronze 2024-03", "bronze 2027-02"], ["first", "renewal"]),
    ("new at 13 months after the end", ["bronze 2024-03", "bronze 2027-03"], ["first", "new"]),
    ("levels counted apart", ["bronze 2024-03", "silver 2025-06", "bronze 2025-09"], ["first", "first", "renewal"]),
]
# fmt: on


@pytest.mark.parametrize(
    ("awards", "kinds"), [case[1:] for case in KINDS], ids=[case[0] for case in KINDS]
)
def test_history_classifies_each_award(rules, awards, kinds):
    assert [e.kind for e in history([award(a) for a in awards], rules)] == [
        AwardKind(k) for k in kinds
    ]


def test_renewal_keeps_the_original_start(rules):
    st = status([award("silver 2023-06"), award("silver 2025-09")], rules, day("2026-01-01"))
    assert st.valid_since.isoformat() == "2023-06-01"


def test_new_award_after_window_starts_afresh(rules):
    st = status([award("bronze 2024-03"), award("bronze 2027-03")], rules, day("2027-03-01"))
    assert st.valid_since.isoformat() == "2027-03-01"


def test_award_order_in_the_file_does_not_matter(rules):
    awards = [
        award(a) for a in ["silver 2025-09", "bronze 2021-01", "silver 2023-06", "bronze 2022-10"]
    ]
    assert (
        status(awards, rules, day("2026-01-01")).valid_until
        == status(sorted(awards, key=lambda a: a.assessed), rules, day("2026-01-01")).valid_until
    )


def test_every_figure_comes_from_the_rules_file(rules):
    from dataclasses import replace

    longer = replace(
        rules, levels=tuple(replace(lv, first_validity_months=36) for lv in rules.levels)
    )
    assert (
        status([award("bronze 2024-03")], longer, day("2026-03-01")).valid_until.isoformat()
        == "2027-02-28"
    )
