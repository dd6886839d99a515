"""What a cluster whose label has ended can still do: renew it within the renewal window, or,
once the window has closed, start a new label with a new assessment. Its page says so.

Pure: a status and the rules in, the figures the page's sentences need out; every figure comes
from the rules (generator/data/rules.yaml), none is written here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.core.months import Month
from generator.labels.rules import Rules
from generator.labels.status import State, Status


@dataclass(frozen=True, slots=True)
class RenewalTerms:
    """How a label that has ended can come back."""

    level: str  # the level's name
    ended: dt.date  # the last day it was valid
    renewable_until: dt.date  # the last day of the renewal window
    open: bool  # the window is still open (the cluster is in renewal); else it has closed
    extended_until: dt.date  # where a renewal inside the window takes the label, with no gap
    extension_months: int  # what a renewal adds, from the end of the label
    new_validity_months: int  # how long a new label is valid once the window has closed


def renewal_terms(status: Status, rules: Rules) -> RenewalTerms | None:
    """The terms for a cluster in renewal or expired; None for a valid label or none yet."""
    if status.state not in (State.RENEWAL, State.EXPIRED):
        return None
    assert status.level_of_record and status.valid_until and status.renewable_until
    level = rules.level(status.level_of_record)
    return RenewalTerms(
        level=level.name,
        ended=status.valid_until,
        renewable_until=status.renewable_until,
        open=status.state is State.RENEWAL,
        extended_until=(
            Month.from_date(status.valid_until) + level.renewal_extension_months
        ).last_day(),
        extension_months=level.renewal_extension_months,
        new_validity_months=level.first_validity_months,
    )
