"""Invariants of the label rules, checked on generated award histories."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.core.model import Award
from generator.core.months import Month
from generator.labels.rules import load_rules
from generator.labels.status import Expired, InRenewal, NoLabel, State, Valid, history, status

RULES = load_rules()
LEVELS = st.sampled_from(RULES.level_ids)
MONTHS = st.integers(min_value=Month.of(2005, 1).index, max_value=Month.of(2035, 12).index).map(
    Month
)
AWARDS = st.builds(Award, level=LEVELS, assessed=MONTHS)
DATES = st.dates(min_value=dt.date(2004, 1, 1), max_value=dt.date(2040, 12, 31))


@given(st.lists(AWARDS, max_size=8), st.randoms(use_true_random=False), DATES)
def test_status_never_depends_on_award_order(awards, rnd, as_of):
    shuffled = list(awards)
    rnd.shuffle(shuffled)
    assert status(awards, RULES, as_of) == status(shuffled, RULES, as_of)


def _end(awards: list[Award], level: str) -> Month | None:
    ends = [e.valid_through for e in history(awards, RULES) if e.award.level == level]
    return ends[-1] if ends else None


@given(st.lists(AWARDS, min_size=1, max_size=8), st.integers(min_value=0, max_value=60))
def test_a_later_award_never_shortens_a_validity(awards, gap):
    latest = max(a.assessed for a in awards)
    for level in RULES.level_ids:
        before = _end(awards, level)
        after = _end([*awards, Award(level, latest + gap)], level)
        assert before is None or after >= before


@given(st.lists(AWARDS, max_size=8), DATES)
def test_state_agrees_with_its_dates(awards, as_of):
    s = status(awards, RULES, as_of)
    if s.state is State.VALID:
        assert s.label is not None and s.valid_since <= as_of <= s.valid_until
    elif s.state is State.RENEWAL:
        assert s.label is None and s.valid_until < as_of <= s.renewable_until
    elif s.state is State.EXPIRED:
        assert s.label is None and s.renewable_until < as_of
    else:
        assert s.valid_until is None and all(a.assessed > Month.from_date(as_of) for a in awards)


@given(st.lists(AWARDS, max_size=8), DATES)
def test_each_state_is_its_own_type(awards, as_of):
    # A checker narrows a status by its state only if each state has its own type.
    s = status(awards, RULES, as_of)
    types = {State.VALID: Valid, State.RENEWAL: InRenewal, State.EXPIRED: Expired}
    assert type(s) is types.get(s.state, NoLabel)
    assert (s.label is not None) == (s.state is State.VALID)
    assert (s.level_of_record is None) == (s.state is State.NONE)


@given(st.lists(AWARDS, min_size=1, max_size=8), DATES)
def test_the_label_is_the_highest_level_held(awards, as_of):
    s = status(awards, RULES, as_of)
    if s.label is not None:
        for level in RULES.level_ids[RULES.level(s.label).rank + 1 :]:
            alone = status([a for a in awards if a.level == level], RULES, as_of)
            assert alone.state is not State.VALID


@settings(max_examples=50)
@given(st.lists(AWARDS, min_size=1, max_size=6))
def test_every_award_is_valid_in_its_own_month(awards):
    for award in awards:
        s = status(awards, RULES, award.assessed.first_day())
        assert s.state is State.VALID


@given(st.lists(AWARDS, max_size=8), DATES)
def test_structured_data_and_badge_agree_with_the_status(awards, as_of):
    from generator.site.timeline import timeline
    from generator.site.verify import badge, certifications

    s = status(awards, RULES, as_of)
    certs = certifications(s, RULES)
    active = [c for c in certs if c["certificationStatus"].endswith("CertificationActive")]
    # Exactly the held label is active, with its own dates; a badge is grey when none is held.
    assert len(active) == (1 if s.state is State.VALID else 0)
    if active:
        assert active[0]["expires"] == s.valid_until.isoformat()
        assert active[0]["validFrom"] == s.valid_since.isoformat()
    assert (badge(s, RULES).tone == "grey") == (s.state is not State.VALID)
    tl = timeline(s, RULES)
    assert (tl is None) == (not certs)
    if tl:
        assert len(tl.periods) == len(certs)
        assert all(tl.left <= bar.x and bar.x + bar.width <= tl.right + 0.01 for bar in tl.periods)
        assert tl.left <= tl.as_of_x <= tl.right
