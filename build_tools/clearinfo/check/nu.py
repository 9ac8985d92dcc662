"""The Nu HTML Checker (the W3C's validator, vnu.jar): is each built page valid HTML?

Invalid HTML is repaired by every browser and screen reader in its own way, so what one person
hears can differ from what another sees. One Java process checks every page, from disk. Only
errors count: warnings and info messages are advice, and checking files from disk always brings
some (for example "Resource violates Content Security Policy (meta tag)", because a file on disk
has no web address for the policy's 'self' to match).
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

from ..errors import EnvironmentProblem, plural
from ..vendor import verified_path
from .engine_messages import explain_nu
from .findings import Finding

JAVA_HINT = ("On Debian or Ubuntu run: sudo apt-get install default-jre-headless "
             "('make setup' does this for you).")


def find_java() -> str:
    java = shutil.which("java")
    if not java:
        raise EnvironmentProblem("Java is not installed, and the HTML checker (the Nu HTML Checker) needs it. "
                                 + JAVA_HINT)
    return java


def run_nu(site: Path, pages: list[Path], vendor_dir: Path, timeout: float | None = None) -> list[Finding]:
    """Check every page with one run of the Nu HTML Checker; each error is a violation.

    `timeout` is in seconds for the whole run (by default 2 minutes plus 2 seconds a page)."""
    if not pages:
        return []
    site = site.resolve()
    jar = verified_path(vendor_dir, "vnu-jar", "vnu.jar")
    command = [find_java(), "-jar", str(jar), "--format", "json", "--stdout", "--exit-zero-always",
               "--errors-only", "--no-langdetect", "--skip-non-html", *(str(p.resolve()) for p in pages)]
    timeout = timeout if timeout is not None else 120 + 2 * len(pages)
    try:
        done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace",
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        raise EnvironmentProblem(f"The HTML checker took more than {timeout:.0f} seconds for "
                                 f"{plural(len(pages), 'page')}, so I stopped it. Run the check again; if it keeps happening, this machine "
                                 "may be short of memory.") from None
    try:
        messages = json.loads(done.stdout)["messages"]
    except (ValueError, KeyError, TypeError):
        raise EnvironmentProblem(_java_failed(done.stderr)) from None
    findings = []
    for m in messages:
        page = _page_of(site, m.get("url", ""))
        raw = " ".join(str(m.get("message", "")).split())
        if m.get("type") == "non-document-error":  # the checker could not read the page at all
            findings.append(Finding(page, "nu", "nu-not-checked",
                                    f"The HTML checker could not check this page. It says: {raw}",
                                    "Check the file is there and can be read, then run the check again."))
        elif m.get("type") == "error":
            rule, message, fix = explain_nu(raw)
            if not message.startswith("The HTML checker says"):
                message += f" (The HTML checker says: {raw})"
            findings.append(Finding(page, "nu", rule, message, fix, _where(m)))
    return findings


def _page_of(site: Path, url: str) -> str:
    path = Path(unquote(urlparse(url).path))
    try:
        return path.relative_to(site).as_posix()
    except ValueError:
        return url


def _where(m: dict) -> str:
    line = m.get("firstLine", m.get("lastLine"))
    column = m.get("firstColumn")
    place = f"line {line}, column {column}" if line and column else (f"line {line}" if line else "")
    extract = " ".join(str(m.get("extract", "")).split())
    if len(extract) > 160:
        extract = extract[:157] + "..."
    return f"{place}: {extract}" if place and extract else place or extract


def _java_failed(stderr: str) -> str:
    text = stderr.strip()
    if "UnsupportedClassVersionError" in text:
        return ("The Java on this machine is too old for the HTML checker, which needs Java 17 or newer. "
                + JAVA_HINT)
    first = next((line for line in text.splitlines() if line.strip()), "it gave no reason")
    first = re.sub(r"\s+", " ", first)[:200]
    return f"The HTML checker (Java) stopped before it finished: {first}. Check Java works with 'java -version'. " \
           + JAVA_HINT
