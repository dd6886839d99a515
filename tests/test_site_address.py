"""The site's address with an IPv6 literal: a zone id is refused with one line (MkDocs prints
site_url raw into every page), a plain address is kept, and the tree's mkdocs.yml only ever
holds the address that site_address made safe."""

from __future__ import annotations

import pytest
import yaml

from generator.build.project import Project
from generator.build.settings import read_settings, site_address, tree_config
from generator.cli import main
from generator.core.errors import ConfigError
from generator.labels.rules import load_rules
from tests.conftest import FIXTURES, ROOT

HOSTILE_ZONE = 'http://[fe80::1%"><svg onload=alert(1)>]/'
ZONE_MESSAGE = (
    "the site URL {url} gives a zone id ({zone}) after its IPv6 address, which only this"
    " machine knows: give the address without it"
)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (
            HOSTILE_ZONE,
            ZONE_MESSAGE.format(url=f"'{HOSTILE_ZONE}'", zone='%"><svg onload=alert(1)>'),
        ),
        (
            "http://[fe80::1%é]/",
            ZONE_MESSAGE.format(url="'http://[fe80::1%é]/'", zone="%é"),
        ),
        (
            "http://[fe80::1%25eth0]:8000/",
            ZONE_MESSAGE.format(url="'http://[fe80::1%25eth0]:8000/'", zone="%25eth0"),
        ),
        (
            "http://[fe80::1%\x1b\x07]/",
            ZONE_MESSAGE.format(url="'http://[fe80::1%\\x1b\\x07]/'", zone="%\\x1b\\x07"),
        ),
        (
            "http://[::1]x/",
            "the site URL 'http://[::1]x/' must be an absolute http or https address, such as"
            " https://example.org/directory/, without ? or #",
        ),
        (
            "http://[v1.fe80::a+en1]/",
            "the site URL 'http://[v1.fe80::a+en1]/' must be an absolute http or https address,"
            " such as https://example.org/directory/, without ? or #",
        ),
    ],
    ids=[
        "hostile-zone",
        "non-ascii-zone",
        "encoded-zone",
        "zone-with-escapes",
        "after-bracket",
        "ipvfuture",
    ],
)
def test_an_ipv6_site_address_with_a_zone_id_or_more_is_refused_with_one_line(given, message):
    with pytest.raises(ConfigError) as refused:
        site_address(given)
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("given", "address"),
    [
        ("http://[::1]:8000/", "http://[::1]:8000/"),
        ("http://[FE80::1]/docs", "http://[fe80::1]/docs/"),
    ],
)
def test_a_plain_ipv6_site_address_is_accepted(given, address):
    assert site_address(given) == address


def test_a_zone_id_on_the_command_line_is_one_line_and_nothing_is_written(tmp_path, capsys):
    out = tmp_path / "tree"
    for url in (HOSTILE_ZONE, "http://[fe80::1%é]/"):
        args = ["--data", str(FIXTURES / "site"), "--out", str(out), "--as-of", "2026-11-25"]
        code = main(["generate", *args, "--quiet", "--site-url", url])
        err = capsys.readouterr().err
        assert code == 1 and err.count("\n") == 1, err
        assert err.startswith("clusterdir: error: the site URL ") and "gives a zone id" in err
        assert "internal error" not in err
        assert not out.exists()


@pytest.mark.parametrize(
    ("written", "given", "address"),
    [
        ('https://Example.ORG/a b/"><x>', None, "https://example.org/a%20b/%22%3E%3Cx%3E/"),
        ("https://written.example.org/", "http://[::1]:8000", "http://[::1]:8000/"),
        ("", None, None),
    ],
    ids=["from-mkdocs-yml", "from-the-command-line", "none"],
)
def test_the_trees_mkdocs_yml_holds_only_the_normalised_address(tmp_path, written, given, address):
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    config["site_url"] = written
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), "utf-8")
    settings = read_settings(Project(tmp_path), given)
    tree = yaml.safe_load(tree_config(settings, load_rules()))
    assert tree["site_url"] == address


def test_a_zone_id_in_mkdocs_yml_is_refused_too(tmp_path):
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    config["site_url"] = HOSTILE_ZONE
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), "utf-8")
    with pytest.raises(ConfigError, match="gives a zone id"):
        read_settings(Project(tmp_path))
