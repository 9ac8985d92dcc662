"""Audio: real speech from espeak-ng through pyttsx3, MP3s that decode, sentence timings that
match the page, a cache that speaks nothing twice, and clear errors when speech is missing."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from clearinfo.check.browser import chromium, serve_directory
from clearinfo.content.pages import split_front_matter
from clearinfo.formats.audio import AudioJob, Voice, _Recorder, synthesise
from clearinfo.formats.speech import Pronouncer, speech_items
from conftest import ROOT, wait_until


def probe(mp3: Path) -> dict:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration:format_tags",
                          "-show_entries", "stream=codec_name,channels", "-of", "json", str(mp3)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def decoded_seconds(mp3: Path) -> float:
    """Decode every frame (not just read the header): a broken file fails here."""
    out = subprocess.run(["ffmpeg", "-v", "error", "-i", str(mp3), "-f", "s16le", "-ac", "1", "-ar", "16000", "-"],
                         capture_output=True, check=True)
    assert not out.stderr, out.stderr
    return len(out.stdout) / 2 / 16000


def normal(text: str) -> str:
    return " ".join(text.split())


SHORT = "<h2>Get help</h2><p>Phone us on 01632 960000. We will listen to you.</p>"
LONG = SHORT + ("<p>You can ask for an assessment of your needs. We will talk with you about what you want "
                "to achieve. We will write a plan with you. You can ask someone to be with you.</p>"
                "<ul><li>home care</li><li>help for carers</li></ul>")


def spoken(tmp_path, name, html):
    annotated, items = speech_items("Getting help", "A short page.", html, Pronouncer({"NHS": "N H S"}))
    job = AudioJob(name, "Getting help", "Example Council", items, Voice())
    mp3 = tmp_path / f"{name}.mp3"
    timings = synthesise(job, str(mp3))
    return annotated, items, timings, mp3


def test_real_speech_makes_a_decodable_mp3_with_true_timings(tmp_path):
    annotated, items, timings, mp3 = spoken(tmp_path, "short", SHORT)
    info = probe(mp3)
    assert info["streams"][0]["codec_name"] == "mp3" and info["streams"][0]["channels"] == 1
    tags = {k.lower(): v for k, v in info["format"]["tags"].items()}
    assert tags["title"] == "Getting help" and tags["artist"] == "Example Council"
    seconds = decoded_seconds(mp3)
    assert abs(seconds - float(info["format"]["duration"])) < 0.5
    # Timings are in order, do not overlap, and lie inside the audio.
    assert [t["t"] for t in timings] == [i.text for i in items]
    for a, b in zip(timings, timings[1:]):
        assert a["s"] < a["e"] <= b["s"]
    assert timings[0]["s"] == 0 and timings[-1]["e"] <= seconds + 0.1
    # Each timing's text is a sentence of the page, in the block it is numbered with.
    soup = BeautifulSoup(annotated, "html.parser")
    page_text = {"0": "Getting help", "1": "A short page."}
    page_text.update({el["data-ci-read"]: normal(el.get_text()) for el in soup.select("[data-ci-read]")})
    for t in timings:
        assert t["t"] in page_text[str(t["b"])]
    assert "Phone us on 01632 960000." in [t["t"] for t in timings]
    # The phone number is said digit by digit.
    assert any("0 1 6 3 2, 9 6 0 0 0 0" in i.spoken for i in items)


def test_the_last_buffer_of_a_sentence_is_kept_and_silence_is_an_error():
    """espeak-ng can hand back the end of a sentence in the same call as its end-of-message event;
    pyttsx3's own save_to_file loses that buffer (and so, sometimes, a whole short sentence)."""
    import ctypes
    from pyttsx3.drivers import _espeak

    class FakeEngine:
        EE_OK, ENDPAUSE, CHARS_UTF8 = 0, 0, 0
        EVENT_LIST_TERMINATED, EVENT_MSG_TERMINATED = _espeak.EVENT_LIST_TERMINATED, _espeak.EVENT_MSG_TERMINATED

        def __init__(self, buffers):
            self.buffers = buffers

        def Synth(self, text, flags):
            for samples, last in self.buffers:
                wav = (ctypes.c_short * max(len(samples), 1))(*samples)
                events = (_espeak.EVENT * 2)()
                events[0].type = _espeak.EVENT_MSG_TERMINATED if last else _espeak.EVENT_LIST_TERMINATED
                events[1].type = _espeak.EVENT_LIST_TERMINATED
                recorder(wav, len(samples), events)
            return 0

    recorder = _Recorder(FakeEngine([([1, 2, 3], False), ([4, 5], True)]))
    sound = recorder.speak("Hello.")
    assert list((ctypes.c_short * 5).from_buffer_copy(sound)) == [1, 2, 3, 4, 5]
    recorder = _Recorder(FakeEngine([([], True)]))
    with pytest.raises(RuntimeError, match="no sound"):
        recorder.speak("Hello.")


