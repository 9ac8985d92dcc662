"""Accessibility gate benchmark: the time to check 50 pages (each at desktop and 320px, in light
and dark colours, with one browser), plus their PDFs and audio.

    .venv/bin/python bench/gate.py

Builds the bundled site in a temporary folder, copies pages until there are 50, and times
`clearinfo check`'s gate on them.

bench/run times `clearinfo check` itself on the bundled site (and, with --gate-large, on a
generated large one), so this script is kept for comparison only (bench/README.md).
"""
from __future__ import annotations

import contextlib
import io
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "build_tools"))
sys.path.insert(0, str(ROOT / "bench"))

from build import copy_project, timed_build  # noqa: E402
from clearinfo.check.gate import run_gate  # noqa: E402

PAGES = 50


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp))
        timed_build(project)
        site = project / "site"
        originals = sorted(p.parent for p in site.glob("*/index.html") if p.parent.name not in ("search", "assets"))
        n = len(list(site.rglob("*.html")))
        i = 0
        while n < PAGES:
            src = originals[i % len(originals)]
            dest = site / f"{src.name}-copy{i}"
            shutil.copytree(src, dest, dirs_exist_ok=True)  # the page with its PDFs and audio
            n += 1
            i += 1
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            result = run_gate(site, ROOT / ".vendor", say=lambda *_: None)
        seconds = time.perf_counter() - start
    print(f"pages: {result.files['html']}, PDFs: {result.files['pdf']}, audio files: {result.files['mp3']}")
    print(f"gate: {seconds:.0f} s in all, {seconds / result.files['html']:.1f} s a page (4 views a page, one browser)")
    print(f"passed: {result.passed} ({len(result.failing)} violations, {len(result.review)} to review)")


if __name__ == "__main__":
    main()
