"""A build acts only on what it made itself: a scratch folder beside the output that another user
planted, or that names another output, or a link, is left alone with one warning line; an output
with another file system mounted inside it is refused before anything moves; removing a tree
never follows a link nor crosses a mount.

The other user is real: the tests run as root (as CI does) and plant folders as `nobody`, once
made by root and handed over with chown, once made by `nobody` itself through setpriv. Mounts
are real bind mounts where the machine lets us mount (this sandbox and a privileged CI); where
it does not (a CI container without CAP_SYS_ADMIN), the kernel's answer is stood in for: the
walk is told that the folder lies on another mount.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import generator.build.writer as writer
from generator.build.publish import PREVIOUS, SITE_MARKER, TARGET
from generator.build.writer import remove_tree
from generator.cli import main
from tests.conftest import FIXTURES, ROOT

AS_OF = ["--as-of", "2026-11-25"]
PLANTED = ".clusterdir-build-planted"


def _root_or_skip() -> None:
    """Acting as another user needs root. CI runs as root, so there the test never skips."""
    if os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("these tests must run as root in CI, as another user plants the folders")
        pytest.skip("needs root, to act as another user (CI runs as root)")


def _nobody() -> tuple[int, int]:
    entry = pwd.getpwnam("nobody")
    return entry.pw_uid, entry.pw_gid


def _records(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("norway-is-no.yaml", "every-field.yaml"):
        shutil.copy(FIXTURES / "good" / name, folder / name)
    return folder


def _build(data: Path, out: Path, capsys) -> tuple[int, list[str]]:
    """Build quietly, for a known address; the exit code and the lines on stderr (warnings and
    errors only)."""
    command = ["build", "--data", str(data), "--out", str(out), *AS_OF, "--quiet"]
    code = main([*command, "--site-url", "https://example.org/"])
    return code, capsys.readouterr().err.splitlines()


def _state(top: Path) -> dict[str, tuple[int, int, bytes | str | None]]:
    """Everything below `top` (itself included) as seen without following a link: each path's
    mode, owner and content (a link's target)."""
    found = {}
    for path in [top, *sorted(top.rglob("*"))] if not top.is_symlink() else [top]:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            content: bytes | str | None = os.readlink(path)
        elif stat.S_ISREG(info.st_mode):
            content = path.read_bytes()
        else:
            content = None
        found[str(path.relative_to(top.parent))] = (info.st_mode, info.st_uid, content)
    return found


def _plant(folder: Path, target: str, owner: tuple[int, int] | None = None) -> Path:
    """A scratch folder as a killed build would leave it, naming `target`, holding a site."""
    (folder / PREVIOUS).mkdir(parents=True)
    (folder / TARGET).write_text(target)
    (folder / PREVIOUS / SITE_MARKER).write_text("not a site a build made\n")
    (folder / PREVIOUS / "sitecustomize.py").write_text("print('runs as root')\n")
    if owner is not None:
        for path in [folder, *folder.rglob("*")]:
            os.lchown(path, *owner)
    return folder


def _warning(folder: Path, reason: str) -> str:
    return f"clusterdir: warning: left '{folder}' alone: {reason}"


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder every user may write in, as /tmp (sticky), outside root's own pytest folder."""
    folder = Path(tempfile.mkdtemp(prefix="clusterdir-shared-"))
    folder.chmod(0o1777)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("names", ["another path", "this output"])
def test_a_scratch_folder_another_user_planted_is_left_alone(tmp_path, capsys, names):
    _root_or_skip()
    out = tmp_path / "site"
    elsewhere = tmp_path / "site-packages" / "sitecustomize"
    elsewhere.parent.mkdir()
    target = str(elsewhere if names == "another path" else out)
    planted = _plant(tmp_path / PLANTED, target, _nobody())
    before = _state(planted)
    code, err = _build(_records(tmp_path / "records"), out, capsys)
    assert code == 0
    assert err == [_warning(planted, "it belongs to another user")]
    assert not elsewhere.exists()
    assert _state(planted) == before
    assert (out / "index.html").is_file() and not (out / "sitecustomize.py").exists()


def _as_nobody(script: str, *args: str) -> None:
    """Run a shell script as the unprivileged user `nobody`, as a hostile local user would."""
    uid, gid = _nobody()
    if shutil.which("setpriv"):
        prefix = ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups"]
    else:
        prefix = ["runuser", "-u", "nobody", "--"]
    subprocess.run([*prefix, "sh", "-c", script, "sh", *args], check=True, cwd="/")


PLANT_SCRIPT = """
mkdir -p "$1/previous-output" &&
printf %s "$2" > "$1/.target" &&
printf 'print("runs as root")\\n' > "$1/previous-output/sitecustomize.py" &&
: > "$1/previous-output/.clusterdir-site" &&
test "$(id -u)" != 0
"""


def test_a_build_as_root_leaves_alone_a_scratch_folder_an_unprivileged_user_planted(
    tmp_path, shared, capsys
):
    _root_or_skip()
    out = shared / "site"
    elsewhere = tmp_path / "site-packages" / "sitecustomize"  # where root's Python would run it
    elsewhere.parent.mkdir()
    planted = shared / PLANTED
    _as_nobody(PLANT_SCRIPT, str(planted), str(elsewhere))
    assert planted.stat().st_uid == _nobody()[0]
    before = _state(planted)
    code, err = _build(_records(tmp_path / "records"), out, capsys)
    assert code == 0
    assert err == [_warning(planted, "it belongs to another user")]
    assert not elsewhere.exists()
    assert _state(planted) == before
    assert (out / SITE_MARKER).is_file()


def test_a_link_an_unprivileged_user_planted_as_a_scratch_folder_is_not_followed(
    tmp_path, shared, capsys
):
    _root_or_skip()
    out = shared / "site"
    # A folder of root's that looks like a killed build of this very output: were the link
    # followed, the build would put its "old site" in place and delete the folder.
    decoy = tmp_path / "decoy"
    _plant(decoy, str(out))
    decoy.chmod(0o700)
    link = shared / PLANTED
    _as_nobody('ln -s "$1" "$2"', str(decoy), str(link))
    before, link_before = _state(decoy), os.lstat(link)
    code, err = _build(_records(tmp_path / "records"), out, capsys)
    assert code == 0
    assert err == [_warning(link, "it is a link, which a build never follows")]
    assert _state(decoy) == before
    assert os.path.samestat(os.lstat(link), link_before) and link.is_symlink()
    assert not (out / "sitecustomize.py").exists()


def test_a_scratch_folder_that_names_another_output_is_left_alone(tmp_path, capsys):
    out = tmp_path / "site"
    other = tmp_path / "other-site"
    planted = _plant(tmp_path / PLANTED, str(other))
    planted.chmod(0o700)
    before = _state(planted)
    code, err = _build(_records(tmp_path / "records"), out, capsys)
    assert code == 0
    assert err == [_warning(planted, f"it does not name this build's output '{out}'")]
    assert not other.exists() and _state(planted) == before


def test_a_scratch_folder_whose_old_site_is_a_link_is_left_alone(tmp_path, capsys):
    out = tmp_path / "site"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / SITE_MARKER).write_text("x\n")
    (outside / "keep.txt").write_text("keep\n")
    planted = tmp_path / PLANTED
    planted.mkdir(mode=0o700)
    (planted / TARGET).write_text(str(out))
    (planted / PREVIOUS).symlink_to(outside)
    before, outside_before = _state(planted), _state(outside)
    code, err = _build(_records(tmp_path / "records"), out, capsys)
    assert code == 0
    assert err == [_warning(planted, "the old site in it is a link or not a folder")]
    assert _state(planted) == before and _state(outside) == outside_before
    assert not out.is_symlink() and not (out / "keep.txt").exists()