def test_a_table_is_read_with_its_column_headings():
    html = ("<table><thead><tr><th>Service</th><th>Cost</th></tr></thead><tbody>"
            "<tr><td>Advice</td><td>Free. Always.</td></tr><tr><td colspan=\"2\">Ask us</td></tr></tbody></table>")
    annotated, items = speech_items("Costs", None, html, Pronouncer({}))
    assert [(i.text, i.spoken) for i in items] == [
        ("Costs", "Costs"), ("Service", "Service"), ("Cost", "Cost"), ("Advice", "Service: Advice"),
        ("Free.", "Cost: Free."), ("Always.", "Always."), ("Ask us", "Service: Ask us")]


def test_length_grows_with_the_words(tmp_path):
    *_, short_mp3 = spoken(tmp_path, "short", SHORT)
    *_, long_mp3 = spoken(tmp_path, "long", LONG)
    short_words = len(re.findall(r"\w+", SHORT))
    long_words = len(re.findall(r"\w+", LONG))
    ratio = decoded_seconds(long_mp3) / decoded_seconds(short_mp3)
    assert ratio > 1.5 and ratio < 2 * long_words / short_words


def published_with_audio():
    out = []
    for md in sorted((ROOT / "content").glob("*.md")):
        meta = yaml.safe_load(split_front_matter(md.read_text())[0])
        if meta["status"] != "draft" and meta.get("audio", True):
            out.append(("" if md.stem == "index" else md.stem, "home" if md.stem == "index" else md.stem))
    for er in sorted((ROOT / "easyread").glob("*.md")):
        out.append((f"easy-read/{er.stem}", f"easy-read-{er.stem}"))
    return out


def test_every_page_has_audio_timings_and_transcript(built_site):
    pages = published_with_audio()
    assert len(pages) >= 20
    for folder, name in pages:
        d = built_site / folder
        mp3, timings_file = d / f"{name}-audio.mp3", d / f"{name}-audio.json"
        assert mp3.stat().st_size > 5_000, folder
        timings = json.loads(timings_file.read_text())
        duration = float(probe(mp3)["format"]["duration"])
        assert timings[-1]["e"] <= duration + 0.1
        soup = BeautifulSoup((d / "index.html").read_text(), "html.parser")
        text = normal(soup.main.get_text(" "))
        for t in timings:
            assert normal(t["t"]) in text or normal(t["t"]).replace(" ", "") in text.replace(" ", ""), (folder, t["t"])
        player = soup.select_one(".ci-player")
        assert player.audio["src"] == f"{name}-audio.mp3" and player.audio.has_attr("controls")
        assert player.select_one("a[download]")["href"] == f"{name}-audio.mp3"
        assert json.loads(player.select_one(".ci-player__timings").string) == timings
        transcript = (d / f"{name}-transcript.txt").read_text()
        assert normal(timings[0]["t"]) in transcript


def build(run, project):
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 0, err
    return out


def test_second_build_speaks_nothing_and_one_edit_speaks_one_page(project, run, own_cache):
    cache = project / ".cache" / "clearinfo" / "audio"
    build(run, project)
    first = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.mp3")}
    assert len(first) == 5  # the 4 pages of the test project and its "Printed copies" page
    build(run, project)
    assert {p.name: p.stat().st_mtime_ns for p in cache.glob("*.mp3")} == first
    page = project / "content" / "getting-care-and-support.md"
    page.write_text(page.read_text() + "\nWe will write to you.\n")
    build(run, project)
    second = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.mp3")}
    assert len(second) == 5
    assert len(set(second.items()) - set(first.items())) == 1


def test_page_in_another_language_gets_that_voice(project, run):
    page = project / "content" / "accessibility.md"
    page.write_text(page.read_text().replace("audio: true", "audio: true\nlanguage: pl"))
    build(run, project)
    tags = probe(project / "site" / "accessibility" / "accessibility-audio.mp3")["format"]["tags"]
    assert {k.lower(): v for k, v in tags.items()}["language"] == "pl"


def test_a_page_can_turn_audio_off(project, run):
    page = project / "content" / "accessibility.md"
    page.write_text(page.read_text().replace("audio: true", "audio: false"))
    build(run, project)
    assert not list((project / "site" / "accessibility").glob("*.mp3"))
    soup = BeautifulSoup((project / "site" / "accessibility" / "index.html").read_text(), "html.parser")
    assert soup.select_one(".ci-player") is None


def run_without_ffmpeg(project) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=str(Path(sys.executable).parent))  # no /usr/bin: no ffmpeg
    return subprocess.run([sys.executable, "-m", "clearinfo", "build", "-f", str(project / "mkdocs.yml")],
                          capture_output=True, text=True, env=env)


