"""The generator's subpackages are stacked in the order of the pipeline: no import runs back up."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
# Lowest first: a module may import from its own stage and from the stages before it.
STACK = ("core", "labels", "records", "site", "build", "editing")
TOP = len(STACK)  # generator/cli.py, commands.py and __main__.py sit above every stage


def _rank(module: str) -> int:
    """The place in STACK of a dotted module name under `generator`, TOP for the command line."""
    parts = module.split(".")
    if module == "generator":  # the package's __init__: its version constants, below everything
        return 0
    if len(parts) > 1 and parts[1] in STACK:
        return STACK.index(parts[1])
    return TOP


def _is_module(name: str) -> bool:
    """Whether `generator.<name>` is a module or package rather than a name in __init__.py."""
    return (PACKAGE / f"{name}.py").exists() or (PACKAGE / name / "__init__.py").exists()


def _module_name(path: Path) -> str:
    """`generator/site/pages.py` as `generator.site.pages`."""
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    return ".".join(p for p in relative.parts if p != "__init__")


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every `generator...` module the file imports, with its line."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "generator":  # a submodule, or a constant of generator/__init__.py
                found += [
                    (node.lineno, f"generator.{a.name}" if _is_module(a.name) else "generator")
                    for a in node.names
                ]
            elif node.module.startswith("generator."):
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("generator.")]
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_lives_in_a_stage_or_is_the_command_line() -> None:
    """Only the command line (cli, commands, __main__) and the package's own files lie flat."""
    flat = {p.name for p in PACKAGE.glob("*.py")}
    assert flat == {"__init__.py", "__main__.py", "cli.py", "commands.py"}
    stages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert stages == set(STACK)  # generator/data holds the rules files, no code


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_import_runs_from_a_lower_stage_to_a_higher_one(path: Path) -> None:
    """core < labels < records < site < build < editing < the command line."""
    own = _rank(_module_name(path))
    upward = [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports {module}"
        for line, module in _imports(path)
        if _rank(module) > own
    ]
    assert not upward
