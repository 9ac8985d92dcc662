"""`clearinfo check --grid URL` checks the pages in the browsers of a Selenium Grid: a real Grid on
127.0.0.1 with two Chromium slots (the pinned Selenium Server jar, using this machine's chromium and
chromedriver, never downloading a driver) finds exactly what one local browser finds, using both
slots; a grid that cannot be reached stops the check with a plain message, not a traceback."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from clearinfo import vendor
from clearinfo.check import browser_checks
from clearinfo.check.browser import grid_sessions
from clearinfo.errors import EnvironmentProblem
from conftest import ROOT
from test_gate import make_broken_site

VENDOR = ROOT / ".vendor"
PAGES = ["index.html", "missing-alt.html", "low-contrast.html", "reflow.html"]
NEVER = "1970-01-01T00:00:00Z"  # a slot's lastStarted before any session

GRID_CONFIG = """
[server]
host = "127.0.0.1"
port = {port}

[node]
detect-drivers = false
selenium-manager = false
max-sessions = 2
override-max-sessions = true

[[node.driver-configuration]]
display-name = "Chromium"
webdriver-executable = "/usr/bin/chromedriver"
max-sessions = 2
stereotype = '{{"browserName": "chrome", "goog:chromeOptions": {{"binary": "/usr/bin/chromium"}}}}'
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status(url: str) -> dict:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url + "/status", timeout=5) as r:
        return json.loads(r.read())["value"]


@pytest.fixture(scope="module")
def grid(tmp_path_factory):
    """A Selenium Grid (standalone: router and one node) on 127.0.0.1 with two Chromium slots."""
    jar = vendor.verified_path(VENDOR, "selenium-server", "selenium-server.jar")
    folder = tmp_path_factory.mktemp("grid")
    port = _free_port()
    (folder / "grid.toml").write_text(GRID_CONFIG.format(port=port))
    log = folder / "grid.log"
    url = f"http://127.0.0.1:{port}"
    with open(log, "wb") as out:
        server = subprocess.Popen(["java", "-jar", str(jar), "standalone", "--config", str(folder / "grid.toml")],
                                  stdout=out, stderr=subprocess.STDOUT, cwd=folder, start_new_session=True)
    try:
        deadline = time.monotonic() + 40
        while True:
            try:
                if _status(url).get("ready"):
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"The Selenium Grid did not become ready (exit code {server.poll()}). Its log:\n"
                            + log.read_text(errors="replace"))
            time.sleep(0.25)
        yield url
    finally:
        with _ignored(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with _ignored(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=15)


class _ignored:
    def __init__(self, *errors):
        self.errors = errors

    def __enter__(self):
        return self

    def __exit__(self, kind, value, tb):
        return kind is not None and issubclass(kind, self.errors)


def _said(findings) -> list[tuple]:
    return [(f.page, f.check, f.rule, f.selector or f.element, f.severity, f.context) for f in findings]


@pytest.mark.browser
def test_the_grid_finds_what_a_local_browser_finds_using_both_of_its_sessions(grid, tmp_path):
    assert grid_sessions(grid) == 2
    assert all(slot["lastStarted"] == NEVER for node in _status(grid)["nodes"] for slot in node["slots"])
    site = make_broken_site(tmp_path / "broken")
    pages = [site / p for p in PAGES]
    engines = browser_checks.default_engines(VENDOR)
    local, local_ran = browser_checks.check_in_browser(site, pages, engines, workers=1)
    remote, remote_ran = browser_checks.check_in_browser(site, pages, engines, grid=grid)
    assert {f.page for f in local} >= {"missing-alt.html", "low-contrast.html", "reflow.html"}  # it found things
    assert _said(remote) == _said(local)
    assert {p: c.as_dict() for p, c in remote_ran.items()} == {p: c.as_dict() for p, c in local_ran.items()}
    assert all(len(c.views) == 4 and not c.not_run for c in remote_ran.values())
    # Both of the grid's slots started a session, and every session was closed afterwards.
    slots = [slot for node in _status(grid)["nodes"] for slot in node["slots"]]
    assert len(slots) == 2 and all(slot["lastStarted"] != NEVER and slot["session"] is None for slot in slots)


@pytest.mark.browser
def test_the_gate_says_it_runs_on_the_grid(grid, tmp_path):
    from clearinfo.check.gate import run_gate
    (tmp_path / "index.html").write_text('<!doctype html><html lang="en"><head><title>Home</title></head>'
                                         "<body><main><h1>Home</h1><p>Hello.</p></main></body></html>")
    said = []
    result = run_gate(tmp_path, VENDOR, say=said.append, grid=grid)
    assert said[0] == (f"Checking 1 page in Chromium on the Selenium Grid at {grid} (4 views each, "
                       "2 sessions side by side) ...")
    assert result.coverage["index.html"]["not_run"] == []


def test_a_grid_that_cannot_be_reached_stops_the_check_plainly(tmp_path, run, project):
    url = f"http://127.0.0.1:{_free_port()}"  # nothing listens there
    with pytest.raises(EnvironmentProblem, match=rf"I could not reach the Selenium Grid at {url} .*Check the address"):
        grid_sessions(url)
    (tmp_path / "index.html").write_text("<!doctype html><html lang=en><title>x</title><h1>x</h1></html>")
    code, out, err = run("check", tmp_path, "-f", project / "mkdocs.yml", "--grid", url,
                         "--report-dir", tmp_path / "r")
    assert code != 0 and "Traceback" not in err
    assert err.startswith(f"Error: I could not reach the Selenium Grid at {url} (")
    assert f"open {url}/status in a browser" in err


@pytest.mark.browser
def test_a_grid_that_refuses_a_session_stops_the_check_plainly(grid, tmp_path):
    from clearinfo.check.browser import chromium
    with pytest.raises(EnvironmentProblem, match=rf"The Selenium Grid at {grid}/nowhere did not give me a Chromium"):
        with chromium(grid=grid + "/nowhere"):
            pass
