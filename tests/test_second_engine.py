"""A second engine, for real: ProperDocs (a maintained fork of MkDocs 1.x) builds the bundled site
to the same pages and formats as MkDocs. Same files, the same HTML apart from the generator tag,
the same PDFs (page by page, word for word) and the same audio.

Clearinfo picks the engine with CLEARINFO_ENGINE=properdocs (see build.py). ProperDocs answers
every `import mkdocs...` with its own modules, so it cannot share a process with a MkDocs that has
already run: its build runs in a process of its own, the way a person or a CI pipeline runs it."""
from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from clearinfo.plugin.choice import ENGINE_ENV
from clearinfo.project import CACHE_ENV

# The one line the engine writes about itself: "mkdocs-1.6.1, ..." or "mkdocs-ProperDocs 1.6.7, ...".
GENERATOR = re.compile(r'<meta name="generator" content="([^"]*)">')
BINARY = (".pdf", ".mp3", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".woff", ".woff2", ".ttf", ".otf")


@pytest.fixture(scope="module")
def properdocs_site(built_site, built_site_cache, tmp_path_factory) -> Path:
    """The same project as `built_site`, built again with ProperDocs into a folder of its own. Same
    project and same environment, so every PDF and MP3 comes from the cache MkDocs' build filled."""
    pytest.importorskip("properdocs", reason="pip install properdocs==1.6.7 (it is in the test extras)")
    project = built_site.parent
    site = tmp_path_factory.mktemp("properdocs") / "site"
    done = subprocess.run(
        [sys.executable, "-m", "clearinfo", "build", "-f", str(project / "mkdocs.yml"), "-d", str(site)],
        cwd=project, env={**os.environ, ENGINE_ENV: "properdocs", CACHE_ENV: str(built_site_cache)},
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"the ProperDocs build failed:\n{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stderr, done.stderr
    return site


def _files(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*")) if p.is_file()}


def _text(path: Path) -> str:
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return GENERATOR.sub('<meta name="generator" content="(engine)">', data.decode("utf-8"))


def test_properdocs_really_built_it(built_site, properdocs_site):
    """Not MkDocs twice: each site names the engine that made it."""
    assert GENERATOR.search((built_site / "index.html").read_text(encoding="utf-8"))[1].startswith("mkdocs-1.")
    assert GENERATOR.search((properdocs_site / "index.html").read_text(encoding="utf-8"))[1].startswith(
        "mkdocs-ProperDocs 1.6.")


def test_the_same_files(built_site, properdocs_site):
    assert sorted(_files(properdocs_site)) == sorted(_files(built_site))


def test_the_same_pages_and_text_files(built_site, properdocs_site):
    """Every web page, the search index, the sitemap, timings and transcripts: the same, apart from
    the generator tag."""
    mkdocs_files, properdocs_files = _files(built_site), _files(properdocs_site)
    texts = [name for name in mkdocs_files if not name.lower().endswith(BINARY)]
    assert sum(name.endswith(".html") for name in texts) >= 20, "the bundled site has at least 20 pages"
    different = [name for name in texts if name in properdocs_files
                 and _text(mkdocs_files[name]) != _text(properdocs_files[name])]
    assert not different, f"ProperDocs made these differently: {different}"


def test_the_same_pdfs_and_audio(built_site, properdocs_site):
    mkdocs_files, properdocs_files = _files(built_site), _files(properdocs_site)
    pdfs = [n for n in mkdocs_files if n.endswith(".pdf")]
    mp3s = [n for n in mkdocs_files if n.endswith(".mp3")]
    assert any(n.endswith("-large-print.pdf") for n in pdfs) and any(n.endswith("-easy-read.pdf") for n in pdfs)
    assert "printed-copies/hard-copies.pdf" in pdfs and len(mp3s) >= 20
    for name in pdfs + mp3s:
        assert properdocs_files[name].stat().st_size > 0, f"{name} is empty"
    for name in pdfs:
        if mkdocs_files[name].read_bytes() == properdocs_files[name].read_bytes():
            continue  # from the shared cache
        pages = [[p.extract_text() for p in pypdf.PdfReader(site[name]).pages]
                 for site in (mkdocs_files, properdocs_files)]
        assert pages[0] == pages[1], f"{name} has different words"
    for name in mp3s:
        assert properdocs_files[name].stat().st_size == mkdocs_files[name].stat().st_size, f"{name} differs"


def test_an_unknown_engine_is_said_plainly(project, run, monkeypatch):
    monkeypatch.setenv(ENGINE_ENV, "hugo")
    code, _, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 2
    assert "CLEARINFO_ENGINE is set to 'hugo', which Clearinfo does not know. Set it to 'mkdocs' or " \
           "'properdocs', or remove it." in err
    assert "Traceback" not in err and not (project / "site").exists()
