"""The docs are tested like code: every field, rule figure, command, option and message is documented,
and the editors' guide's steps run as written."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.cli import build_parser
from generator.model import AWARD_FIELDS, RECORD_FIELDS
from tests.conftest import ROOT
from tests.test_bad_input import EXPECTED, WARNINGS

GUIDE = (ROOT / "docs" / "editors.md").read_text("utf-8")
README = (ROOT / "README.md").read_text("utf-8")


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


@pytest.mark.parametrize("key", [f.key for f in RECORD_FIELDS + AWARD_FIELDS])
def test_every_record_field_is_in_the_guide(key):
    assert f"| `{key}` |" in GUIDE


def _rule_keys() -> set[str]:
    data = yaml.safe_load((ROOT / "generator" / "data" / "rules.yaml").read_text())
    keys = {k for level in data["levels"] for k in level if k not in ("id", "name", "title")}
    return keys | set(data["silver_prerequisite"]) | {"silver_prerequisite"}


@pytest.mark.parametrize("key", sorted(_rule_keys()))
def test_every_rule_figure_is_explained(key):
    assert f"`{key}`" in GUIDE


@pytest.mark.parametrize("name", sorted(_commands()))
def test_every_command_and_option_is_documented(name):
    rows = [line for line in GUIDE.splitlines() if line.startswith(f"| `clusterdir {name}")]
    assert rows, f"clusterdir {name} is missing from the guide's table of commands"
    for action in _commands()[name]._actions:
        for option in action.option_strings:
            if option.startswith("--") and option != "--help":
                assert option in rows[0], f"{option} of clusterdir {name} is not documented"
    assert f"clusterdir {name}" in README, f"clusterdir {name} is missing from the README"


def _documented_messages() -> list[re.Pattern[str]]:
    patterns = []
    for line in GUIDE.split("## What the messages mean", 1)[1].split("\n## ", 1)[0].splitlines():
        match = re.match(r"\| `(.+?)`(?: \((?:warning|info)\))? \|", line)
        if match:
            text = re.escape(match.group(1)).replace(r"\ …", "(?: .*)?").replace("…", ".*")
            patterns.append(re.compile(text))
    return patterns


MESSAGES = (
    [m for _, _, m in EXPECTED]
    + [m for _, _, m in WARNINGS]
    + [
        "'example  cluster' in AT is already listed in tests/fixtures/duplicate-name-same-country/first-record.yaml:1",
        "cluster id 'same-id' is already used by a/same-id.yaml: rename one of the files",
        "not on the map: no coordinates, and no city; add coordinates: [lat, lon]",
    ]
)


@pytest.mark.parametrize("message", MESSAGES)
def test_every_message_is_explained(message):
    assert any(p.fullmatch(message) for p in _documented_messages()), message


def _blocks(heading: str) -> list[str]:
    section = GUIDE.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    return [
        line
        for block in re.findall(r"```sh\n(.*?)```", section, re.S)
        for line in block.splitlines()
    ]


def test_the_guide_steps_run_as_written(tmp_path):
    project = tmp_path / "project"
    for name in ("clusters", "schema", "site_templates"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    steps = (
        _blocks("Adding a cluster")
        + _blocks("Recording a renewal or a new level")
        + _blocks("Labels that end soon")
    )
    assert len(steps) == 5
    outputs = []
    for step in steps:
        result = subprocess.run(
            step, shell=True, cwd=project, env=env, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, f"{step}\n{result.stdout}{result.stderr}"
        outputs.append(result.stdout)
    assert outputs[0] == "clusters/de/cluster-demo-rhein-main.yaml\n"  # as the guide says
    assert outputs[3] == "BRONZE, valid until 30 September 2031\n"  # as the guide says
    assert (
        "# yaml-language-server: $schema=../../schema/cluster.schema.json"
        in (project / "clusters/de/cluster-demo-rhein-main.yaml").read_text()
    )