def test_a_scratch_folder_that_is_a_link_is_left_alone(tmp_path, capsys):
    out = tmp_path / "site"
    decoy = _plant(tmp_path / "decoy", str(out))
    decoy.chmod(0o700)
    link = tmp_path / PLANTED
    link.symlink_to(decoy)
    before = _state(decoy)
    code, err = _build(_records(tmp_path / "records"), out, capsys)
    assert code == 0
    assert err == [_warning(link, "it is a link, which a build never follows")]
    assert _state(decoy) == before and link.is_symlink()


def test_a_scratch_folder_others_may_write_in_is_left_alone(tmp_path, capsys):
    out = tmp_path / "site"
    planted = _plant(tmp_path / PLANTED, str(out))
    planted.chmod(0o777)
    before = _state(planted)
    code, err = _build(_records(tmp_path / "records"), out, capsys)
    assert code == 0
    assert err == [_warning(planted, "others may write in it")]
    assert _state(planted) == before


def test_a_scratch_folder_whose_old_site_clusterdir_did_not_build_is_left_alone(tmp_path, capsys):
    out = tmp_path / "site"
    planted = tmp_path / PLANTED
    (planted / PREVIOUS).mkdir(parents=True)
    planted.chmod(0o700)
    (planted / TARGET).write_text(str(out))
    (planted / PREVIOUS / "notes.txt").write_text("mine\n")
    before = _state(planted)
    code, err = _build(_records(tmp_path / "records"), out, capsys)
    assert code == 0
    assert err == [_warning(planted, "the old site in it is not a site that clusterdir built")]
    assert _state(planted) == before


