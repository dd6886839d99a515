"""A build reads the project's own files (mkdocs.yml, site_templates/) as it reads records: only
regular files, under the size limit, and a link only to a file inside the folder it belongs in.

A link to /proc/self/environ among the assets would publish the build's environment, secrets
included; a FIFO would hang the build. Each case is one line naming the path, and nothing of
the file is read, printed or published.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build.project import Project, static_files
from generator.build.settings import read_settings
from generator.core.errors import ConfigError
from generator.site.pages import render_site
from tests.conftest import ROOT
from tests.golden import AS_OF, FIXTURE_RECORDS

SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY"
OUTSIDE = "a link to a file outside site_templates is not read: copy the file into it instead"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A copy of the project's settings and templates, to plant files in."""
    folder = tmp_path / "project"
    folder.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(ROOT / "site_templates", folder / "site_templates")
    return folder.resolve()


@pytest.fixture()
def outside(tmp_path: Path) -> Path:
    """A file outside the project that holds a secret."""
    path = tmp_path / "credentials.txt"
    path.write_text(f"aws_secret_access_key = {SECRET}\n")
    return path


def _run(project: Path, command: str, out: Path) -> subprocess.CompletedProcess[str]:
    # A separate process in the project (the command finds it in its working folder), with a
    # secret in its environment and a time limit: a FIFO that blocks must fail the test, not hang it.
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            command,
            "--data",
            str(FIXTURE_RECORDS),
            "--as-of",
            AS_OF.isoformat(),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=project,
        env={**os.environ, "CLUSTERDIR_TEST_SECRET": SECRET, "NO_MKDOCS_2_WARNING": "1"},
        timeout=120,
        check=False,
    )


