"""Builds split across machines: `clearinfo build --shard K/N` makes only its share of the PDFs and
audio into a shared cache and leaves the site alone; a plain build then puts the site together from
the cache without making anything, and it is the same, byte for byte, as one build on one machine."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from clearinfo.cache import Shard, parse_shard
from clearinfo.errors import EnvironmentProblem
from clearinfo.project import CACHE_ENV


def _made(out: str) -> dict[str, tuple[int, int]]:
    return {m.group(1).strip(): (int(m.group(2)), int(m.group(3)))
            for m in re.finditer(r"^  (.+?)\s+\d+\.\d s  (\d+) made, (\d+) from the cache$", out, re.M)}


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_shards_fill_the_cache_and_a_plain_build_puts_together_the_same_site(project, run, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764720000")
    config = project / "mkdocs.yml"
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "shared-cache"))
    shares = []
    for k in (1, 2):
        code, out, err = run("build", "-f", config, "--shard", f"{k}/2")
        assert code == 0, err
        assert f"Shard {k}/2: its share of the PDFs and audio is in the cache" in out
        assert not (project / "site").exists()  # a shard's site is never published
        shares.append(_made(out))
    for step in ("Large print PDFs and packs", "Audio"):
        first, second = shares[0][step][0], shares[1][step][0]
        assert first > 0 and second > 0, shares  # the work really was shared
        assert shares[1][step][1] == first  # the second found the first's share, and made none of it
    code, out, err = run("build", "-f", config)
    assert code == 0, err
    assembled = _made(out)
    assert all(made == 0 for made, _ in assembled.values()), assembled  # nothing made again
    assert assembled["Audio"][1] == shares[0]["Audio"][0] + shares[1]["Audio"][0]

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "own-cache"))
    code, out, err = run("build", "-f", config, "-d", tmp_path / "one-machine")
    assert code == 0, err
    together, alone = _files(project / "site"), _files(tmp_path / "one-machine")
    assert sorted(together) == sorted(alone)
    assert [name for name in together if together[name] != alone[name]] == []


def test_every_file_belongs_to_exactly_one_shard():
    names = [f"page-{n}" for n in range(200)]
    for total in (1, 2, 3, 7):
        owners = [[k for k in range(1, total + 1) if Shard(k, total).owns(name)] for name in names]
        assert all(len(o) == 1 for o in owners)
        if total > 1:
            assert len({o[0] for o in owners}) == total  # every shard gets some


@pytest.mark.parametrize("text", ["0/2", "3/2", "2", "a/b", "1/0", ""])
def test_a_share_that_makes_no_sense_is_explained(text):
    with pytest.raises(EnvironmentProblem, match="Give it as K/N"):
        parse_shard(text)
    assert parse_shard(" 2 / 4 ") == Shard(2, 4)