def test_a_scratch_folder_name_with_control_characters_is_shown_escaped(tmp_path, capsys):
    _root_or_skip()
    out = tmp_path / "site"
    planted = _plant(tmp_path / ".clusterdir-build-\x1b]0;owned\x07\nok", str(out), _nobody())
    code, err = _build(_records(tmp_path / "records"), out, capsys)
    assert code == 0
    assert err == [
        f"clusterdir: warning: left '{tmp_path}/.clusterdir-build-\\x1b]0;owned\\x07\\nok' alone:"
        " it belongs to another user"
    ]
    assert planted.is_dir()


def _unmount_below(folder: Path) -> None:
    """Unmount every mount point below `folder`, deepest first."""
    points = []
    with open("/proc/self/mountinfo", encoding="utf-8") as table:
        for line in table:
            point = line.split()[4].encode().decode("unicode_escape")  # \040 for a space
            if point.startswith(f"{folder}/"):
                points.append(point)
    for point in sorted(points, reverse=True):
        subprocess.run(["umount", "-l", point], check=False)


@contextlib.contextmanager
def _mounted(where: Path, source: Path, monkeypatch) -> Iterator[None]:
    """`source` bind-mounted at `where`. Where mounting is not allowed, `source` is moved to
    `where` and the walk is told that it lies on another mount, as the kernel would say."""
    where.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "--bind", str(source), str(where)], capture_output=True, check=False
    )
    if mounted.returncode == 0:
        try:
            yield
        finally:
            _unmount_below(source.parent)  # wherever a failing build may have moved the mount
        return
    where.rmdir()
    identity = os.stat(source)
    os.rename(source, where)
    real_mount_of = writer.mount_of

    def mount_of(handle: int) -> tuple[int, int]:
        if os.path.samestat(os.fstat(handle), identity):
            return identity.st_dev, -1
        return real_mount_of(handle)

    try:
        with monkeypatch.context() as patch:
            patch.setattr(writer, "mount_of", mount_of)
            yield
    finally:
        os.rename(where, source)