def _refused(result: subprocess.CompletedProcess[str], *lines: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    for line in lines:
        assert line in result.stdout.splitlines(), result.stdout
    assert "nothing was built" in result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert SECRET not in result.stdout + result.stderr


def _nothing_holds_the_secret(folder: Path) -> None:
    for path in folder.rglob("*") if folder.exists() else []:
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


def test_a_link_to_proc_self_environ_in_the_assets_is_refused_and_the_environment_never_published(
    tmp_path, project
):
    link = project / "site_templates" / "assets" / "env.txt"
    link.symlink_to("/proc/self/environ")
    out = tmp_path / "site"
    result = _run(project, "build", out)
    _refused(result, f"{link}:1:1: error: {OUTSIDE}")
    assert not out.exists()
    _nothing_holds_the_secret(tmp_path)


def test_a_link_to_a_file_outside_in_the_overrides_is_refused(tmp_path, project, outside):
    link = project / "site_templates" / "overrides" / "partials" / "copyright.html"
    link.symlink_to(outside)
    result = _run(project, "build", tmp_path / "site")
    _refused(result, f"{link}:1:1: error: {OUTSIDE}")
    _nothing_holds_the_secret(tmp_path / "site")


def test_a_link_to_a_file_outside_in_the_pages_is_refused(tmp_path, project, outside):
    link = project / "site_templates" / "pages" / "_macros.j2"
    link.unlink()
    link.symlink_to(outside)
    result = _run(project, "build", tmp_path / "site")
    _refused(result, f"{link}:1:1: error: {OUTSIDE}")


def test_a_link_out_to_another_file_of_the_project_is_refused(tmp_path, project):
    # A file beside the templates is no more the site's: .env holds the deployment's keys.
    (project / ".env").write_text(f"TOKEN={SECRET}\n")
    link = project / "site_templates" / "assets" / "config.txt"
    link.symlink_to("../../.env")
    result = _run(project, "build", tmp_path / "site")
    _refused(result, f"{link}:1:1: error: {OUTSIDE}")


def test_a_fifo_in_the_assets_is_refused_without_waiting_for_it(tmp_path, project):
    fifo = project / "site_templates" / "assets" / "waiting.css"
    os.mkfifo(fifo)
    result = _run(project, "build", tmp_path / "site")
    _refused(result, f"{fifo}:1:1: error: a FIFO, not a regular file: not read")


def test_a_link_inside_the_templates_to_a_fifo_is_refused(tmp_path, project):
    fifo = project / "site_templates" / "data" / "pipe"
    os.mkfifo(fifo)
    link = project / "site_templates" / "assets" / "map-data.json"
    link.symlink_to(fifo)
    result = _run(project, "build", tmp_path / "site")
    _refused(
        result,
        f"{fifo}:1:1: error: a FIFO, not a regular file: not read",
        f"{link}:1:1: error: a FIFO, not a regular file: not read",
    )


def test_a_link_to_a_device_in_the_assets_is_refused(tmp_path, project):
    link = project / "site_templates" / "assets" / "zero.bin"
    link.symlink_to("/dev/zero")
    _refused(_run(project, "build", tmp_path / "site"), f"{link}:1:1: error: {OUTSIDE}")


def test_a_link_to_a_folder_in_the_templates_is_not_followed(tmp_path, project, outside):
    link = project / "site_templates" / "assets" / "etc"
    link.symlink_to(outside.parent)
    result = _run(project, "build", tmp_path / "site")
    _refused(
        result,
        f"{link}:1:1: error: a link to a folder is not followed: copy its files into site_templates",
    )
    _nothing_holds_the_secret(tmp_path / "site")


def test_mkdocs_yml_as_a_link_outside_the_project_is_refused_unread(tmp_path, project):
    settings = tmp_path / "elsewhere" / "mkdocs.yml"
    settings.parent.mkdir()
    settings.write_text(f"site_name: {SECRET}\n")
    (project / "mkdocs.yml").unlink()
    (project / "mkdocs.yml").symlink_to(settings)
    result = _run(project, "build", tmp_path / "site")
    _refused(
        result,
        f"{project}/mkdocs.yml:1:1: error: a link to a file outside the project is not read:"
        " copy the file into it instead",
    )


def test_mkdocs_yml_as_a_fifo_is_refused_without_waiting_for_it(tmp_path, project):
    (project / "mkdocs.yml").unlink()
    os.mkfifo(project / "mkdocs.yml")
    result = _run(project, "build", tmp_path / "site")
    _refused(result, f"{project}/mkdocs.yml:1:1: error: a FIFO, not a regular file: not read")


def test_a_template_file_over_the_size_limit_is_refused_unread(tmp_path, project):
    huge = project / "site_templates" / "assets" / "huge.css"
    huge.write_bytes(b"/* */" * 60_000)
    result = _run(project, "build", tmp_path / "site")
    _refused(
        result,
        f"{huge}:1:1: error: the file is 300,000 bytes; a settings or template file must be"
        " under 262,144",
    )


def test_every_refused_file_is_named_in_one_run(tmp_path, project, outside):
    assets = project / "site_templates" / "assets"
    (assets / "a.txt").symlink_to(outside)
    os.mkfifo(assets / "b.txt")
    (project / "site_templates" / "pages" / "c.j2").symlink_to("/proc/self/environ")
    result = _run(project, "build", tmp_path / "site")
    assert result.stdout.count(": error: ") == 3, result.stdout
    assert "3 errors in the project's files; nothing was built" in result.stderr


def test_a_link_that_stays_inside_the_templates_is_published_as_a_plain_copy(tmp_path, project):
    # The decision (project.py): a link that stays in site_templates/ is allowed, as a link
    # that stays in the records folder is; the tree gets a regular file with its bytes.
    (project / "site_templates" / "assets" / "styles.css").symlink_to("directory.css")
    (project / "mkdocs.yml").rename(project / "site-settings.yml")
    (project / "mkdocs.yml").symlink_to("site-settings.yml")  # inside the project: allowed
    tree = tmp_path / "tree"
    result = _run(project, "generate", tree)
    assert result.returncode == 0, result.stderr
    copy = tree / "content" / "assets" / "styles.css"
    assert not copy.is_symlink()
    assert (
        copy.read_bytes() == (project / "site_templates" / "assets" / "directory.css").read_bytes()
    )


def test_the_template_loader_refuses_a_link_out_even_when_nothing_checked_before(project, outside):
    # Jinja reads templates through the same check, so a link made after check_project (or a
    # caller that skips it) still reads nothing.
    link = project / "site_templates" / "pages" / "home.md.j2"
    link.unlink()
    link.symlink_to(outside)
    from generator.labels.rules import load_rules, load_sectors
    from generator.site.directory import build_directory

    settings = read_settings(Project(project))
    directory = build_directory((), load_rules(), AS_OF)
    with pytest.raises(ConfigError) as caught:
        render_site(project / "site_templates" / "pages", directory, settings.site, load_sectors())
    assert str(caught.value) == f"{link}: {OUTSIDE}"
    assert SECRET not in str(caught.value)


def test_the_static_files_reader_refuses_a_fifo_even_when_nothing_checked_before(project):
    fifo = project / "site_templates" / "overrides" / "partials" / "copyright.html"
    os.mkfifo(fifo)
    with pytest.raises(ConfigError) as caught:
        static_files(Project(project))
    assert str(caught.value) == f"{fifo}: a FIFO, not a regular file: not read"


def test_the_settings_reader_refuses_a_link_out_even_when_nothing_checked_before(project, outside):
    (project / "mkdocs.yml").unlink()
    (project / "mkdocs.yml").symlink_to(outside)
    with pytest.raises(ConfigError) as caught:
        read_settings(Project(project))
    assert SECRET not in str(caught.value)
    assert "a link to a file outside the project is not read" in str(caught.value)


def test_site_templates_as_a_link_out_of_the_project_is_refused(tmp_path, project):
    moved = tmp_path / "elsewhere-templates"
    (project / "site_templates").rename(moved)
    (project / "site_templates").symlink_to(moved)
    result = _run(project, "build", tmp_path / "site")
    _refused(
        result,
        f"{project}/site_templates:1:1: error: a link to a folder outside the project is not followed",
    )


def test_site_templates_that_is_not_a_folder_is_refused(tmp_path, project):
    shutil.rmtree(project / "site_templates")
    (project / "site_templates").write_text("not a folder\n")
    result = _run(project, "build", tmp_path / "site")
    _refused(result, f"{project}/site_templates:1:1: error: no site templates folder here")


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            ("theme", "custom_dir"),
            "'custom_dir' must be 'overrides', the build tree's checked copy: MkDocs would read"
            " any other folder unchecked",
        ),
        (
            ("docs_dir",),
            "'docs_dir' must be 'content', the build tree's checked copy: MkDocs would read"
            " any other folder unchecked",
        ),
        (
            ("INHERIT",),
            "'INHERIT' is not allowed: MkDocs would read the other file unchecked; write its"
            " settings into mkdocs.yml",
        ),
    ],
    ids=["custom_dir", "docs_dir", "INHERIT"],
)
def test_mkdocs_yml_may_not_send_mkdocs_to_a_folder_the_build_did_not_check(
    tmp_path, project, outside, setting, message
):
    import yaml

    config = yaml.safe_load((project / "mkdocs.yml").read_text())
    *parents, key = setting
    node = config
    for parent in parents:
        node = node[parent]
    node[key] = str(outside.parent)
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config))
    with pytest.raises(ConfigError) as caught:
        read_settings(Project(project))
    assert str(caught.value) == f"{project}/mkdocs.yml: {message}"


