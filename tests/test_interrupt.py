"""A build stopped with Ctrl-C (SIGINT) or SIGTERM while it makes the PDFs leaves the previous
site exactly as it was and nothing temporary behind, and the next build just works. Run for real:
`clearinfo build` in its own process, on the whole bundled content, with an empty cache so the
PDFs really are being made when the signal comes."""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from clearinfo.project import CACHE_ENV
from conftest import make_project

pytestmark = pytest.mark.slow  # real builds (make test-fast leaves them out)


def tree_hash(folder: Path) -> str:
    """Every file's path and bytes: equal hashes mean an unchanged site."""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def build(project: Path, cache: Path, tmp: Path, log: Path) -> subprocess.Popen:
    env = {**os.environ, CACHE_ENV: str(cache), "TMPDIR": str(tmp)}
    # As a build started at a terminal: Ctrl-C is not ignored, even when these tests run in a
    # background job (which ignores it, and Clearinfo keeps a signal its caller chose to ignore).
    return subprocess.Popen([sys.executable, "-m", "clearinfo", "build", "-v", "-f", str(project / "mkdocs.yml")],
                            stdout=log.open("w"), stderr=subprocess.STDOUT, env=env,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def processes_of(project: Path) -> list[int]:
    """Every process still running a build of this project (the build and its PDF workers)."""
    wanted = str(project / "mkdocs.yml").encode()
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if wanted in cmdline.read_bytes():
                found.append(int(cmdline.parent.name))
        except OSError:
            continue
    return found


def wait_for(condition, what: str, timeout: float = 180):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"waited {timeout} s for {what}")


def temporary_leftovers(tmp: Path, project: Path) -> list[str]:
    return sorted([p.name for p in tmp.rglob("weasyprint-*")] + [p.name for p in tmp.glob("clearinfo-*")]
                  + [p.name for p in project.glob(".site.*")])


@pytest.fixture(scope="module")
def bundled(tmp_path_factory, shared_cache):
    """The whole bundled content, built once: the site a stopped build must leave as it was."""
    project = make_project(tmp_path_factory.mktemp("interrupt") / "project", all_content=True)
    tmp = tmp_path_factory.mktemp("tmp")
    log = tmp_path_factory.mktemp("logs") / "first.log"
    proc = build(project, shared_cache, tmp, log)
    assert proc.wait(timeout=900) == 0, log.read_text()[-3000:]
    assert temporary_leftovers(tmp, project) == [], "a normal build leaves no temporary folders"
    return project


def test_a_normal_build_leaves_no_weasyprint_folders(project, tmp_path):
    """WeasyPrint removes its font folders only when Python collects its objects, which a PDF
    worker process never does before it ends: a build used to leave one behind for each PDF."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    proc = build(project, tmp_path / "cache", tmp, tmp_path / "build.log")
    assert proc.wait(timeout=900) == 0, (tmp_path / "build.log").read_text()[-3000:]
    assert "Making 6 PDFs (0 unchanged)" in (tmp_path / "build.log").read_text()
    assert temporary_leftovers(tmp, project) == []


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_a_build_stopped_while_making_pdfs_changes_nothing(bundled, tmp_path, stop):
    site_before = tree_hash(bundled / "site")
    cache, tmp, log = tmp_path / "cache", tmp_path / "tmp", tmp_path / "stopped.log"
    cache.mkdir()
    tmp.mkdir()
    proc = build(bundled, cache, tmp, log)
    try:
        wait_for(lambda: "Making " in log.read_text(), "the build to start making PDFs")
        # WeasyPrint is at work in a worker once its font folder exists.
        wait_for(lambda: list(tmp.rglob("weasyprint-*")), "a PDF worker to start rendering")
        assert len(processes_of(bundled)) > 1, "the PDF workers are running"
        proc.send_signal(stop)
        code = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    said = log.read_text()
    assert code != 0
    assert "Stopped. Nothing in the site folder was changed." in said
    assert "Traceback" not in said and "KeyboardInterrupt" not in said
    assert tree_hash(bundled / "site") == site_before, "the previous site is exactly as it was"
    assert temporary_leftovers(tmp, bundled) == []
    assert list(cache.rglob("*.part")) == [], "no half-made file in the cache"
    wait_for(lambda: not processes_of(bundled), "every PDF worker to end", timeout=20)

    # The next build just works, with the same cache and nothing cleaned up by hand.
    proc = build(bundled, cache, tmp, tmp_path / "again.log")
    assert proc.wait(timeout=900) == 0, (tmp_path / "again.log").read_text()[-3000:]
    assert temporary_leftovers(tmp, bundled) == []
    assert (bundled / "site" / "index.html").exists()


def test_a_signal_during_the_swap_waits_until_the_new_site_is_in_place(tmp_path, monkeypatch):
    """Between the two renames there is no site at all: a stop then must not leave it so."""
    from clearinfo import build as build_module
    site, new = tmp_path / "site", tmp_path / ".site.building-1-x"
    site.mkdir()
    (site / "index.html").write_text("old")
    new.mkdir()
    (new / "index.html").write_text("new")
    real_rename = os.rename

    def rename_then_stop(a, b):
        real_rename(a, b)
        os.kill(os.getpid(), signal.SIGTERM)  # arrives after the first rename
    monkeypatch.setattr(build_module.os, "rename", rename_then_stop)
    # Another thread (a pool's, a server's) must not let the signal through either.
    other = threading.Thread(target=threading.Event().wait, args=(2,), daemon=True)
    other.start()
    with build_module.stop_signals_interrupt():
        build_module._swap_into_place(new, site)
        time.sleep(0.2)  # a signal not held back would have stopped us by now
    assert (site / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_folders_of_a_build_killed_outright_are_removed_by_the_next(tmp_path):
    from clearinfo.build import remove_leftovers
    site = tmp_path / "site"
    dead = tmp_path / ".site.building-999999999-abc"  # no process can have this id
    running = tmp_path / f".site.building-{os.getpid()}-def"
    for folder in (site, dead, running):
        folder.mkdir()
    remove_leftovers(site)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([running.name, "site"])
