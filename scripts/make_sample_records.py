"""Generate the INVENTED sample data set: clusters/<iso2>/<slug>.yaml, one file per cluster.

Everything written here is fictional sample data. Names are put together from generic words
and region names in sample_records_vocabulary.yaml (no real organisation is meant), websites
use the reserved example.org domain (RFC 2606), and the label histories are random but follow
the ECEI label rules. The run is deterministic (fixed seed). It deletes and rewrites only the
contents of clusters/, then loads every file back and asserts the figures the site should show:
188 clusters in 28 countries hold a valid label on every day from 2026-11-25 to 2027-06-30,
and 16 more are in renewal or expired (one of them in a 29th country, Liechtenstein).

Run: .venv/bin/python scripts/make_sample_records.py
"""

from __future__ import annotations

import itertools
import json
import random
import re
import shutil
import textwrap
import unicodedata
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "clusters"
VOCAB = yaml.safe_load(
    Path(__file__).with_name("sample_records_vocabulary.yaml").read_text(encoding="utf-8")
)
SEED = 20261125
LEVELS = ("bronze", "silver", "gold")  # lowest to highest


def ym(text: str) -> int:
    """'2024-03' -> a month number (months since year 0)."""
    year, month = text.split("-")
    return int(year) * 12 + int(month) - 1


def fmt(month: int) -> str:
    return f"{month // 12:04d}-{month % 12 + 1:02d}"


WINDOW = range(ym("2026-11"), ym("2027-06") + 1)  # as-of dates 2026-11-25 .. 2027-06-30
LAST_ASSESSED = ym("2026-11")
FIRST_ASSESSED = ym("2012-06")
SECTORS = {s for theme in VOCAB["themes"] for s in theme["sectors"]}
# Clusters holding a label throughout the window, per country: 188 in 28 countries.
CURRENT = {
    "DE": 23, "ES": 17, "FR": 15, "IT": 13, "PL": 12, "AT": 10, "SE": 7, "NL": 7, "BE": 7,
    "CZ": 7, "DK": 6, "FI": 6, "PT": 6, "NO": 6, "TR": 6, "HU": 5, "GR": 5, "RO": 4, "SI": 4,
    "IE": 3, "LT": 3, "LV": 3, "EE": 3, "BG": 3, "HR": 3, "MX": 2, "LU": 1, "MT": 1,
}  # fmt: skip
LEVEL_SPLIT = {"bronze": 103, "silver": 57, "gold": 28}
# Records whose label ran out before the window: in renewal, or expired.
LAPSED = [
    ("DE", "renewal"), ("DE", "expired"), ("ES", "renewal"), ("FR", "expired"),
    ("IT", "renewal"), ("PL", "expired"), ("NO", "renewal"), ("GR", "renewal"),
    ("TR", "expired"), ("PT", "renewal"), ("SE", "expired"), ("AT", "renewal"),
    ("BE", "expired"), ("HU", "renewal"), ("RO", "expired"), ("LI", "expired"),
]  # fmt: skip
# A hand-written name that needs YAML quoting (it has a colon): (name, theme, city index).
SPECIAL = {"IE": ("Atlantic Seaweed Valley: Marine Bioresources Cluster", 3, 1)}
STOPWORDS = {"de", "del", "of", "the", "and", "i", "y", "ve", "di", "da", "do", "e", "et", "du"}
DESCRIPTIONS = (
    "Brings together {n} companies, research groups and training providers working on {area} "
    "in and around {place}.",
    "Member-driven network of {n} partners in {area}. Its focus is on joint R&D projects, "
    "skills and internationalisation of small firms.",
    "Coordinates shared pilot lines, export missions and training in {area} for firms based in "
    "{place}.",
    "Supports about {n} SMEs, start-ups and institutes in {area}, with a regular matchmaking "
    "programme across {place}.",
)
GREEK = dict(
    zip("αβγδεζηθικλμνξοπρσςτυφχψω", "a v g d e z i th i k l m n x o p r s s t y f ch ps o".split(), strict=True)  # noqa: SIM905
)  # fmt: skip
ASCII = {"ł": "l", "ø": "o", "æ": "ae", "ß": "ss", "ı": "i", "đ": "d", "œ": "oe", "ð": "d"}


