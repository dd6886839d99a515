"""`make map-drawn`: store folium's drawing of the map without a tile layer, so that a build
need not import folium (with numpy and its 62 templates compiled, a fifth of a second a build).

    python -m scripts.mapdrawn [--check]

Writes generator/site/mapdrawn.py: the framed map's document and the map as a part of a page,
as generator/site/mapfigure.py has folium draw them, with each value that varies from page to
page (the language, the head, the heading, the data block, the way up to the site's root) in
the place of a mark that no escaping changes (mapview.py puts the values in). A build with a
tile layer (extra.map.tiles_url) still has folium draw its map. `--check` writes nothing and
exits 1 when the stored drawing is not what the installed folium draws (tests/test_map.py
checks the same, and that both ways give the same pages).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "generator" / "site" / "mapdrawn.py"


def drawn() -> dict[str, str]:
    """What the installed folium draws, with the marks: FOLIUM (its version), FRAME, PART."""
    from generator.site import mapfigure
    from generator.site.mapview import MARKS
    from generator.site.siteconfig import MapSettings

    settings = MapSettings()
    frame = mapfigure.frame_document(
        settings, MARKS["block"], MARKS["lang"], MARKS["head"], MARKS["heading"], MARKS["up"]
    )
    part = mapfigure.part_document(settings, MARKS["block"], MARKS["up"])
    return {"FOLIUM": version("folium"), "FRAME": frame, "PART": part}


def stored() -> dict[str, str]:
    """What generator/site/mapdrawn.py holds."""
    from generator.site import mapdrawn

    return {"FOLIUM": mapdrawn.FOLIUM, "FRAME": mapdrawn.FRAME, "PART": mapdrawn.PART}


def module_text(values: dict[str, str]) -> str:
    """The text of generator/site/mapdrawn.py (ruff formats it after)."""

    def constant(name: str, text: str) -> str:
        lines = text.splitlines(keepends=True)
        body = "".join(f"    {json.dumps(line, ensure_ascii=False)}\n" for line in lines)
        return f"{name} = (\n{body})\n"

    return (
        '"""folium\'s drawing of the map without a tile layer (written by `make map-drawn`,\n'
        "scripts/mapdrawn.py; do not edit): mapview.py puts each page's values in the place of"
        ' its\nmark (mapview.MARKS)."""\n\n'
        f"FOLIUM = {json.dumps(values['FOLIUM'])}  # the version that drew it\n\n"
        + constant("FRAME", values["FRAME"])
        + "\n"
        + constant("PART", values["PART"])
    )


def main(argv: list[str] | None = None) -> int:
    """Write the stored drawing, or with --check say whether it is current."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    args = parser.parse_args(argv)
    now = drawn()
    if args.check:
        if stored() != now:
            print(f"{TARGET.relative_to(ROOT)} is not what folium draws: run make map-drawn")
            return 1
        return 0
    if stored() != now:
        TARGET.write_text(module_text(now), "utf-8")
        subprocess.run([sys.executable, "-m", "ruff", "format", "--quiet", str(TARGET)], check=True)
        print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
