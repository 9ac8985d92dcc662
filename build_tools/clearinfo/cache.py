"""One cache for every made file (PDFs, audio): each entry is known by a hash of everything it is
made from, so a file is made again only when something it depends on changed.

- **Keys** (`key`): a hash of the inputs the format gives (its HTML, words, settings, the
  contents of the files it uses) and the versions of the tools that make it (`tool_versions`:
  WeasyPrint, espeak-ng, ffmpeg ...). A new version of a tool makes its files again.
- **Atomic writes**: a file is made under a temporary name (`Shelf.part`) and renamed into place
  with its record (`Shelf.keep`), so a stopped build or a full disk never leaves half a file under a
  real name.
- **Verified on read** (`Shelf.get`): each entry's record holds the file's size and SHA-256; a file
  that does not match (cut short, damaged, changed by hand) is made again, never published.

The cache folder is the `cache_dir` setting (or CLEARINFO_CACHE_DIR), one shelf per format.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

RECORD_VERSION = 1  # the shape of an entry's record; a change makes every entry again


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def key(inputs, tools: dict[str, str]) -> str:
    """The entry's name part: a hash of its inputs (anything JSON can hold) and its tools' versions."""
    h = hashlib.sha256(json.dumps({"inputs": inputs, "tools": tools, "record": RECORD_VERSION},
                                  sort_keys=True, ensure_ascii=False, default=str).encode())
    return h.hexdigest()[:32]


@functools.lru_cache(maxsize=None)
def _command_version(command: str, memo: Path | None = None) -> str:
    """The first line a program prints for its version, or "missing" when it is not installed.
    With a `memo` file (in the cache folder), the answer is remembered against the program file's
    size and time stamp, so a build does not start the program just to ask (a new version of the
    program is a new file, so it is asked again)."""
    path = shutil.which(command)
    if path is None:
        return "missing"
    real = os.path.realpath(path)
    try:
        st = os.stat(real)
        stamp = f"{real} {st.st_size} {st.st_mtime_ns}"
    except OSError:
        stamp = None
    remembered = _read_memo(memo)
    if stamp and remembered.get(command, {}).get("file") == stamp:
        return remembered[command]["version"]
    flag = "-version" if command == "ffmpeg" else "--version"
    try:
        out = subprocess.run([path, flag], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    version = (out.strip().splitlines() or ["unknown"])[0]
    if memo is not None and stamp:
        remembered[command] = {"file": stamp, "version": version}
        try:
            memo.parent.mkdir(parents=True, exist_ok=True)
            part = memo.with_name(f"{memo.name}.{os.getpid()}.part")
            part.write_text(json.dumps(remembered, indent=1), encoding="utf-8")
            os.replace(part, memo)
        except OSError:  # a read-only cache still works: the program is asked next time too
            pass
    return version


def _read_memo(memo: Path | None) -> dict:
    if memo is None:
        return {}
    try:
        data = json.loads(memo.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


@functools.lru_cache(maxsize=None)
def _package_version(name: str) -> str:
    from importlib import metadata
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "missing"


def tool_versions(*tools: str, cache_dir: Path | None = None) -> dict[str, str]:
    """The versions of the named tools: Python packages (weasyprint, pikepdf, pyttsx3) by their
    installed version, programs (espeak-ng, ffmpeg) by what they print (remembered in
    `cache_dir`/programs.json when a cache folder is given)."""
    programs = {"espeak-ng", "ffmpeg"}
    memo = cache_dir / "programs.json" if cache_dir is not None else None
    return {t: _command_version(t, memo) if t in programs else _package_version(t) for t in tools}


@dataclass(frozen=True)
class Entry:
    path: Path     # the made file
    record: dict   # what the format kept with it (pages, timings ...)


class Shelf:
    """One format's part of the cache: entries named `<name>-<key><suffix>`, each with a record
    `<name>-<key>.json`. Only the newest entry of each name is kept."""

    def __init__(self, folder: Path, suffix: str):
        self.folder, self.suffix = folder, suffix
        folder.mkdir(parents=True, exist_ok=True)

    def path(self, name: str, entry_key: str) -> Path:
        return self.folder / f"{name}-{entry_key}{self.suffix}"

    @staticmethod
    def part(path: Path) -> Path:
        """Where a file is made before it is kept: the same folder, so the rename is atomic."""
        return path.with_name(f"{path.name}.{os.getpid()}.part")

    def get(self, name: str, entry_key: str) -> Entry | None:
        """The entry if it is whole: its file matches the size and SHA-256 in its record."""
        path = self.path(name, entry_key)
        try:
            record = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
            if (record.get("version") == RECORD_VERSION and record["bytes"] == path.stat().st_size
                    and record["sha256"] == file_sha256(path)):
                return Entry(path, record["kept"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):  # missing, damaged, or older
            pass
        return None

    def keep(self, name: str, entry_key: str, made: Path, kept: dict) -> Entry:
        """Move a made file into the shelf with its record, and remove older entries of the name.
        The record is written (atomically) after the file, so a record always describes a whole file."""
        path = self.path(name, entry_key)
        if made != path:
            os.replace(made, path)
        record = {"version": RECORD_VERSION, "bytes": path.stat().st_size, "sha256": file_sha256(path),
                  "kept": kept}
        meta = path.with_suffix(".json")
        part = self.part(meta)
        part.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        os.replace(part, meta)
        self._forget_older(name, path)
        return Entry(path, kept)

    def _forget_older(self, name: str, keep: Path) -> None:
        """Earlier entries of this name, made from inputs that have since changed."""
        pattern = re.compile(rf"{re.escape(name)}-[0-9a-f]{{32}}{re.escape(self.suffix)}")
        for old in self.folder.glob(f"{name}-*{self.suffix}"):
            if old != keep and pattern.fullmatch(old.name):
                old.unlink(missing_ok=True)
                for suffix in (".json", ".pages"):  # .pages: how older versions kept a PDF's pages
                    old.with_suffix(suffix).unlink(missing_ok=True)


def place(source: Path, target: Path) -> None:
    """Put a cached file into the site being built: a hard link where the cache and the site share a
    disk (no bytes copied), otherwise a copy. The cache never changes a kept file in place (a new
    entry is a new file, renamed in), so the site's link keeps its bytes; and if someone changed
    the site's file by hand, the entry no longer matches its SHA-256 and is made again."""
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:  # another disk, or a file system without hard links
        shutil.copyfile(source, target)


@dataclass(frozen=True)
class Shard:
    """One share of the made files, for builds split across machines (`clearinfo build --shard K/N`).
    A file belongs to one shard, chosen by a hash of its name, so every shard agrees without talking."""
    index: int  # 1 to total
    total: int

    def owns(self, name: str) -> bool:
        return int(hashlib.sha256(name.encode("utf-8")).hexdigest(), 16) % self.total == self.index - 1

    def __str__(self) -> str:
        return f"{self.index}/{self.total}"


def parse_shard(text: str) -> Shard:
    """'2/4' -> Shard(2, 4), or a plain reason why not."""
    from .errors import EnvironmentProblem
    m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text or "")
    if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
        raise EnvironmentProblem(f"--shard {text} is not a share Clearinfo understands. Give it as K/N: this "
                                 "machine's number, then how many machines share the work, like --shard 1/4 "
                                 "(K from 1 to N).")
    return Shard(int(m.group(1)), int(m.group(2)))
