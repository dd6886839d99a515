"""Shared helpers: the packaged rules, and awards written as short strings."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from generator.core.model import Award
from generator.core.months import parse_month
from generator.labels.rules import Rules, load_rules

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


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample records built once, as of 2026-11-25, for the browser tests."""
    from tests.browser import build_sample_site

    return build_sample_site(tmp_path_factory.mktemp("sample-site") / "site")


@pytest.fixture(scope="session")
def site_url(sample_site: Path):
    """The sample site served on 127.0.0.1."""
    from tests.browser import serve_folder

    with serve_folder(sample_site) as base:
        yield base


@pytest.fixture(scope="session")
def chromium():
    """One headless Debian chromium for the whole session."""
    from tests.browser import browser

    with browser() as instance:
        yield instance


@pytest.fixture()
def visitor(chromium, site_url):
    """A desktop-sized tab that watches every request and script error."""
    from tests.browser import Visitor

    tab = Visitor(chromium, site_url)
    yield tab
    tab.close()
