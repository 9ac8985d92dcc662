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
def serve_directory(path: Path, host: str = "127.0.0.1"):
    """Serve a folder on `host` (this machine only, by default) on a free port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(path))
    server = http.server.ThreadingHTTPServer((host, 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium(width: int = 1280, height: int = 900, javascript: bool = True, grid: str | None = None):
    """One headless Chromium, closed afterwards. Reuse it for many pages.

    With `grid` (a Selenium Grid's address) the browser is a session on the grid, not on this
    machine: the grid's node chooses the browser, the driver and the profile folder."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    # Headless as root in a container, with no calls home (they stall on a closed network).
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-default-apps", "--disable-extensions", "--disable-quic",
                 "--hide-scrollbars", "--force-device-scale-factor=1", f"--window-size={width},{height}"):
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    profile = None
    if grid:
        driver = _grid_session(grid, options)
    else:
        browser, driver_path = find_chromium()
        profile = tempfile.mkdtemp(prefix="clearinfo-chromium-")
        options.binary_location = browser
        options.add_argument(f"--user-data-dir={profile}")
        try:
            driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
        except Exception as e:  # Selenium's errors vary by version; say what we know
            shutil.rmtree(profile, ignore_errors=True)
            raise EnvironmentProblem(f"Chromium would not start ({_first_line(e)}). {INSTALL_HINT}") from None
    try:
        driver.set_script_timeout(60)
        driver.set_page_load_timeout(60)
        yield driver
    finally:
        driver.quit()
        if profile:
            shutil.rmtree(profile, ignore_errors=True)


def _first_line(e: BaseException) -> str:
    text = getattr(e, "msg", None) or str(e)
    return (text.strip().splitlines() or [type(e).__name__])[0][:200]


GRID_HINT = ("Check the address, that the grid is running, and that this machine can reach it "
             "(open {status} in a browser: it should say the grid is ready).")


def _grid_session(grid: str, options):
    """A Chromium session on a Selenium Grid. It speaks to the browser's developer tools
    (execute_cdp_cmd) through the grid, as the checks need, like a local Chromium does."""
    from selenium import webdriver
    from selenium.webdriver.chromium.remote_connection import ChromiumRemoteConnection

    class GridChromium(webdriver.Remote):
        def execute_cdp_cmd(self, cmd: str, cmd_args: dict):
            return self.execute("executeCdpCommand", {"cmd": cmd, "params": cmd_args})["value"]

    from selenium.common.exceptions import WebDriverException

    try:
        connection = ChromiumRemoteConnection(grid, vendor_prefix="goog", browser_name="chrome", ignore_proxy=True)
        return GridChromium(command_executor=connection, options=options)
    except Exception as e:  # Selenium's and urllib3's errors vary by version; say what we know
        why = _first_line(e) if isinstance(e, WebDriverException) else "I could not reach it"
        raise EnvironmentProblem(f"The Selenium Grid at {grid} did not give me a Chromium browser "
                                 f"({why}). " + GRID_HINT.format(status=_status_url(grid)) +
                                 " The grid needs Chrome or Chromium nodes.") from None


def _status_url(grid: str) -> str:
    return grid.rstrip("/") + "/status"


def grid_sessions(grid: str, fallback: int = 1, timeout: float = 30) -> int:
    """How many Chromium sessions a Selenium Grid offers at once: its `/status`, node by node
    (each node's Chrome slots, up to its maxSessions). A grid that answers in another shape
    (not Selenium Grid 4) gets `fallback` sessions. A grid that cannot be reached, or says it is
    not ready or has no Chrome, is an EnvironmentProblem."""
    import json
    import urllib.error
    import urllib.request

    status = _status_url(grid)
    if not grid.startswith(("http://", "https://")):
        raise EnvironmentProblem(f"'{grid}' is not a web address. Give the grid's address, for example "
                                 "--grid http://localhost:4444")
    try:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # as the sessions: no proxy
        with opener.open(status, timeout=timeout) as r:
            answer = json.loads(r.read().decode("utf-8"))
    except (OSError, ValueError) as e:
        reason = getattr(e, "reason", None) or e
        raise EnvironmentProblem(f"I could not reach the Selenium Grid at {grid} ({reason}). "
                                 + GRID_HINT.format(status=status)) from None
    value = answer.get("value") if isinstance(answer, dict) else None
    if not isinstance(value, dict):
        return max(1, fallback)
    if value.get("ready") is False:
        raise EnvironmentProblem(f"The Selenium Grid at {grid} says it is not ready "
                                 f"({value.get('message') or 'no reason given'}). Wait for it to start, "
                                 "or check that it has nodes.")
    nodes = value.get("nodes")
    if not isinstance(nodes, list):
        return max(1, fallback)
    total = 0
    for node in nodes:
        if not isinstance(node, dict) or node.get("availability", "UP") != "UP":
            continue
        chrome = sum(1 for slot in node.get("slots") or []
                     if isinstance(slot, dict) and
                     str((slot.get("stereotype") or {}).get("browserName", "")).lower() in ("chrome", "chromium"))
        limit = node.get("maxSessions")
        total += min(chrome, limit) if isinstance(limit, int) and limit > 0 else chrome
    if total == 0:
        raise EnvironmentProblem(f"The Selenium Grid at {grid} has no Chrome or Chromium browsers free to use. "
                                 "Add a node with Chrome or Chromium, or check its nodes are up.")
    return total


