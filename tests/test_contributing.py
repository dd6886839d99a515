"""The contributors' guide stays true: every path and `path:Name` it mentions exists, and every
`make` target it names is in the Makefile."""

from __future__ import annotations

import ast
import re

import pytest

from tests.conftest import ROOT

GUIDE = (ROOT / "CONTRIBUTING.md").read_text("utf-8")
_PATH = re.compile(
    r"`((?:generator|site_templates|tests|scripts|schema|docs)/[^`:\s]*|[\w.-]+\.(?:md|yml|toml))(?::(\w+))?`"
)


def _mentions() -> list[tuple[str, str | None]]:
    return sorted({(m.group(1), m.group(2)) for m in _PATH.finditer(GUIDE)}, key=str)


@pytest.mark.parametrize(("path", "name"), _mentions(), ids=lambda v: str(v))
def test_every_path_and_name_in_the_guide_exists(path, name):
    target = ROOT / path
    assert target.exists(), f"{path} is named in CONTRIBUTING.md but does not exist"
    if name is None:
        return
    tree = ast.parse(target.read_text("utf-8"))
    defined = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            defined.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            defined.update(t.id for t in targets if isinstance(t, ast.Name))
    assert name in defined, f"{path} has no {name}, which CONTRIBUTING.md names"


def test_the_guide_names_many_places():
    assert len(_mentions()) > 40


@pytest.mark.parametrize("target", sorted(set(re.findall(r"`make (\w[\w-]*)`", GUIDE))))
def test_every_make_target_in_the_guide_exists(target):
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert re.search(rf"(?m)^{re.escape(target)}:", makefile), f"make {target}"
