"""Reproducible builds (issue 13): the same content always makes the same site, byte for byte, and
every date written into it comes from SOURCE_DATE_EPOCH when that is set.

The cache would hide a difference (a second build takes the first build's files), so each build
here has a cache of its own, empty when it starts."""
from __future__ import annotations

import datetime as dt
import gzip
import io
import re
import struct
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont

from clearinfo import cli
from clearinfo.project import CACHE_ENV
from conftest import make_project, set_option

EPOCH = 1700000000  # 2023-11-14 22:13:20 UTC
DAY = "2023-11-14"
MIDNIGHT = 1699920000  # 2023-11-14 00:00:00 UTC


def build(project: Path, site: Path, cache: Path, monkeypatch) -> None:
    monkeypatch.setenv(CACHE_ENV, str(cache))
    assert not cache.exists()
    code = cli.main(["build", "-f", str(project / "mkdocs.yml"), "-d", str(site)])
    assert code == 0, f"the build into {site} failed"


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.slow  # two whole builds (make test-fast leaves it out)
def test_two_builds_of_the_same_content_give_the_same_files(tmp_path, monkeypatch):
    """Every file (pages, sitemap and its .gz, search index, PDFs, MP3s, timings, transcripts, _headers)
    is the same in two builds made from nothing. Two pages' speech side by side (concurrency 2), as
    on most machines: which process says which page must not change a single sample."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    project = make_project(tmp_path / "project", all_content=True)
    set_option(project, "concurrency: 2")
    first, second = tmp_path / "first", tmp_path / "second"
    build(project, first, tmp_path / "cache-1", monkeypatch)
    build(project, second, tmp_path / "cache-2", monkeypatch)
    one, two = files(first), files(second)
    kinds = {name.rsplit(".", 1)[-1] for name in one}
    assert {"html", "xml", "gz", "json", "pdf", "mp3", "txt"} <= kinds and "_headers" in one
    assert sorted(one) == sorted(two), "the two builds made different files"
    differ = [name for name in one if one[name] != two[name]]
    assert not differ, f"{len(differ)} of {len(one)} files differ between two builds: " + ", ".join(differ)


@pytest.mark.slow  # a real build
def test_the_site_and_its_pdfs_carry_the_date_source_date_epoch_gives(tmp_path, monkeypatch):
    """SOURCE_DATE_EPOCH names the day: the sitemap, the pages Clearinfo writes itself and the PDFs
    say that day, not today. Font subsets keep no time of making at all."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    project = make_project(tmp_path / "project")
    set_option(project, "audio: false")  # not needed here, and the slowest part of a build
    site = tmp_path / "site"
    build(project, site, tmp_path / "cache", monkeypatch)

    sitemap = (site / "sitemap.xml").read_text()
    assert set(re.findall(r"<lastmod>(.*?)</lastmod>", sitemap)) == {DAY}
    packed = (site / "sitemap.xml.gz").read_bytes()
    assert struct.unpack("<I", packed[4:8])[0] == MIDNIGHT  # the gzip header's time
    assert gzip.decompress(packed).decode() == sitemap

    for page in ("coverage", "printed-copies"):  # written by Clearinfo on the day of the build
        html = (site / page / "index.html").read_text()
        assert f'<dt>Last reviewed</dt><dd><time datetime="{DAY}">14 November 2023</time>' in html, page

    pdfs = sorted(site.rglob("*.pdf"))
    assert len(pdfs) >= 3  # large print pages and the packs
    for path in pdfs:
        with pikepdf.open(path) as pdf:
            for name in ("/CreationDate", "/ModDate"):
                assert str(pdf.docinfo.get(name, "none")).startswith("D:20231114000000"), f"{path.name}: {name}"
            meta = pdf.open_metadata()
            for name in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
                assert dt.datetime.fromisoformat(meta[name]) == dt.datetime(2023, 11, 14, tzinfo=dt.timezone.utc)
            fonts = [d[k].read_bytes() for d in pdf.objects if isinstance(d, pikepdf.Dictionary)
                     and d.get("/Type") == "/FontDescriptor" for k in ("/FontFile2", "/FontFile3") if k in d]
            assert fonts, path
            for data in fonts:
                head = TTFont(io.BytesIO(data), checkChecksums=2)["head"]  # checksums mended, or it raises
                assert head.modified == head.created, f"{path.name}: a font subset holds the time it was made"


@pytest.mark.parametrize("value", ["yesterday", "1.5e9"])
def test_a_source_date_epoch_that_is_not_a_number_is_explained(monkeypatch, value):
    from clearinfo.clock import build_date
    from clearinfo.errors import EnvironmentProblem

    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(EnvironmentProblem) as e:
        build_date()
    assert str(e.value).startswith(f"The environment variable SOURCE_DATE_EPOCH is '{value}', but it must be a "
                                   "whole number of seconds since 1 January 1970")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert build_date() == dt.date.today()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    assert build_date() == dt.date(2023, 11, 14)
