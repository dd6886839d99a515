"""The type checker's ground rules: mypy runs strict over generator/ (in `make lint`), and what it
is told to overlook is named, narrow and explained."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IGNORE = re.compile(r"#\s*type:\s*ignore(\[[a-z-]+(?:,\s*[a-z-]+)*\])?")
# Settings that would silence mypy for whole modules or whole kinds of error.
BLANKET = ("ignore_errors", "disable_error_code", "follow_imports", "allow_untyped_defs")


def _mypy() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["tool"]["mypy"]


def test_mypy_is_strict_over_the_whole_generator() -> None:
    config = _mypy()
    assert config["strict"] is True and config["files"] == ["generator"]
    assert not [key for key in config if key in BLANKET or key == "ignore_missing_imports"]


def test_only_libraries_without_types_have_their_imports_overlooked() -> None:
    for override in _mypy().get("overrides", []):
        assert set(override) == {"module", "ignore_missing_imports"}, override
        assert not [m for m in override["module"] if m.startswith("generator")], override


def test_every_type_ignore_names_its_error_and_says_why() -> None:
    unexplained = []
    for path in sorted((ROOT / "generator").rglob("*.py")):
        lines = path.read_text("utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            found = IGNORE.search(line)
            if not found:
                continue
            above = lines[number - 2].strip() if number > 1 else ""
            if found.group(1) is None or not above.startswith("#"):
                unexplained.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert unexplained == [], "a `# type: ignore[code]` needs a comment above it saying why"