def slugify(name: str, limit: int = 60) -> str:
    """ASCII file stem of a name: lowercase words joined by '-', cut at a word, <= limit."""
    text = unicodedata.normalize("NFD", name.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    for greek, latin in (("ου", "ou"), ("αυ", "av"), ("ευ", "ev")):
        text = text.replace(greek, latin)
    words = re.sub(r"[^a-z0-9]+", " ", "".join(GREEK.get(c, ASCII.get(c, c)) for c in text))
    slug, *rest = words.split()
    for word in rest:
        if len(slug) + 1 + len(word) > limit:
            break
        slug += "-" + word
    return slug


# --- the label rules ---------------------------------------------------------------------
def runs(awards: list[dict], level: str, asof: int) -> list[list[int]]:
    """Validity periods [start, end] of one level, from the awards assessed up to `asof`."""
    periods: list[list[int]] = []
    for award in sorted((a for a in awards if a["level"] == level), key=lambda a: a["m"]):
        if award["m"] > asof:
            continue
        if not periods or award["m"] > periods[-1][1] + 12:
            periods.append([award["m"], award["m"] + 23])  # first award, or a fresh start
        else:
            periods[-1][1] += 36  # renewal
        if award.get("until") is not None:
            periods[-1][1] = award["until"]
    return periods


def status(awards: list[dict], asof: int) -> str:
    """The cluster's label in month `asof`: a level, 'renewal' or 'expired'."""
    ends: list[int] = []
    for level in reversed(LEVELS):
        periods = runs(awards, level, asof)
        if any(start <= asof <= end for start, end in periods):
            return level
        ends += [end for _, end in periods]
    return "renewal" if ends and asof <= max(ends) + 12 else "expired"


def last_end(awards: list[dict], asof: int) -> int:
    return max(p[1] for level in LEVELS for p in runs(awards, level, asof))


def warnings(awards: list[dict]) -> list[str]:
    found = [f"assessed {fmt(a['m'])}, after 2026-11" for a in awards if a["m"] > LAST_ASSESSED]
    silvers = sorted(a["m"] for a in awards if a["level"] == "silver")
    if silvers:
        bronzes = sorted(a["m"] for a in awards if a["level"] == "bronze" and a["m"] <= silvers[0])
        if len(bronzes) < 2:
            found.append("first silver with fewer than two earlier bronze awards")
        elif not 18 <= bronzes[-1] - bronzes[-2] <= 24:
            found.append("last two bronze awards before the first silver not 18-24 months apart")
    return found


def fits(awards: list[dict], kind: str) -> bool:
    """Whether a history gives `kind`: a level held all through the window, renewal, expired."""
    if warnings(awards) or min(a["m"] for a in awards) < FIRST_ASSESSED:
        return False
    if kind in LEVELS:
        return all(status(awards, m) == kind for m in WINDOW)
    end, now = last_end(awards, WINDOW[0]), status(awards, WINDOW[0])
    if kind == "renewal":
        return now == "renewal" and ym("2025-12") <= end <= ym("2026-10")
    return now == "expired" and end < ym("2025-11")


# --- building the records ----------------------------------------------------------------
def history(rng: random.Random, kind: str) -> list[dict]:
    """A random award history that fits `kind`: bronze -> bronze -> silver -> gold, renewals."""
    for _ in range(100_000):
        top = kind if kind in LEVELS else rng.choices(LEVELS, (5, 3, 2))[0]
        silvers = (1, 1, 2) if top == "silver" else (1, 2)
        counts = {
            "bronze": rng.choice((1, 1, 2, 2, 3) if top == "bronze" else (2, 2, 2, 3)),
            "silver": 0 if top == "bronze" else rng.choice(silvers),
            "gold": rng.choice((1, 1, 2, 3)) if top == "gold" else 0,
        }
        levels = [level for level in LEVELS for _ in range(counts[level])]
        months = [0]
        for prev, nxt in itertools.pairwise(levels):
            if prev == nxt == "bronze":
                gap = rng.randint(18, 30 if top == "bronze" else 24)
            elif prev == nxt:
                gap = rng.randint(20, 35)
            else:
                gap = rng.randint(6, 18) if nxt == "silver" else rng.randint(12, 30)
            months.append(months[-1] + gap)
        lo, hi = ("2024-01", "2026-11") if kind in LEVELS else ("2016-01", "2024-11")
        shift = rng.randint(ym(lo), ym(hi)) - months[-1]
        awards = [{"level": lv, "m": m + shift} for lv, m in zip(levels, months, strict=True)]
        if fits(awards, kind):
            return awards
    raise RuntimeError(f"no history found for {kind}")


def acronym(name: str) -> str:
    words = [w for w in re.split(r"[\s-]+", name) if w and w.lower() not in STOPWORDS]
    return "".join(w[0].upper() for w in words if w[0].isalpha())


def pick_name(rng: random.Random, country: dict, used: set, special: tuple | None):
    """A name not used yet: (name, slug, theme index, city row).

    `used` holds the slugs taken and the (region, theme) pairs taken, so that no two names
    differ only in their pattern ("... Alliance" next to "... Partnership").
    """
    for _ in range(1000):
        row = country["cities"][special[2]] if special else rng.choice(country["cities"])
        tags = row[4] if len(row) > 4 else []
        lang = next((t for t in tags if t in VOCAB["templates"]), None) or rng.choice(
            country["languages"]
        )
        index = special[1] if special else rng.randrange(len(VOCAB["themes"]))
        theme, template = VOCAB["themes"][index], rng.choice(VOCAB["templates"][lang])
        word = theme[lang.split("-")[0]]  # es-MX: Spanish words, Mexican name patterns
        name = special[0] if special else template.format(t=word, r=row[3])
        if not special and theme.get("coastal_only") and "coast" not in tags:
            continue  # no blue economy inland
        if "{t}-" in template and " " in word:
            continue  # "Digitale Produktion-Cluster" is not German
        if slugify(name) not in used and (row[3], index) not in used:
            return name, slugify(name), index, row
    raise RuntimeError("no unique name left")


def make_record(rng: random.Random, cc: str, kind: str, used: set, special=None) -> dict:
    country = VOCAB["countries"][cc]
    name, slug, index, (city, lat, lon, region, *_) = pick_name(rng, country, used, special)
    used.update([slug, (region, index)])
    theme = VOCAB["themes"][index]
    record: dict = {"name": name}
    if rng.random() < 0.45 and 3 <= len(acronym(name)) <= 6:
        record["acronym"] = acronym(name)
    record["country"] = cc
    has_city = rng.random() < 0.9
    if has_city:
        record["city"] = city
        if rng.random() < 0.89:
            record["coordinates"] = [lat, lon]
    record["website"] = f"https://{slug}.example.org/"
    if rng.random() < 0.9:
        extra = rng.choice(("ICT", "Production and engineering", "Energy and environment"))
        sectors = list(theme["sectors"])
        add = rng.random() < 0.3 and extra not in sectors
        record["sectors"] = [*sectors, extra] if add else sectors
    if rng.random() < 0.85:
        template = rng.choice(DESCRIPTIONS)
        place = city if has_city else country["name"]
        n = rng.randrange(25, 260)
        record["description"] = template.format(n=n, area=theme["area"], place=place)
    record["labels"] = history(rng, kind)
    return {"slug": slug, "kind": kind, "data": record}


def build() -> list[dict]:
    rng = random.Random(SEED)
    assert sum(CURRENT.values()) == sum(LEVEL_SPLIT.values()) == 188
    kinds = [level for level, n in LEVEL_SPLIT.items() for _ in range(n)]
    rng.shuffle(kinds)
    jobs = [(cc, kinds.pop()) for cc, n in CURRENT.items() for _ in range(n)] + LAPSED
    used: set = set()
    specials = dict(SPECIAL)
    records = []
    for cc, kind in jobs:
        special = specials.pop(cc, None) if kind in LEVELS else None
        records.append(make_record(rng, cc, kind, used, special))
    # valid_until overrides: a current silver cut back to exactly the window's last month,
    # and a current bronze extended by six months.
    silver = next(
        r
        for r in records
        if r["kind"] == "silver" and last_end(r["data"]["labels"], WINDOW[0]) > WINDOW[-1]
    )
    silver["data"]["labels"][-1]["until"] = WINDOW[-1]
    bronze = next(r for r in records[40:] if r["kind"] == "bronze")
    bronze["data"]["labels"][-1]["until"] = last_end(bronze["data"]["labels"], WINDOW[0]) + 6
    return records


# --- writing YAML --------------------------------------------------------------------------
def scalar(text: str, force: bool = False) -> str:
    """The text as a plain YAML scalar when that reads back as the same text, else quoted."""
    plain = not force and ": " not in text and " #" not in text and text == text.strip()
    plain = plain and text[0] not in "!&*-?[]{}|>@`\"'%,#:"
    if plain:
        try:
            plain = yaml.safe_load(text) == text
        except yaml.YAMLError:
            plain = False
    return text if plain else json.dumps(text, ensure_ascii=False)


# Every record names the JSON Schema, so that editors get completion and errors while typing.
SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/cluster.schema.json"


def render(record: dict) -> str:
    lines = [
        SCHEMA_LINE,
        f"name: {scalar(record['name'], force=any(c in record['name'] for c in ':#'))}",
    ]
    if "acronym" in record:
        lines.append(f"acronym: {scalar(record['acronym'])}")
    lines.append(f"country: {record['country']}")  # plain even for NO: the loader reads text
    if "city" in record:
        lines.append(f"city: {scalar(record['city'])}")
    if "coordinates" in record:
        lat, lon = record["coordinates"]
        lines.append(f"coordinates: [{lat:.2f}, {lon:.2f}]")
    lines.append(f"website: {scalar(record['website'])}")
    if "sectors" in record:
        lines += ["sectors:", *(f"  - {scalar(s)}" for s in record["sectors"])]
    if "description" in record:
        lines += ["description: >-", *textwrap.wrap(record["description"], 94, initial_indent="  ", subsequent_indent="  ")]  # fmt: skip
    lines.append("labels:")
    for award in sorted(record["labels"], key=lambda a: a["m"]):
        lines += [f"  - level: {award['level']}", f"    assessed: {fmt(award['m'])}"]
        if award.get("until") is not None:
            lines.append(f"    valid_until: {fmt(award['until'])}")
    return "\n".join(lines) + "\n"


def write(records: list[dict]) -> None:
    if OUT.exists():
        for child in OUT.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()
    OUT.mkdir(exist_ok=True)
    for record in records:
        folder = OUT / record["data"]["country"].lower()
        folder.mkdir(exist_ok=True)
        (folder / f"{record['slug']}.yaml").write_text(render(record["data"]), encoding="utf-8")


# --- checking what was written --------------------------------------------------------------
def load(path: Path) -> tuple[str, list[dict]]:
    """Read one written file back: (country, awards), checking its fields on the way."""
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    cc = "NO" if data["country"] is False else data["country"]  # safe_load reads NO as False
    assert path.parent.name == cc.lower() and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", path.stem)
    assert len(path.stem) <= 60 and data["website"] == f"https://{path.stem}.example.org/"
    assert isinstance(data["name"], str) and set(data.get("sectors", [])) <= SECTORS
    month = re.compile(r"\d{4}-\d{2}")
    awards = []
    for label in data["labels"]:
        until = label.get("valid_until")
        assert label["level"] in LEVELS and month.fullmatch(label["assessed"])
        assert f"assessed: {label['assessed']}\n" in text and (
            until is None or month.fullmatch(until)
        )
        awards.append({"level": label["level"], "m": ym(label["assessed"]), "until": until and ym(until)})  # fmt: skip
    assert [a["m"] for a in awards] == sorted(a["m"] for a in awards)
    assert not warnings(awards), (path, warnings(awards))
    return cc, awards


def check(records: list[dict]) -> None:
    loaded = {path.stem: load(path) for path in sorted(OUT.glob("*/*.yaml"))}
    assert sorted(loaded) == sorted(r["slug"] for r in records), "files and records differ"
    valid = [{s for s, (_, aw) in loaded.items() if status(aw, m) in LEVELS} for m in WINDOW]
    current = valid[0]
    assert all(v == current for v in valid) and len(current) == 188, [len(v) for v in valid]
    per_country = Counter(loaded[s][0] for s in current)
    assert len(per_country) == 28
    split = Counter(status(loaded[s][1], WINDOW[0]) for s in current)
    lapsed = {s: status(aw, WINDOW[0]) for s, (_, aw) in loaded.items() if s not in current}
    extra_countries = {loaded[s][0] for s in lapsed} - set(per_country)
    assert len(lapsed) >= 14 and extra_countries == {"LI"}
    overrides = [s for s, (_, aw) in loaded.items() if any(a["until"] is not None for a in aw)]
    assert 1 <= len(overrides) <= 3
    datas = [r["data"] for r in records]
    count = lambda test: sum(1 for d in datas if test(d))  # noqa: E731
    print(f"current (valid every month {fmt(WINDOW[0])}..{fmt(WINDOW[-1])}): {len(current)}")
    print(f"countries {len(per_country)}: " + " ".join(f"{c}={n}" for c, n in per_country.most_common()))  # fmt: skip
    print("levels: " + ", ".join(f"{lv}={split[lv]} ({split[lv] / len(current):.0%})" for lv in reversed(LEVELS)))  # fmt: skip
    print(f"not valid in the window: {len(lapsed)} {dict(Counter(lapsed.values()))}; extra country: {sorted(extra_countries)}")  # fmt: skip
    print(f"valid_until overrides: {overrides}")
    print(
        f"files: {len(loaded)}; with coordinates {count(lambda d: 'coordinates' in d)}, "
        f"with sectors {count(lambda d: 'sectors' in d)}, with acronym "
        f"{count(lambda d: 'acronym' in d)}, without city {count(lambda d: 'city' not in d)}, "
        f"with 2+ awards {count(lambda d: len(d['labels']) > 1)}"
    )


def main() -> None:
    records = build()
    assert [render(r["data"]) for r in build()] == [render(r["data"]) for r in records]
    write(records)
    check(records)


if __name__ == "__main__":
    main()
