"""Shared helpers: the packaged rules, and awards written as short strings."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from generator.model import Award
from generator.months import parse_month
from generator.rules import Rules, load_rules

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")


@pytest.fixture(scope="session")
def rules() -> Rules:
    """The rules file the generator ships."""
    return load_rules()


def award(text: str) -> Award:
    """'silver 2023-06' or 'silver 2023-06 until 2027-12' as an Award."""
    parts = text.split()
    until = parse_month(parts[3]) if len(parts) == 4 else None
    return Award(parts[0], parse_month(parts[1]), until)


def day(text: str) -> dt.date:
    """An ISO date."""
    return dt.date.fromisoformat(text)
