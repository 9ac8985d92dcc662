"""The gate remembers what it found: a page, PDF or audio file that is byte for byte what was checked
before, checked by the same checkers, gives the same findings, so it is not checked again. After
a one-sentence edit the gate looks at the edited page and its formats, not at the whole site.

What makes a result count again, all of which must be the same:
- the checkers: Clearinfo's check code (every file in check/, by its words), the versions of
  axe-core, HTML_CodeSniffer and the Nu checker, the Chromium program, the views and the engines;
- for a page: its address in the site, its HTML, and every file in the site a page can load
  (style sheets, scripts, fonts, pictures: everything except other pages, PDFs, MP3s, the audio's
  transcripts and timings, the search index, which a page only reads when someone searches, and
  the sitemap). One changed style sheet means every page is checked again;
- for a PDF or an MP3: its address and its bytes.

A page on which something did not run (the page did not load, an engine failed) is never
remembered: next time it is checked again. `clearinfo check --fresh` checks everything and
forgets nothing. The answers are kept in the cache folder (checks/gate/).
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path

from ..vendor import ASSETS
from .findings import Finding

# Files a page never loads when it is opened: another page, the formats, and the search index.
_NOT_LOADED_SUFFIXES = (".html", ".pdf", ".mp3", ".txt", ".map", ".gz")
_NOT_LOADED_NAMES = ("search_index.json", "sitemap.xml")
_NOT_LOADED_ENDINGS = ("-audio.json",)


def _sha(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogateescape"))
        h.update(b"\x1f")
    return h.hexdigest()


def checkers_id(extra: list[str]) -> str:
    """The checkers, as one hash: the check code's words, the bundled checkers' versions and `extra`
    (the browser program, the views, the engines' names)."""
    here = Path(__file__).resolve().parent
    parts = [json.dumps(ASSETS, sort_keys=True, default=str), *extra]
    for path in sorted(here.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            parts.append(f"{path.relative_to(here).as_posix()}:{hashlib.sha256(path.read_bytes()).hexdigest()}")
    return _sha(*parts)


def site_files_id(site: Path) -> str:
    """Every file in the site a page can load, by name and words (see the module's notes)."""
    parts = []
    for path in sorted(site.rglob("*")):
        name = path.name
        if (not path.is_file() or name.endswith(_NOT_LOADED_SUFFIXES) or name in _NOT_LOADED_NAMES
                or name.endswith(_NOT_LOADED_ENDINGS)):
            continue
        parts.append(f"{path.relative_to(site).as_posix()}:{hashlib.sha256(path.read_bytes()).hexdigest()}")
    return _sha(*parts)


class Memory:
    """Findings kept by key in `folder`. `recall` gives None when there is nothing (or nothing
    readable) for the key: then the file is checked."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.recalled = 0

    def key(self, *parts: bytes | str) -> str:
        return _sha(*parts)

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def recall(self, key: str) -> dict | None:
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            data["findings"] = [Finding(**f) for f in data["findings"]]
        except (OSError, ValueError, TypeError, KeyError):
            return None
        self.recalled += 1
        return data

    def keep(self, key: str, findings: list[Finding], **extra) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"findings": [asdict(f) for f in findings], **extra}, ensure_ascii=False),
                           encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            pass  # not remembered: it is checked again next time