def test_an_output_with_a_mount_point_inside_is_refused_before_anything_moves(
    tmp_path, capsys, monkeypatch
):
    out = tmp_path / "site"
    data = _records(tmp_path / "records")
    assert _build(data, out, capsys) == (0, [])
    disk = tmp_path / "disk"
    disk.mkdir()
    (disk / "precious.txt").write_text("keep me\n")
    with _mounted(out / "mnt", disk, monkeypatch):
        before = _state(out)
        code = main(["build", "--data", str(data), "--out", str(out), *AS_OF, "--quiet"])
        err = capsys.readouterr().err
        assert code == 1
        assert err == (
            f"clusterdir: error: refusing to replace '{out}': '{out}/mnt' inside it is a mount"
            " point: unmount it, or build into another folder\n"
        )
        assert _state(out) == before
        assert (out / "mnt" / "precious.txt").read_text() == "keep me\n"
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".clusterdir-")]
    assert (disk / "precious.txt").read_text() == "keep me\n"


def test_removing_a_tree_never_follows_a_link_out_of_it(tmp_path):
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    (outside / "file.txt").write_text("keep\n")
    (outside / "deep" / "file.txt").write_text("keep\n")
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    (tree / "sub" / "a.txt").write_text("a\n")
    (tree / "to-folder").symlink_to(outside)
    (tree / "sub" / "to-file").symlink_to(outside / "file.txt")
    before = _state(outside)
    remove_tree(tree)
    assert not tree.exists() and not tree.is_symlink()
    assert _state(outside) == before


def test_removing_a_tree_that_is_a_link_leaves_the_link_and_its_folder(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "file.txt").write_text("keep\n")
    link = tmp_path / "tree"
    link.symlink_to(outside)
    remove_tree(link)
    assert link.is_symlink() and (outside / "file.txt").read_text() == "keep\n"


def test_removing_a_tree_never_crosses_into_a_mounted_folder(tmp_path, monkeypatch):
    disk = tmp_path / "disk"
    (disk / "inner").mkdir(parents=True)
    (disk / "inner" / "precious.txt").write_text("keep me\n")
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    (tree / "sub" / "a.txt").write_text("a\n")
    with _mounted(tree / "sub" / "mnt", disk, monkeypatch):
        remove_tree(tree)
        assert (tree / "sub" / "mnt" / "inner" / "precious.txt").read_text() == "keep me\n"
        assert not (tree / "sub" / "a.txt").exists()
    assert (disk / "inner" / "precious.txt").read_text() == "keep me\n"


@pytest.mark.parametrize("kind", ["killed build", "killed while starting", "empty old output"])
def test_a_stale_scratch_folder_this_user_made_for_this_output_is_still_removed(tmp_path, kind):
    from generator.build.publish import _clean_stale_scratch

    out = tmp_path / "site"
    if kind == "killed while starting":  # before it named its output, over a minute ago
        stale = tmp_path / ".clusterdir-new-killed"
        (stale / "tree").mkdir(parents=True)
        os.utime(stale, (0, 0))
    else:
        stale = tmp_path / ".clusterdir-build-killed"
        (stale / "tree").mkdir(parents=True)
        (stale / TARGET).write_text(str(out))
        if kind == "empty old output":  # an empty output folder, moved aside by the swap
            (stale / PREVIOUS).mkdir()
    stale.chmod(0o700)
    warnings: list[str] = []
    _clean_stale_scratch(out, warnings.append)
    assert warnings == [] and not stale.exists()
    # The empty folder the output was is put back; the others held no old output.
    assert (list(out.iterdir()) == []) if kind == "empty old output" else not out.exists()