def address_towards(grid: str) -> str:
    """The address of this machine that the grid can reach it on, to serve the site from: 127.0.0.1
    for a grid on this machine, else the address this machine uses to reach the grid."""
    import ipaddress
    import socket
    import urllib.parse

    host = urllib.parse.urlsplit(grid).hostname or "127.0.0.1"
    try:
        if host == "localhost" or ipaddress.ip_address(host).is_loopback:
            return "127.0.0.1"
    except ValueError:
        pass
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect((host, 9))  # chooses a route; sends nothing
            return s.getsockname()[0]
    except OSError:
        return "127.0.0.1"


def set_viewport(driver, width: int, height: int = 900) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


SCHEMES = {"light": "default", "dark": "slate"}  # the reader's setting -> Material's scheme name


def emulate_colour_scheme(driver, scheme: str) -> None:
    """The reader's light or dark setting, as the browser tells the page (prefers-color-scheme)."""
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                           {"features": [{"name": "prefers-color-scheme", "value": scheme}]})


def set_colour_scheme(driver, scheme: str) -> None:
    """Emulate the reader's light or dark setting, and show the page in that scheme.

    The theme remembers a reader's choice, so after the first page the setting alone would
    not switch it: the body's scheme is set too, exactly as the theme's own switch does."""
    emulate_colour_scheme(driver, scheme)
    result = driver.execute_async_script(SHOW_VIEW, SCHEMES[scheme])
    if not isinstance(result, dict) or "error" in result:
        raise RuntimeError(f"the page would not change its colours ({(result or {}).get('error', 'no answer')})")


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

# Show the page in a view, in one call to the browser: when the colours change, the scheme is set at
# once, exactly as the theme's own switch does (the theme remembers a reader's choice, so the setting
# alone would not switch it after the first page); then, once the next frames are drawn and a task
# after them (the theme's own code has answered the new size or setting), the scheme is set again in
# case that code changed it back, and the script says what the page shows: its width, whether the
# reader's setting is dark, and the theme's scheme. arguments[0] is the scheme to set, or null.
SHOW_VIEW = """
const done = arguments[arguments.length - 1];
const apply = () => { if (arguments[0] !== null) { %s } };
const fail = (e) => done({error: String(e && e.message || e)});
try {
  apply();
  requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => {
    try {
      apply();
      const offered = [...document.querySelectorAll('input[data-md-color-scheme]')].map(i => i.dataset.mdColorScheme);
      done({width: window.innerWidth, dark: matchMedia('(prefers-color-scheme: dark)').matches,
            offered: offered, scheme: document.body ? document.body.getAttribute('data-md-color-scheme') : null});
    } catch (e) { fail(e); }
  }, 0)));
} catch (e) { fail(e); }
""" % _APPLY_SCHEME


def axe_script(vendor_dir: Path) -> Path:
    return verified_path(vendor_dir, "axe-core", "axe.min.js")


def run_axe(driver, vendor_dir: Path, tags: list[str] | None = None) -> dict:
    """Run the pinned axe-core on the current page; returns axe's results (violations, incomplete).
    The gate's own engine (check/axe.py) does the work: injected, version-checked and run there."""
    from . import axe
    axe.inject(driver, axe.axe_source(vendor_dir))
    return axe.run(driver, tags or axe.WCAG_AA_TAGS)
