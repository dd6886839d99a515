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

from generator.build.build import NO_SITE_ADDRESS
from generator.cli import build_parser
from generator.core.model import AWARD_FIELDS, RECORD_FIELDS
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


def _documented_messages(section: str = "What the messages mean") -> list[re.Pattern[str]]:
    patterns = []
    for line in GUIDE.split(f"## {section}", 1)[1].split("\n## ", 1)[0].splitlines():
        match = re.match(r"\| `(.+?)`(?: \((?:warning|info)\))? \|", line)
        if match:
            text = re.escape(match.group(1)).replace(r"\ …", "(?: .*)?").replace("…", ".*")
            patterns.append(re.compile(text))
    return patterns


MESSAGES = (
    [m for _, _, m in EXPECTED]
    + [m for _, _, m in WARNINGS]
    + [
        "'example  cluster' in AT is already listed as 'Example Cluster' in tests/fixtures/duplicate-name-same-country/first-record.yaml:1",
        "cluster id 'same-id' is already used by a/same-id.yaml: rename one of the files",
        "not on the map: no coordinates, and no city; add coordinates: [lat, lon]",
        "no ECCP profile: the GOLD award of 2021-06 was made under the rule of 15 November 2019 that"
        " labels go only to organisations listed on the European Cluster Collaboration Platform;"
        " add 'eccp' with the cluster's profile address if you know it",
        "a FIFO, not a regular file: not read",
        "a device, not a regular file: not read",
        "a link to a file outside the records folder is not read: copy the file into it instead",
        "a link to a folder is not followed: move the records into the records folder",
        "a link to a file outside site_templates is not read: copy the file into it instead",
        "a link to a file outside the project is not read: copy the file into it instead",
        "a link to a folder is not followed: copy its files into site_templates",
        "a link to a folder outside the project is not followed",
        "no site templates folder here",
        "a link: finish follows no link in the tree or the site",
        "the line holds a NUL character",
        "bad JSON: Expecting value at column 22",
        "not a cluster page: expected a JSON object of text values id, title, description, body and an object of files",
        "the page's id is empty: a cluster page needs its cluster's id",
        "the page's id '../x' is not a cluster id: lowercase a-z, 0-9 and single hyphens, and none of the site's own addresses",
        "the page's id 'good-cluster' is on line 1 too: two pages cannot share one address",
        "the page's body holds a NUL character",
        "the page's title holds a lone surrogate (\\ud800 to \\udfff), not text",
        "the page's file '../../index.html' is not one that generate writes (badge.svg, status.json)",
        "a page of the site stands where the cluster page of 'good-cluster' would go: nothing replaces it",
        "the file is 1,234 bytes; a file of the tree or the site must be under 100",
        "not a page's fills: expected a JSON object with a 'path' and 'fills', an object of text values among title, description, body",
        "the page's path '../x.md' is not one of a generated page: lowercase a-z, 0-9, '-' and '_' in folders and a name ending in '.md'",
        "the page's path 'about.md' is on line 1 too: two pages cannot share one address",
        "the page's path holds a NUL character",
        "the engine made no page for 'about.md'",
        "the engine's page lacks the markers its body goes between",
        "the engine's page holds a token of another page (a navigation entry without a title in mkdocs.yml?)",
        "/t/site/de: no site in the language of the tree's de/ folder: build /t/tree/de/mkdocs.yml into it with the engine, then run finish",
        "the site has a folder 'de/' of its own, where the pages in 'de' go: nothing replaces it",
        "the file is 300,000 bytes; a settings or template file must be under 262,144",
        "cannot read the folder: Permission denied",
        "a folder, not a record file: rename it",
        "the folder's name holds '\\x1b', which a terminal or a log cannot show as it is: rename the folder; its records are not read",
        "not read: record files end in '.yaml'",
        "website 'http://WWW.Shared.example.org' is also the website of tests/fixtures/same-website-two-records/first-cluster.yaml:3: one record per cluster",
        "website 'https://ex ample.org' has a space in its host",
        "website 'https://a.example.org/\\u200b' holds the invisible character U+200B ZERO WIDTH SPACE: retype the address",
        "website 'https://a.b' has a host that is not a valid domain name",
        "website 'https://exаmple.org/' mixes scripts in the part 'exаmple' of its host (a look-alike address): retype it",
        "website 'https://example.org。com/' has a full stop other than '.' in its host",
        "'country' has spaces around it: write 'DE'",
        "U+2028 LINE SEPARATOR reads as a line break that no editor shows: remove it",
        "website 'https://localhost/' needs a host with a domain, such as example.org",
        "left '/srv/.clusterdir-build-x' alone: it belongs to another user",
        "left '/srv/.clusterdir-build-x' alone: it does not name this build's output '/srv/site'",
        NO_SITE_ADDRESS,
        "assessed 2028-06 is after the as-of date 2026-12-06: the status shown below ignores this award, and check --strict refuses the record until 2028-06",
    ]
)

