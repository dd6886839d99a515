"""`check` warns about text that looks like a person's e-mail address or a phone number (the
register names organisations, not people), and lets functional addresses, years, dates and
counts be."""

from __future__ import annotations

import pytest

from generator.records.personal import personal_data

# fmt: off
CASES = [
    # (text, what is found as (kind, text), or nothing)
    ("Questions to maria.rossi@example.org, please.",  [("email", "maria.rossi@example.org")]),
    ("j.smith@example.com",                            [("email", "j.smith@example.com")]),
    ("anna_nowak@firma.example.pl",                    [("email", "anna_nowak@firma.example.pl")]),
    ("jean-pierre.dupont@example.fr",                  [("email", "jean-pierre.dupont@example.fr")]),
    ("Write to info@cluster.example.org",              []),
    ("contact@example.org or office@example.org",      []),
    ("secretariat@example.org",                        []),
    ("press.office@example.org",                       []),
    ("info-de@example.org",                            []),
    ("mrossi@example.org",                             []),  # one word: cannot be told from a role
    ("Tel. +49 30 1234567",                            [("phone", "+49 30 1234567")]),
    ("+33 1 23 45 67 89",                              [("phone", "+33 1 23 45 67 89")]),
    ("Call 0049 89 123456",                            [("phone", "0049 89 123456")]),
    ("Telefon: 030 1234 5678",                         [("phone", "030 1234 5678")]),
    ("phone 089/123456",                               [("phone", "089/123456")]),
    ("Founded in 2008 with 120 members and 2 000 jobs", []),
    ("From 01.02.2023 to 31.12.2024",                  []),
    ("ISO 9001:2015 since 2010-2020",                  []),
    ("A budget of EUR 1 200 000",                      []),
    ("tel: 12",                                        []),
    ("maria.rossi@example.org, +43 1 234 5678",        [("email", "maria.rossi@example.org"),
                                                        ("phone", "+43 1 234 5678")]),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_personal_contact_details_are_found_and_functional_ones_are_not(text, expected):
    assert [(f.kind, f.text) for f in personal_data(text)] == expected