def _add_settings(project: Path, text: str) -> None:
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as settings:
        settings.write("\n" + text)


def _with_list(project: Path, key: str, entries: list[object]) -> None:
    import yaml

    config = yaml.safe_load((project / "mkdocs.yml").read_text())
    config[key] = entries
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))


def _one_line(result: subprocess.CompletedProcess[str], message: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    # Progress lines first (the records are checked before mkdocs.yml is read), then the one error.
    assert result.stderr.splitlines()[-1] == f"clusterdir: error: {message}"
    assert result.stderr.count("error") == 1, result.stderr


@pytest.mark.parametrize("hook", ["absolute", "out of the tree"])
def test_mkdocs_yml_hooks_are_refused_and_never_run(tmp_path, project, hook):
    mark = tmp_path / "hook-ran"
    script = tmp_path / "hook.py"
    script.write_text(f"open({str(mark)!r}, 'w').write('ran')\n")
    # The tree's mkdocs.yml lies in <tmp>/<scratch>/tree: two levels up is <tmp>, beside the site.
    where = str(script) if hook == "absolute" else f"../../{script.name}"
    _add_settings(project, f"hooks:\n  - {where}\n")
    result = _run(project, "build", tmp_path / "site")
    _one_line(
        result,
        f"{project}/mkdocs.yml: 'hooks' is not allowed: MkDocs would run Python files the build"
        " did not check",
    )
    assert not mark.exists()


@pytest.mark.parametrize("extension", ["pymdownx.snippets", "pymdownx.b64"])
def test_a_markdown_extension_that_includes_files_is_refused(tmp_path, project, extension):
    (project / ".env").write_text(f"SECRET={SECRET}\n")
    page = project / "site_templates" / "pages" / "about.md.j2"
    page.write_text(page.read_text() + '\n--8<-- ".env"\n')
    options = {"check_paths": False} if extension == "pymdownx.snippets" else {}
    _with_list(project, "markdown_extensions", [{extension: options}, "tables"])
    out = tmp_path / "site"
    result = _run(project, "build", out)
    _one_line(
        result,
        f"{project}/mkdocs.yml: the Markdown extension '{extension}' is not allowed: it would put"
        " files the build did not check into the pages",
    )
    assert not out.exists()


@pytest.mark.parametrize("plugin", ["material/projects", "info", "privacy", "social"])
def test_a_plugin_that_reads_fetches_or_runs_beyond_the_tree_is_refused(tmp_path, project, plugin):
    _with_list(project, "plugins", ["search", plugin])
    result = _run(project, "generate", tmp_path / "tree")
    _one_line(
        result,
        f"{project}/mkdocs.yml: the plugin '{plugin}' is not allowed: it may read, fetch or run"
        " what the build did not check; the allowed ones are search, tags, meta, offline, typeset",
    )


def test_the_plugins_that_read_only_the_tree_are_kept(project):
    _with_list(project, "plugins", ["search", {"material/tags": {}}, "meta"])
    assert read_settings(Project(project)).config["plugins"][0] == "search"


def test_an_alias_bomb_in_mkdocs_yml_is_refused_before_mkdocs_expands_it(tmp_path, project):
    # Nine lines standing for a billion values: the build hung in MkDocs.
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"] + [
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)
    ]
    _add_settings(project, "extra_values:\n" + "".join(f"  {line}\n" for line in lines))
    first = (project / "mkdocs.yml").read_text().splitlines().index("  " + lines[1]) + 1
    result = _run(project, "build", tmp_path / "site")
    _one_line(
        result,
        f"{project}/mkdocs.yml:{first}: an alias ('*a0') is not allowed: write the value out;"
        " MkDocs would copy it each time it is used",
    )


@pytest.mark.parametrize("nesting", ["brackets", "indentation"])
def test_mkdocs_yml_nested_too_deep_is_one_line_not_an_internal_error(project, nesting):
    deep = 900 if nesting == "brackets" else 600  # both were a RecursionError
    if nesting == "brackets":
        _add_settings(project, "deep: " + "[" * deep + "]" * deep + "\n")
    else:
        _add_settings(project, "deep:\n" + "".join(" " * i + "-\n" for i in range(1, deep)))
    start = len((project / "mkdocs.yml").read_text().splitlines())
    with pytest.raises(ConfigError) as caught:
        read_settings(Project(project))
    message = str(caught.value)
    assert message.startswith(f"{project}/mkdocs.yml:")
    assert message.endswith(": nested deeper than 32 levels")
    assert int(message.split(":")[1]) <= start + 40
