"""Build benchmark: how long the whole site takes, cold and warm, and after a one-page edit.

    .venv/bin/python bench/build.py

Prints one line per case. Works on a copy of the project in a temporary folder, so your
site/ and .cache/ are not touched.

bench/run measures the cold, warm and one-page-edit builds too, beside a plain MkDocs build,
for the bundled site and a generated large one (bench/README.md); only the Easy Read edit is
this script's alone.
"""
from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "build_tools"))

from clearinfo import cli  # noqa: E402


def copy_project(dest: Path) -> Path:
    for name in ("mkdocs.yml",):
        shutil.copy(ROOT / name, dest / name)
    for name in ("content", "easyread"):
        shutil.copytree(ROOT / name, dest / name)
    (dest / "site_overrides").symlink_to(ROOT / "site_overrides")
    (dest / ".vendor").symlink_to(ROOT / ".vendor")
    return dest


def timed_build(project: Path) -> float:
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as err:
        code = cli.main(["build", "-f", str(project / "mkdocs.yml")])
    if code != 0:
        sys.exit(f"build failed:\n{err.getvalue()}")
    return time.perf_counter() - start


def count(project: Path, pattern: str) -> int:
    return len(list((project / "site").rglob(pattern)))


def main() -> None:
    os.environ.pop("CLEARINFO_CACHE_DIR", None)  # a cold build means an empty cache
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp))
        cold = timed_build(project)
        pdfs = count(project, "*.pdf")
        pages = count(project, "index.html")
        warm = timed_build(project)
        page = project / "content" / "complaints.md"
        page.write_text(page.read_text() + "\nWe will reply to you.\n")
        one_edit = timed_build(project)
        er = project / "easyread" / "complaints.md"
        if er.exists():
            er.write_text(er.read_text() + "\npicture: phone\nPhone us again.\n")
        easy_edit = timed_build(project)
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"site: {pages} HTML pages, {pdfs} PDFs")
    print(f"cold build (no cache):            {cold:6.1f} s")
    print(f"warm build (nothing changed):     {warm:6.1f} s")
    print(f"after editing one standard page:  {one_edit:6.1f} s")
    print(f"after editing one Easy Read file: {easy_edit:6.1f} s")


if __name__ == "__main__":
    main()
