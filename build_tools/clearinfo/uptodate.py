"""Nothing changed: a build whose inputs are exactly those of the last good build of the same site
folder, into a site folder nobody has touched since, has nothing to do. It says so, repeats the
last build's warnings, and stops, instead of starting the engine to make the same files again.

What counts as an input is deliberately wide, so that the shortcut is never wrong:
- every file in the project folder (the words of each one: content, Easy Read, mkdocs.yml, the
  theme overrides, the gate's reports, a council's own catalogues and hooks), apart from the
  site and cache folders and hidden folders (.git, virtual environments). Files over 1 MB
  (pictures, fonts) are compared by size and time stamp, not read;
- the fonts and checkers in the vendor folder, Clearinfo's own code, and the installed Python
  packages (by the time stamps of their folders);
- the programs the formats use (espeak-ng, ffmpeg), the date the build writes, the environment
  variables Clearinfo reads, the git commit and index (the sign-off checks ask git), and the
  build's options;
- the site folder itself: every file's name, size and time stamp, as the last build left them.

Any difference, or any doubt (no record, an unreadable file), means a full build. `clearinfo
build --force` always builds. The record is kept in the cache folder (built/), one per site folder.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sys
import sysconfig
import time
from pathlib import Path

from . import __version__
from . import clock

RECORD_DIR = "built"
READ_LIMIT = 1 << 20  # bigger files are compared by size and time stamp
_SKIP_NAMES = {"__pycache__", "node_modules"}
_PROGRAMS = ("espeak-ng", "ffmpeg", "ffprobe")


def _stat_line(path: Path) -> str:
    st = path.stat()
    return f"{st.st_size}:{st.st_mtime_ns}"


def _walk(top: Path, skip: set[Path]):
    """Every file under top (following links to folders once), as (path relative to top, path),
    in a fixed order; hidden folders, the skipped folders and Python's caches are left out."""
    seen: set[str] = set()
    stack = [top]
    while stack:
        folder = stack.pop()
        real = os.path.realpath(folder)
        if real in seen:
            continue
        seen.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            path = Path(entry.path)
            if entry.name in _SKIP_NAMES or entry.name.endswith(".egg-info"):
                continue
            if entry.is_dir():
                if entry.name.startswith(".") or path.resolve() in skip or path in skip:
                    continue
                stack.append(path)
            elif entry.is_file():
                yield path.relative_to(top).as_posix(), path


def _git_dir(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder / ".git"
    return None


def _git_state(root: Path) -> list[str]:
    """The commit and the index, read from git's own files (quicker than starting git)."""
    git = _git_dir(root)
    if git is None:
        return ["no git"]
    if git.is_file():  # a worktree: .git names the real folder
        text = git.read_text(errors="replace").strip()
        if text.startswith("gitdir:"):
            git = (git.parent / text[7:].strip()).resolve()
    lines = []
    for name in ("HEAD", "index", "packed-refs"):
        path = git / name
        lines.append(f"{name} {_stat_line(path) if path.exists() else '-'}")
    head = (git / "HEAD").read_text(errors="replace").strip() if (git / "HEAD").exists() else ""
    lines.append(head)
    if head.startswith("ref:"):
        ref = git / head[4:].strip()
        lines.append(ref.read_text(errors="replace").strip() if ref.is_file() else "-")
    return lines


def fingerprint(project, site_dir: Path, options: dict) -> str:
    """One hash of everything a build of this project into site_dir reads (see the module's notes)."""
    h = hashlib.sha256()

    def add(*parts) -> None:
        h.update("\x1f".join(str(p) for p in parts).encode("utf-8", "surrogateescape") + b"\n")

    add("clearinfo", __version__, sys.version, json.dumps(options, sort_keys=True, default=str))
    # The date the build writes, and today's (the checks of review dates and notices use today's).
    add("date", clock.build_date().isoformat(), dt.date.today().isoformat())
    add("env", *sorted(f"{k}={v}" for k, v in os.environ.items()
                       if k.startswith(("CLEARINFO_", "SOURCE_DATE_EPOCH", "PROPERDOCS", "MKDOCS"))))
    skip = {site_dir.resolve(), project.cache_dir.resolve()}
    for rel, path in _walk(project.root, skip):
        st = path.stat()
        if st.st_size > READ_LIMIT:
            add("big", rel, st.st_size, st.st_mtime_ns)
        else:
            add("file", rel, hashlib.sha256(path.read_bytes()).hexdigest())
    vendor = project.vendor_dir
    if vendor.exists():
        for rel, path in _walk(vendor, set()):
            add("vendor", rel, _stat_line(path))
    code = Path(__file__).resolve().parent
    for rel, path in _walk(code, set()):
        add("code", rel, _stat_line(path))
    for key in ("purelib", "platlib"):
        folder = Path(sysconfig.get_paths()[key])
        if folder.exists():
            add("packages", folder, _stat_line(folder))
    for name in _PROGRAMS:
        found = shutil.which(name)
        add("program", name, _stat_line(Path(found)) if found else "-")
    add("git", *_git_state(project.root))
    return h.hexdigest()


def site_state(site_dir: Path) -> str:
    """Every file in the site folder by name, size and time stamp: a file changed, added or
    removed by hand (or by anything else) since the last build shows."""
    h = hashlib.sha256()
    if not site_dir.is_dir():
        return ""
    for rel, path in _walk(site_dir, set()):
        h.update(f"{rel}\x1f{_stat_line(path)}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def _record_path(project, site_dir: Path) -> Path:
    name = hashlib.sha256(str(site_dir.resolve()).encode()).hexdigest()[:16]
    return project.cache_dir / RECORD_DIR / f"{name}.json"


def last_build(project, site_dir: Path, inputs: str) -> dict | None:
    """The record of the last good build into site_dir, if its inputs were these and the site is
    as it left it; else None (then build)."""
    try:
        record = json.loads(_record_path(project, site_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("inputs") != inputs or record.get("site_dir") != str(site_dir):
        return None
    if record.get("site") != site_state(site_dir):
        return None
    return record


def remember(project, site_dir: Path, inputs: str, pages: int, warnings: list[str]) -> None:
    """Keep the record of a good build (written whole, then renamed into place)."""
    path = _record_path(project, site_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        record = {"inputs": inputs, "site_dir": str(site_dir), "site": site_state(site_dir), "pages": pages,
                  "warnings": warnings, "built": time.strftime("%Y-%m-%d %H:%M", time.localtime())}
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(record, indent=1), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # without a record the next build is simply a full one


def forget(project, site_dir: Path) -> None:
    try:
        _record_path(project, site_dir).unlink()
    except OSError:
        pass
