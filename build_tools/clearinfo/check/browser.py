"""Real headless Chromium through Selenium, a local web server for the built site, and axe-core.

Chromium and ChromeDriver come from the system (Debian's chromium and chromium-driver);
Selenium is never allowed to download a driver. axe-core is the pinned copy fetched by
`clearinfo fetch-assets` (see clearinfo/vendor.py), not the 2018 copy inside axe-selenium-python.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import re
import shutil
import tempfile
import threading
from pathlib import Path

from ..errors import EnvironmentProblem
from ..vendor import verified_path


CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
INSTALL_HINT = ("On Debian or Ubuntu run: sudo apt-get install chromium chromium-driver "
                "('make setup' does this for you).")


def find_chromium() -> tuple[str, str]:
    browser = next((shutil.which(n) for n in CHROMIUM_NAMES if shutil.which(n)), None)
    driver = shutil.which("chromedriver")
    if not browser or not driver:
        missing = "Chromium" if not browser else "ChromeDriver"
        raise EnvironmentProblem(f"{missing} is not installed, and the accessibility checks need a real "
                                 f"browser. {INSTALL_HINT}")
    return browser, driver


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site as a real web server would, byte ranges included (browsers need
    them to seek in audio)."""

    def log_message(self, format, *args):  # noqa: A002 - the name is the base class's
        pass

    def send_head(self):
        header = self.headers.get("Range", "")
        m = re.fullmatch(r"bytes=(\d*)-(\d*)", header.strip())
        path = Path(self.translate_path(self.path))
        if not m or not path.is_file():
            return super().send_head()
        size = path.stat().st_size
        start = int(m.group(1)) if m.group(1) else max(0, size - int(m.group(2) or 0))
        end = min(int(m.group(2)), size - 1) if m.group(1) and m.group(2) else size - 1
        if start >= size:
            self.send_error(416, "Requested range not satisfiable")
            return None
        f = open(path, "rb")
        f.seek(start)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        return _Limited(f, end - start + 1)


class _Limited:
    """A file that reads no more than `left` bytes (the end of a byte range)."""

    def __init__(self, f, left: int):
        self.f, self.left = f, left

    def read(self, n: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        data = self.f.read(self.left if n < 0 else min(n, self.left))
        self.left -= len(data)
        return data

    def close(self):
        self.f.close()


@contextlib.contextmanager
def serve_directory(path: Path):
    """Serve a folder on 127.0.0.1 on a free port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium(width: int = 1280, height: int = 900, javascript: bool = True):
    """One headless Chromium, closed afterwards. Reuse it for many pages."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver_path = find_chromium()
    profile = tempfile.mkdtemp(prefix="clearinfo-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    # Headless as root in a container, with no calls home (they stall on a closed network).
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 f"--user-data-dir={profile}", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-default-apps", "--disable-extensions", "--disable-quic",
                 "--hide-scrollbars", "--force-device-scale-factor=1", f"--window-size={width},{height}"):
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    try:
        driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    except Exception as e:  # Selenium's errors vary by version; say what we know
        shutil.rmtree(profile, ignore_errors=True)
        raise EnvironmentProblem(f"Chromium would not start ({str(e).splitlines()[0]}). {INSTALL_HINT}") from None
    try:
        driver.set_script_timeout(60)
        driver.set_page_load_timeout(60)
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def set_viewport(driver, width: int, height: int = 900) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


SCHEMES = {"light": "default", "dark": "slate"}  # the reader's setting -> Material's scheme name


def set_colour_scheme(driver, scheme: str) -> None:
    """Emulate the reader's light or dark setting, and show the page in that scheme.

    The theme remembers a reader's choice, so after the first page the setting alone would
    not switch it: the body's scheme is set too, exactly as the theme's own switch does."""
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                           {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
    driver.execute_script(_APPLY_SCHEME, SCHEMES[scheme])
    # The theme's own palette code answers the changed setting when the next frames are drawn:
    # wait for them (not a fixed time), then make sure it agrees.
    driver.execute_async_script(NEXT_FRAMES)
    driver.execute_script(_APPLY_SCHEME, SCHEMES[scheme])


NEXT_FRAMES = "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));"


_APPLY_SCHEME = """
const scheme = arguments[0];
const inputs = [...document.querySelectorAll("input[data-md-color-scheme]")];
const index = inputs.findIndex(i => i.dataset.mdColorScheme === scheme);
if (index >= 0 && typeof __md_set === "function") {
  const i = inputs[index].dataset;
  __md_set("__palette", {index, color: {media: i.mdColorMedia, scheme, primary: i.mdColorPrimary,
                                        accent: i.mdColorAccent}});
  inputs[index].checked = true;
}
document.body.setAttribute("data-md-color-scheme", scheme);
"""


def axe_script(vendor_dir: Path) -> Path:
    return verified_path(vendor_dir, "axe-core", "axe.min.js")


def run_axe(driver, vendor_dir: Path, tags: list[str] | None = None) -> dict:
    """Run the pinned axe-core on the current page; returns axe's results (violations, incomplete).
    The gate's own engine (check/axe.py) does the work: injected, version-checked and run there."""
    from . import axe
    axe.inject(driver, axe.axe_source(vendor_dir))
    return axe.run(driver, tags or axe.WCAG_AA_TAGS)