def test_a_scratch_folder_a_live_build_holds_is_left_alone_without_a_word(tmp_path):
    import fcntl

    from generator.build.publish import _clean_stale_scratch

    out = tmp_path / "site"
    live = tmp_path / ".clusterdir-build-live"
    live.mkdir(mode=0o700)
    (live / TARGET).write_text(str(tmp_path / "other-site"))
    handle = os.open(live, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        warnings: list[str] = []
        _clean_stale_scratch(out, warnings.append)
        assert warnings == [] and (live / TARGET).exists()
    finally:
        os.close(handle)


def test_an_output_that_is_a_bind_mount_is_refused(tmp_path, capsys, monkeypatch):
    # A bind mount of a folder of the same disk has the same device number as its parent,
    # which os.path.ismount alone does not see.
    disk = tmp_path / "disk"
    disk.mkdir()
    out = tmp_path / "site"
    with _mounted(out, disk, monkeypatch):
        code = main(
            ["build", "--data", str(_records(tmp_path / "records")), "--out", str(out), *AS_OF]
        )
        assert code == 1
        assert capsys.readouterr().err == (
            f"clusterdir: error: '{out}' is a mount point, which cannot be replaced: build into a"
            " folder inside it\n"
        )
        assert list(out.iterdir()) == []


# Modules that a build imports (our process: idna, yaml; MkDocs: colorama; Pagefind's wrapper:
# pagefind_bin), each planted to leave a mark if it ever runs.
PLANTED_MODULES = ("idna", "yaml", "colorama", "pagefind_bin")


def test_a_module_planted_in_the_working_folder_never_runs_in_a_build(tmp_path, shared):
    _root_or_skip()
    mark = tmp_path / "ran-as-root"
    plant = " && ".join(
        f'printf "open(\\"$1\\", \\"w\\").write(\\"ran\\")\\n" > "$2/{name}.py"'
        for name in PLANTED_MODULES
    )
    _as_nobody(plant, str(mark), str(shared))
    records = _records(shared / "clusters")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"}
    # `python -m generator` from the shared folder, as the attacks run it.
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--data", str(records), *AS_OF, "--quiet"],
        cwd=shared,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    # A quiet build says only that the site's address is not set (no --site-url here).
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if "site's address" not in line] == []
    assert not mark.exists()
    assert (shared / "site" / SITE_MARKER).is_file()


def test_a_scratch_folder_another_user_swaps_for_their_own_is_never_read_by_mkdocs(
    tmp_path, shared, capsys, monkeypatch
):
    # The output's folder is writable by everyone, without the sticky bit (a group's shared
    # folder): another user may rename what root makes there. Once the tree is written, they
    # move the build's scratch folder aside and put a folder of theirs in its place, whose
    # mkdocs.yml has a hook: were MkDocs given the scratch folder's name, it would run the hook
    # as root.
    _root_or_skip()
    import generator.build.build as building

    open_folder = shared / "open"
    open_folder.mkdir()
    open_folder.chmod(0o777)
    mark, hook = tmp_path / "hook-ran", tmp_path / "hook.py"
    hook.write_text(f"open({str(mark)!r}, 'w').write('ran as root')\n")
    hook.chmod(0o644)
    real_submit = building.Engine.submit
    swapped: list[Path] = []

    def swapped_then_submit(engine, tree: Path, site: Path) -> None:
        if not swapped:  # before the engine reads the first tree
            (scratch,) = open_folder.glob(".clusterdir-build-*")
            _as_nobody(
                'mv "$1" "$1.moved" && mkdir -p "$1/tree/content" && chmod -R 777 "$1" &&'
                ' printf "site_name: x\\ndocs_dir: content\\nhooks:\\n  - %s\\n" "$2"'
                ' > "$1/tree/mkdocs.yml" && echo "# x" > "$1/tree/content/index.md"',
                str(scratch),
                str(hook),
            )
            swapped.append(scratch)
        real_submit(engine, tree, site)

    monkeypatch.setattr(building.Engine, "submit", swapped_then_submit)
    out = open_folder / "site"
    code, err = _build(_records(tmp_path / "records"), out, capsys)
    assert swapped and not mark.exists()
    assert (code, err) == (0, [])
    assert (out / SITE_MARKER).is_file() and (out / "clusters" / "index.html").is_file()
    assert out.stat().st_uid == 0