def test_missing_speech_tools_are_explained(project, own_cache):
    result = run_without_ffmpeg(project)
    assert result.returncode == 2
    assert ("Error: Clearinfo cannot make audio: ffmpeg is not installed. On Debian or Ubuntu run: sudo apt-get "
            "install espeak-ng ffmpeg ('make setup' does this). Or turn audio off: set 'audio: false' under the "
            "clearinfo plugin in mkdocs.yml.") in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "site").exists()


def test_with_audio_off_the_rest_builds_without_speech_tools(project):
    cfg = project / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("      review_months: 12\n", "      review_months: 12\n      audio: false\n"))
    result = run_without_ffmpeg(project)
    assert result.returncode == 0, result.stderr
    assert (project / "site" / "index.html").exists()
    assert not list((project / "site").rglob("*.mp3"))


@pytest.mark.browser
def test_player_works_from_the_keyboard(built_site):
    with serve_directory(built_site) as url, chromium() as browser:
        browser.get(url + "complaints/")
        audio = "return document.querySelector('.ci-player audio')"
        play = browser.find_element(By.CSS_SELECTOR, ".ci-player [data-action=play]")
        assert play.is_displayed() and not browser.execute_script(audio + ".controls")
        # Tab from the quick read to the play button, as a keyboard user would.
        browser.execute_script("document.querySelector('#quick-read').setAttribute('tabindex','-1');"
                               "document.querySelector('#quick-read').focus()")
        for _ in range(10):
            browser.switch_to.active_element.send_keys(Keys.TAB)
            if browser.switch_to.active_element == play:
                break
        assert browser.switch_to.active_element == play
        play.send_keys(Keys.ENTER)
        wait_until(browser, audio + ".currentTime > 0.5")
        assert browser.execute_script(audio + ".paused") is False
        assert play.text == "Pause"
        wait_until(browser, "return CSS.highlights.has('ci-reading')")
        play.send_keys(Keys.SPACE)
        assert browser.execute_script(audio + ".paused") is True
        # The button's words follow the audio's 'pause' event, which the browser sends a moment later.
        wait_until(browser, "return document.querySelector('.ci-player [data-action=play]').textContent.trim() === 'Play'")
        assert play.text == "Play"
        before = browser.execute_script(audio + ".currentTime")
        forward = browser.find_element(By.CSS_SELECTOR, ".ci-player [data-action=forward]")
        forward.send_keys(Keys.ENTER)
        wait_until(browser, audio + ".currentTime >= arguments[0] + 9", before)
        speed = browser.find_element(By.CSS_SELECTOR, ".ci-player [data-action=speed]")
        speed.send_keys(Keys.ARROW_DOWN)
        assert browser.execute_script(audio + ".playbackRate") == 1.25
        back = browser.find_element(By.CSS_SELECTOR, ".ci-player [data-action=back]")
        back.send_keys(Keys.ENTER)
        wait_until(browser, audio + ".currentTime < arguments[0] + 1", before)


@pytest.mark.browser
def test_without_javascript_the_native_player_and_download_work(built_site):
    with serve_directory(built_site) as url, chromium(javascript=False) as browser:
        browser.get(url + "complaints/")
        audio = browser.find_element(By.CSS_SELECTOR, ".ci-player audio")
        assert audio.is_displayed() and audio.get_attribute("controls") is not None
        assert not browser.find_element(By.CSS_SELECTOR, ".ci-player__controls").is_displayed()
        assert browser.find_element(By.CSS_SELECTOR, ".ci-player a[download]").is_displayed()


def test_a_speech_engine_failure_is_explained(tmp_path, monkeypatch):
    """If espeak-ng stalls or fails on a page, the build stops with a plain message, not a traceback."""
    import clearinfo.formats.audio as audio
    from clearinfo.errors import EnvironmentProblem

    def broken(job, out_mp3):
        raise RuntimeError("espeak-ng stopped answering while speaking 'Phone us.'")

    monkeypatch.setattr(audio, "synthesise", broken)
    annotated, items = speech_items("Getting help", None, SHORT, Pronouncer({}))
    job = AudioJob("help", "Getting help", "Example Council", items, Voice())
    with pytest.raises(EnvironmentProblem) as e:
        audio.make_audio([job], tmp_path, workers=1, say=lambda *_: None)
    assert str(e.value) == (
        "Clearinfo could not make the audio for the page 'Getting help' (espeak-ng stopped answering while "
        "speaking 'Phone us.'). Nothing in the site folder was changed. Try the build again. If it fails again, "
        "check that speech works on this machine (run: espeak-ng \"hello\"), or turn audio off: set "
        "'audio: false' under the clearinfo plugin in mkdocs.yml.")