# What the commands print when they refuse, as the tests pin them (after "clusterdir: error: ").
COMMAND_MESSAGES = [
    "r.yaml has errors; fix them first: r.yaml:2:10: error: write the country code in capitals: 'AT'",
    "the award would make r.yaml invalid: the gold award of 2027-03 is listed twice; nothing was written",
    "cannot add the award to r.yaml safely (its last award does not start a line with '- '): add it under 'labels' by hand; nothing was written",
    "another command is changing 'r.yaml': try again; nothing was written",
    "'r.yaml' changed while the award was being added: run the command again; nothing was written",
    "'r.yaml' is read-only: nothing was written",
    "'r.yaml' has other names (hard links), which a new version would part from it: add the award by hand; nothing was written",
    "'r.yaml' is a link to a file outside the working folder: nothing was read or written",
    "'fifo' is not a regular file: nothing was written",
    "'schema' is a folder: give a file name; nothing was written",
    "'gone.json' is a link to nothing: nothing was written",
    "'clusters/at/x.yaml' already exists: nothing was written",
    "'clusters/lv' is a link to a folder, which check does not follow: nothing was written",
    "cannot write 'r.yaml': No space left on device; nothing was written",
    "cannot add to '/p/summary.md': Is a directory",
    "cannot add to '/p/summary.md': it is not a regular file",
    "no record file at 'r.yaml'",
    "no records folder at 'no-such-folder'",
    "'clusters' and --data 'other' are two folders: give the records folder once",
    "'a-file' is not a folder: give the records folder with --data",
    "no record files under 'empty': nothing was built",
    "3 errors in the project's files; nothing was built",
    "/p/mkdocs.yml: 'custom_dir' must be 'overrides', the build tree's checked copy: MkDocs would read any other folder unchecked",
    "/p/mkdocs.yml: 'INHERIT' is not allowed: MkDocs would read the other file unchecked; write its settings into mkdocs.yml",
    "/p/mkdocs.yml: 'extra.contact' must be an e-mail address such as directory@example.org, or an https address, not 'secretariat at example.org'",
    "/p/mkdocs.yml: 'extra.corrections' must be the https address of a form (for a GitHub issue form, https://github.com/OWNER/REPO/issues/new) or an e-mail address, not 'http://forms.example.org/'",
    "/p/mkdocs.yml: 'extra.labelling_body' must be an https address, not 'www.example.org'",
    "/p/mkdocs.yml: 'extra.accessibility.prepared' must be a day such as 2026-11-25, not '2026-11-25 10:00:00'",
    "/p/mkdocs.yml: 'hooks' is not allowed: MkDocs would run Python files the build did not check",
    "/p/mkdocs.yml: 'extra.languages' must be a list of language codes such as [en, de, fr], not 'de'",
    "/p/mkdocs.yml: 'extra.languages' must be a list of language codes such as [en, de, fr], not ['en', False] (quote a code that YAML reads as true or false: 'no')",
    "/p/mkdocs.yml: 'extra.languages' names 'xx', a language without a catalog (generator/translations/<code>/): the languages are en, de, es, fr, it, pl",
    "/p/mkdocs.yml: 'extra.languages' names 'de' twice",
    "/p/mkdocs.yml: 'extra.languages' must hold en: English is the site's own language, at its root",
    "/p/mkdocs.yml: the Markdown extension 'pymdownx.snippets' is not allowed: it would put files the build did not check into the pages",
    "/p/mkdocs.yml: the plugin 'material/projects' is not allowed: it may read, fetch or run what the build did not check; the allowed ones are search, tags, meta, offline, typeset",
    "/p/mkdocs.yml:110: an alias ('*a0') is not allowed: write the value out; MkDocs would copy it each time it is used",
    "/p/mkdocs.yml:108: nested deeper than 32 levels",
    "9 errors in the tree and the site; site is not finished",
    "refusing to write '/p/site/clusters/x/index.html': a link on its way leads elsewhere",
    "'/p/site/robots.txt' has other names (hard links): nothing was written through it",
    "'countries/de.md': the link 'index.md#nowhere' leads to no page or file of the site",
    "'about.md': the link '/clusters.csv' is absolute: write it relative to the page",
    "'statistics.md': the link '#nowhere' leads to an anchor that its page does not have",
    "mkdocs.yml: markdown_extensions: No module named 'markdown.extensions.nosuch'",
    "mkdocs.yml: 'markdown_extensions' holds 3, which is not an extension's name with its options",
    "refusing to build into '/p/site_templates/site': it lies inside the site templates",
    "refusing to replace '/p/docs': it is not empty and holds no site that clusterdir built",
    "'a-file' is not a folder: give a folder for the site",
    "'site' is a link: give the folder it leads to",
    "'/mnt/site' is a mount point, which cannot be replaced: build into a folder inside it",
    "refusing to replace '/p/site': '/p/site/data' inside it is a mount point: unmount it, or build into another folder",
    "'a-file' is not a folder: generate writes into a new or empty folder",
    "interrupted: nothing was built, /p/site is as it was",
    "interrupted after the new site was put in place in /p/site",
    "interrupted: the tree in /p/tree/ is incomplete",
    "interrupted: /p/site is not finished and may hold some of its cluster pages: build it again with the engine, then run finish",
    "site_templates/pages/country.md.j2:3: byte 0xff is not UTF-8: save the file as UTF-8",
    "/p/site_templates/pages/about.md.j2:1: error in the template: division by zero (ZeroDivisionError)",
    '/p/site_templates/overrides/main.html:3: error in the template: can only concatenate str (not "int") to str (TypeError)',
    "/p/site_templates/pages/about.md.j2:1: 'no_such_name' is undefined",
    "--dev-addr 'localhost' is not HOST:PORT, such as 127.0.0.1:8000",
    "--dev-addr '127.0.0.1:٨٠٠٠': the port '٨٠٠٠' is not a number from 0 to 65535",
    "--dev-addr '::1:8000': write an IPv6 address in brackets, such as [::1]:8000",
    "--dev-addr '[local]:8000': 'local' in brackets is not an IPv6 address",
    "cannot serve on 127.0.0.1:8000: Address already in use",
    "cannot serve on no-such-host.invalid:8000: Name or service not known",
    "cannot serve on a..b:8000: 'a..b' is not a host name: each part between dots holds 1 to 63 characters",
    "fix the records above, then start the preview again",
    "the preview could not answer a request: RuntimeError('a bug')",
    "the row has 7 cells and the header 6: put quotes around a cell that holds the separator",
    "the name cell runs over lines 2 to 3: check the quotes in the row",
    "not written: cannot write 'clusters/lv/x.yaml': No space left on device; nothing was written",
    "a record with the id 'broken-cluster' exists already (clusters/at/broken-cluster.yaml): nothing was written",
    "valid until '2026-02-30' is not a real date",
    "assessed '31.02.2023' is not a real date",
    "valid until '12/01/2023' may be 12 January or 1 December 2023: write the month as YYYY-MM",
    "'2026-W01-1' is not a date: write it as YYYY-MM-DD",
    "'-1' is not a number of months from 0 to 120",
    "/p/generator/data/rules.yaml:50:1: YAML syntax error: expected the node content, but found '<stream end>'",
    "/p/generator/data/rules.yaml: 'first_validity_months' must be a whole number of months from 0 to 120, got None",
    "/p/generator/data/sectors.yaml: expected a list of sector names",
    "the site URL 'ftp://example.org/' must be an absolute http or https address, such as https://example.org/directory/, without ? or #",
    "the site URL 'https://u:p@example.org/' must be an absolute http or https address, such as https://example.org/directory/, without a user name or password",
    "the site URL 'https://exa\\x1bmple.org/' has a bad host name: Codepoint U+001B at position 4 of 'exa\\x1bmple' not allowed",
    "the site URL 'http://[fe80::1%é]/' gives a zone id (%é) after its IPv6 address, which only this machine knows: give the address without it",
]


@pytest.mark.parametrize("message", COMMAND_MESSAGES)
def test_every_command_refusal_is_explained(message):
    patterns = _documented_messages("When a command refuses")
    assert any(p.fullmatch(message) for p in patterns), message


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
    assert outputs[3] == "BRONZE, valid until 30 September 2029\n"  # as the guide says
    assert (
        "# yaml-language-server: $schema=../../schema/cluster.schema.json"
        in (project / "clusters/de/cluster-demo-rhein-main.yaml").read_text()
    )
    # Followed to the letter, the guide leaves records that CI's strict check accepts.
    strict = subprocess.run(
        "clusterdir check --strict",
        shell=True,
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    assert strict.returncode == 0, strict.stdout + strict.stderr


def test_the_command_tables_are_the_ones_the_parser_makes():
    # README.md and the editors' guide hold their command tables between cog markers; cog
    # regenerates them from the argument parser (`make docs`), and --check fails on any drift.
    result = subprocess.run(
        [str(Path(sys.executable).parent / "cog"), "--check", "README.md", "docs/editors.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr + "\nrun `make docs`"
