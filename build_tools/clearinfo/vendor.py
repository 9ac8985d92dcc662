"""Third-party files the site needs, fetched at pinned versions from the npm registry.

Each is checked against the sha512 integrity hash the registry publishes, so a changed
or tampered file stops the set-up. Nothing here is loaded from the internet by a page:
the files are copied into the built site and served from it.

  atkinson-hyperlegible  the Braille Institute's typeface designed for legibility (SIL OFL 1.1),
                         packaged by Fontsource
  axe-core               Deque's accessibility rules engine (MPL 2.0), run in Chromium by the checks
"""
from __future__ import annotations

import base64
import hashlib
import io
import tarfile
import urllib.request
from pathlib import Path

from .errors import EnvironmentProblem

_FONT = "package/files/atkinson-hyperlegible-"
ASSETS = {
    "atkinson-hyperlegible": {
        "package": "@fontsource/atkinson-hyperlegible",
        "version": "5.3.0",
        "url": "https://registry.npmjs.org/@fontsource/atkinson-hyperlegible/-/atkinson-hyperlegible-5.3.0.tgz",
        "integrity": "sha512-Sp8Ve8+rQmENY2Lv02VH7sLpntzTTvnncnJMTbRE7DX6TLxGraN4ykZfzaUWIoCFmaomwkvNiqmlPkrKBuDoSA==",
        "licence": "SIL Open Font License 1.1",
        "files": {
            "package/LICENSE": "fonts/OFL-LICENSE.txt",
            **{f"{_FONT}{subset}-{weight}-normal.{ext}": f"fonts/atkinson-hyperlegible-{subset}-{weight}.{ext}"
               for subset in ("latin", "latin-ext") for weight in ("400", "700") for ext in ("woff2", "woff")},
        },
    },
    "axe-core": {
        "package": "axe-core",
        "version": "4.14.1",
        "url": "https://registry.npmjs.org/axe-core/-/axe-core-4.14.1.tgz",
        "integrity": "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==",
        "licence": "Mozilla Public License 2.0",
        "files": {"package/axe.min.js": "axe.min.js", "package/LICENSE": "LICENSE.txt"},
    },
}


def asset_path(vendor_dir: Path, name: str, file: str) -> Path:
    return vendor_dir / name / file


def is_fetched(vendor_dir: Path, name: str) -> bool:
    spec = ASSETS[name]
    stamp = vendor_dir / name / ".fetched"
    return stamp.exists() and stamp.read_text().strip() == spec["integrity"] and all(
        (vendor_dir / name / dest).exists() for dest in spec["files"].values())


def _verify(data: bytes, integrity: str, name: str) -> None:
    algo, _, expected = integrity.partition("-")
    actual = base64.b64encode(hashlib.new(algo, data).digest()).decode()
    if actual != expected:
        raise EnvironmentProblem(f"The download of {name} does not match its published hash, so I did not use it. "
                                 "Try again; if it keeps happening, something between you and the npm registry "
                                 "is changing files.")


def fetch(vendor_dir: Path, say=print, timeout: float = 60) -> list[str]:
    """Fetch every asset that is missing. Returns the names fetched."""
    fetched = []
    for name, spec in ASSETS.items():
        if is_fetched(vendor_dir, name):
            continue
        say(f"Fetching {spec['package']} {spec['version']} ({spec['licence']}) from the npm registry ...")
        try:
            with urllib.request.urlopen(spec["url"], timeout=timeout) as r:
                data = r.read()
        except OSError as e:
            raise EnvironmentProblem(f"I could not download {spec['package']} from {spec['url']} ({e}). "
                                     "Check this machine can reach registry.npmjs.org.") from None
        _verify(data, spec["integrity"], spec["package"])
        target = vendor_dir / name
        target.mkdir(parents=True, exist_ok=True)
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for src, dest in spec["files"].items():
                member = tar.extractfile(src)
                if member is None:
                    raise EnvironmentProblem(f"{spec['package']} {spec['version']} has no {src}.")
                out = target / dest
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(member.read())
        (target / ".fetched").write_text(spec["integrity"] + "\n")
        fetched.append(name)
    return fetched
