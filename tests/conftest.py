"""Shared fixtures: a copy of the project to break on purpose, and the bundled site built once."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clearinfo import cli
from clearinfo.project import CACHE_ENV

ROOT = Path(__file__).resolve().parents[1]
BASE_PAGES = ("index.md", "getting-care-and-support.md", "words-we-use.md", "accessibility.md")
DATA_FILES = ("references.yml", "duties.yml", "glossary.yml")


def make_project(dest: Path, pages=BASE_PAGES, all_content=False) -> Path:
    """A working copy of the project in dest: mkdocs.yml, theme, and some or all of the content."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    (dest / "site_overrides").symlink_to(ROOT / "site_overrides")
    if (ROOT / ".vendor").exists():
        (dest / ".vendor").symlink_to(ROOT / ".vendor")
    if all_content:
        shutil.copytree(ROOT / "content", dest / "content")
        shutil.copytree(ROOT / "easyread", dest / "easyread")
    else:
        (dest / "content").mkdir()
        for name in pages + DATA_FILES:
            shutil.copy(ROOT / "content" / name, dest / "content" / name)
    return dest


def words_for(soup):
    """The theme's words in a built page's language (BeautifulSoup of the page): a translation's
    furniture is in its language, an English page's in English."""
    import html
    from clearinfo.theme.catalogue import load_words
    words = load_words(soup.html.get("lang", "en-GB"))[0]
    return lambda english: html.unescape(words.t(english))


def set_option(project: Path, option: str) -> None:
    """Add a line (or an indented block) under the clearinfo plugin's settings in a project's mkdocs.yml."""
    cfg = project / "mkdocs.yml"
    text = cfg.read_text()
    assert "      review_months: 12\n" in text
    cfg.write_text(text.replace("      review_months: 12\n", f"      review_months: 12\n      {option}\n", 1))


def wait_until(browser, script: str, *args, timeout: float = 15):
    """Wait for a browser condition (a script that returns true) rather than sleeping a fixed time:
    a busy CI machine can be much slower than a laptop. Fails with the script if it never holds."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait
    try:
        return WebDriverWait(browser, timeout, poll_frequency=0.05).until(
            lambda d: d.execute_script(script, *args))
    except TimeoutException:
        pytest.fail(f"waited {timeout} s for the page to make this true: {script}")


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _share_the_cache(shared_cache, monkeypatch):
    """Every test's builds share one cache of made PDFs and audio (keyed by content, so sharing is
    safe), as a CI pipeline would: the suite then speaks each unchanged page once, not once a test.
    Tests about the cache itself ask for `own_cache`."""
    monkeypatch.setenv(CACHE_ENV, str(shared_cache))


@pytest.fixture
def own_cache(monkeypatch):
    """The project keeps its cache in its own folder (the default, .cache/clearinfo)."""
    monkeypatch.delenv(CACHE_ENV, raising=False)


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path / "project")


@pytest.fixture
def run(capsys):
    """Run the clearinfo command in this process; returns (exit code, stdout, stderr)."""
    def _run(*args):
        code = cli.main([str(a) for a in args])
        out = capsys.readouterr()
        return code, out.out, out.err
    return _run


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, shared_cache) -> Path:
    """The bundled content built once with the real command, for tests that read the output. It
    fills the shared cache (a session fixture is made before the cache setting above applies)."""
    project = make_project(tmp_path_factory.mktemp("bundled") / "project", all_content=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(CACHE_ENV, str(shared_cache))
        code = cli.main(["build", "-f", str(project / "mkdocs.yml")])
    assert code == 0, "the bundled site must build"
    # A copy of the cache as this build left it: other tests damage cached files on purpose (and
    # their builds make them again, a little differently), so a test that rebuilds this same site
    # and expects the same bytes uses the copy.
    shutil.copytree(shared_cache, project.parent / "cache-of-this-build")
    return project / "site"


@pytest.fixture(scope="session")
def built_site_cache(built_site) -> Path:
    """The cache exactly as the bundled build left it (see built_site)."""
    return built_site.parent.parent / "cache-of-this-build"


# Fixtures that build a site or start a browser: a test that uses one is "slow", and the quick
# tier (`make test-fast`, for a contributor who changed one function) leaves it out.
SLOW_FIXTURES = {"built_site", "easy_read_site", "run", "project", "own_cache", "browser", "broken_result", "site", "checked",
                 "properdocs_site"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if SLOW_FIXTURES & set(item.fixturenames) or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)
