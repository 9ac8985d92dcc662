"""Long pages: a page of any length is spoken in parts and joined into one MP3 whose timings fit it;
a page whose audio fails is the page named; a damaged cache entry is made again, never published.
Real espeak-ng, ffmpeg and WeasyPrint, and one real 20,000-word build."""
from __future__ import annotations

import hashlib
import json
import os
import random
import re
import signal
import subprocess
import sys
import textwrap
from array import array
from pathlib import Path

import pytest

import clearinfo.formats.audio as audio
from clearinfo.check.audio_checks import check_mp3
from clearinfo.errors import EnvironmentProblem
from clearinfo.formats.speech import Pronouncer, SpeechItem, speech_items, transcript
from clearinfo.project import CACHE_ENV
from conftest import ROOT, make_project

SENTENCES = [
    "You can ask us for help at any time.", "We will listen to what you say.",
    "A carer is someone who looks after a friend or family member.", "You do not have to pay for an assessment.",
    "We will write to you within 2 weeks.", "Tell us if you need an interpreter.",
    "You can bring someone with you to the meeting.", "We will talk with you about what matters to you.",
    "Your plan says what support you will get.", "You can ask us to look at your plan again.",
    "Some support is free.", "We will explain what you may need to pay, and why.",
]
LAST = "This is the last sentence of the long page."


def long_markdown(words: int, seed: int = 1) -> str:
    """About `words` words of plain English in paragraphs of 5 sentences, a heading every 40."""
    rnd, out, para, count, n = random.Random(seed), [], [], 0, 0
    while count < words:
        sentence = rnd.choice(SENTENCES)
        para.append(sentence)
        count += len(sentence.split())
        if len(para) == 5:
            n += 1
            out.append(" ".join(para))
            para = []
            if n % 40 == 0:
                out.append(f"## Part {n // 40 + 1}")
    return "\n\n".join(out + [" ".join(para + [LAST])]) + "\n"


def job_for(title: str, html: str, source: str = "") -> audio.AudioJob:
    _, items = speech_items(title, None, html, Pronouncer({}))
    return audio.AudioJob(title.lower().replace(" ", "-"), title, "Example Council", items, audio.Voice(),
                          source=source)


def as_html(markdown: str) -> str:
    return "".join(f"<h2>{p[3:]}</h2>" if p.startswith("## ") else f"<p>{p}</p>" for p in markdown.split("\n\n"))


def decoded(mp3: Path, rate: int = 8000) -> array:
    """Every sample of the MP3, decoded: a broken or cut file fails here."""
    out = subprocess.run(["ffmpeg", "-v", "error", "-i", str(mp3), "-f", "s16le", "-ac", "1", "-ar", str(rate), "-"],
                         capture_output=True, check=True)
    assert not out.stderr, out.stderr
    return array("h", out.stdout)


def loudness(samples: array, rate: int, start: float, end: float) -> float:
    window = samples[int(start * rate):int(end * rate)]
    return sum(abs(s) for s in window) / max(len(window), 1)


def assert_timings_fit(timings: list[dict], seconds: float) -> None:
    assert timings and timings[0]["s"] == 0
    for a, b in zip(timings, timings[1:]):
        assert a["s"] < a["e"] <= b["s"], (a, b)
    assert timings[-1]["e"] <= seconds + 0.1


# --- Parts and pieces ------------------------------------------------------------------------------

def test_a_page_is_cut_into_parts_at_sentence_ends_in_order():
    items = [SpeechItem(2, s, s) for s in SENTENCES * 50]
    parts = audio.chunks(items, words=100)
    assert [s for part in parts for s in part] == [i.spoken for i in items]
    assert len(parts) > 5
    longest = max(len(s.split()) for s in SENTENCES)
    assert all(100 <= sum(len(s.split()) for s in part) < 100 + longest for part in parts[:-1])
    assert audio.chunks([]) == []


def test_a_run_on_sentence_is_said_in_pieces_broken_after_commas():
    words = [f"word{n}," if n % 40 == 39 else f"word{n}" for n in range(1000)]
    parts = audio.pieces(" ".join(words))
    assert " ".join(parts).split() == words
    assert all(len(p.split()) <= audio.PIECE_WORDS for p in parts)
    assert all(p.endswith(",") for p in parts[:-1])  # each piece ends where the sentence pauses
    assert audio.pieces("We will help you.") == ["We will help you."]


def test_a_very_long_sentence_no_longer_crashes_the_speech_engine():
    """pyttsx3 2.99 tells espeak-ng that a text is 10 times its length, and espeak-ng reads past its
    end: measured here, one sentence of some 20,000 characters or more killed the process (SIGSEGV),
    and one of 2 MB always does. Run in a process of its own, so that a crash fails this test and not
    the whole test run. Then a sentence of 2,500 words is said in pieces, as long as said whole."""
    script = textwrap.dedent("""
        import contextlib, io
        import pyttsx3
        from pyttsx3.drivers import _espeak
        from clearinfo.formats import audio
        with contextlib.redirect_stdout(io.StringIO()):
            pyttsx3.init()
        espeak = audio._Espeak(_espeak)
        recorder = audio._Recorder(espeak)
        _espeak.SetSynthCallback(recorder)
        text = " ".join(["independence"] * 2500)  # 32,499 characters, no full stop
        whole = recorder._say(text, last=True)
        pieces = recorder.speak(text)
        print(len(whole) // 2 / 22050, len(pieces) // 2 / 22050)
        # Last: stopped at its first sound, espeak-ng says nothing more in this process.
        _espeak.SetSynthCallback(lambda wav, count, events: 1)  # reading the text is the test
        huge = (" ".join(["independence"] * 160_000) + ".").encode()
        assert espeak.Synth(huge, flags=_espeak.CHARS_UTF8) == _espeak.EE_OK
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"the speech process stopped with code {result.returncode}: {result.stderr[-500:]}"
    whole, pieces = map(float, result.stdout.split())
    assert whole > 600 and abs(pieces - whole) / whole < 0.1  # some 20 minutes of speech, either way


# --- Joining ----------------------------------------------------------------------------------------

def test_parts_spoken_side_by_side_join_into_one_mp3_whose_timings_fit(tmp_path, monkeypatch):
    """A page of some 700 words in parts of 100, on 2 processes: the sentences come back in page order,
    each sentence's timing covers sound and each pause between them is silent, across every join."""
    monkeypatch.setattr(audio, "CHUNK_WORDS", 100)
    markdown = long_markdown(700, seed=2)
    job = job_for("Joined page", as_html(markdown))
    assert len(audio.chunks(job.items)) >= 6
    made = audio.make_audio([job], tmp_path, workers=2, say=lambda *_: None)
    mp3, timings = made[job.name]
    assert [t["t"] for t in timings] == [i.text for i in job.items]
    rate = 8000
    samples = decoded(mp3, rate)
    seconds = len(samples) / rate
    assert_timings_fit(timings, seconds)
    assert seconds - timings[-1]["e"] < 0.5
    for a, b in zip(timings, timings[1:]):
        assert loudness(samples, rate, a["s"], a["s"] + 0.3) > 300, f"no speech where {a['t']!r} starts"
        assert loudness(samples, rate, a["e"] + 0.05, b["s"] - 0.05) < 30, f"sound in the pause after {a['t']!r}"
    # The cache keeps the MP3 with its size and checksum.
    record = json.loads(mp3.with_suffix(".json").read_text())
    assert record["kept"]["timings"] == timings and record["bytes"] == mp3.stat().st_size
    assert record["sha256"] == hashlib.sha256(mp3.read_bytes()).hexdigest()


# --- Failures name their page -------------------------------------------------------------------------

MARK = "Please stop here."
DIED_ONCE = "CLEARINFO_TEST_DIED_ONCE"


def failing_speak(voice, texts, out_pcm):
    """Speaks as Clearinfo does, but a part holding MARK fails as the test asks: its process is killed
    (as the kernel kills one that runs out of memory), or the speech engine reports an error.
    Defined here, at the top level, so the worker processes can find it."""
    if any(MARK in t for t in texts):
        how = os.environ.get("CLEARINFO_TEST_FAIL", "die")
        once = os.environ.get(DIED_ONCE)
        if how == "die" and not (once and os.path.exists(once)):
            if once:
                Path(once).touch()
            os.kill(os.getpid(), signal.SIGKILL)
        if how == "raise":
            raise RuntimeError(f"espeak-ng refused a sentence (error -1): {MARK!r}")
    return audio.speak(voice, texts, out_pcm)


def pages_with_one_marked(marked: str) -> list[audio.AudioJob]:
    titles = ["Accessibility statement", "Home", "Getting care and support", "A very long page", "Words we use"]
    jobs = []
    for n, title in enumerate(titles):
        words = long_markdown(300 if title != marked else 60, seed=n)
        if title == marked:
            words = words.replace("\n\n", f"\n\n{MARK} ", 1)
        jobs.append(job_for(title, as_html(words), source=f"content/{title.lower().replace(' ', '-')}.md"))
    return jobs


@pytest.mark.parametrize("how", ["die", "raise"])
def test_a_page_whose_speech_fails_is_the_page_named(tmp_path, monkeypatch, how):
    """Before, a worker process that died failed every page it held, and the first of those was the one
    named: the page 'Accessibility statement' was blamed for a 200,000-word page (issue 10)."""
    monkeypatch.setattr(audio, "speak", failing_speak)
    monkeypatch.setenv("CLEARINFO_TEST_FAIL", how)
    monkeypatch.delenv(DIED_ONCE, raising=False)
    jobs = pages_with_one_marked("A very long page")
    said = []
    with pytest.raises(EnvironmentProblem) as e:
        audio.make_audio(jobs, tmp_path, workers=2, say=said.append)
    message = str(e.value)
    assert message.startswith("Clearinfo could not make the audio for content/a-very-long-page.md, "
                              "the page 'A very long page' (")
    others = [j for j in jobs if j.title != "A very long page"]
    assert not [j.title for j in others if j.title in message or j.source in message]
    if how == "die":
        assert "the speech process stopped suddenly: the computer may have run out of memory" in message
    else:
        assert "(espeak-ng refused a sentence (error -1): 'Please stop here.')" in message
    assert "Traceback" not in message
    # The failing page's audio is not kept.
    assert not list(tmp_path.glob("a-very-long-page-*"))


def test_a_process_that_dies_once_costs_nothing_but_time(tmp_path, monkeypatch):
    """A process killed once (say for want of memory while another page was spoken beside it) is
    tried again alone: the build goes on and every page has its audio."""
    monkeypatch.setattr(audio, "speak", failing_speak)
    monkeypatch.setenv("CLEARINFO_TEST_FAIL", "die")
    monkeypatch.setenv(DIED_ONCE, str(tmp_path / "died"))
    jobs = pages_with_one_marked("Home")
    said = []
    made = audio.make_audio(jobs, tmp_path / "cache", workers=2, say=said.append)
    assert (tmp_path / "died").exists()
    assert any("one part at a time" in s for s in said)
    assert set(made) == {j.name for j in jobs}
    for job in jobs:
        mp3, timings = made[job.name]
        assert [t["t"] for t in timings] == [i.text for i in job.items]
        assert_timings_fit(timings, len(decoded(mp3)) / 8000)


# --- The cache --------------------------------------------------------------------------------------

def build(run, project: Path) -> None:
    code, _, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 0, err


def test_a_damaged_cached_mp3_is_made_again_and_never_published(tmp_path, monkeypatch, run):
    project = make_project(tmp_path / "project")
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(cache))
    build(run, project)
    entries = {p.name.rsplit("-", 1)[0]: p for p in (cache / "audio").glob("*.mp3")}
    cut, flipped, lost = entries["home"], entries["accessibility"], entries["words-we-use"]
    whole = {p: p.read_bytes() for p in (cut, flipped, lost)}
    untouched = {p: p.stat().st_mtime_ns for p in entries.values() if p not in whole}
    cut.write_bytes(whole[cut][: len(whole[cut]) // 2])          # a build stopped, or a full disk
    data = bytearray(whole[flipped])
    data[len(data) // 2: len(data) // 2 + 64] = bytes(64)         # the same size, but not the same file
    flipped.write_bytes(bytes(data))
    record = lost.with_suffix(".json")
    record.write_text(record.read_text()[:100])                  # its record cut short
    build(run, project)
    assert {p: p.stat().st_mtime_ns for p in untouched} == untouched  # only the damaged were spoken again
    site = project / "site"
    for entry, published in ((cut, site / "home-audio.mp3"),
                             (flipped, site / "accessibility" / "accessibility-audio.mp3"),
                             (lost, site / "words-we-use" / "words-we-use-audio.mp3")):
        record = json.loads(entry.with_suffix(".json").read_text())
        assert published.read_bytes() == entry.read_bytes()
        assert record["sha256"] == hashlib.sha256(entry.read_bytes()).hexdigest()
        assert abs(len(entry.read_bytes()) - len(whole[entry])) < len(whole[entry]) * 0.1
        timings = json.loads(published.with_suffix(".json").read_text())
        assert timings == record["kept"]["timings"]
        assert_timings_fit(timings, len(decoded(published)) / 8000)
        assert check_mp3(site, published) == []


# --- The check on published audio ---------------------------------------------------------------------

def test_the_audio_check_finds_a_file_cut_at_a_frame_edge_and_timings_that_do_not_fit(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    job = job_for("Getting help", as_html(long_markdown(120)))
    good = site / "help-audio.mp3"
    timings = audio.synthesise(job, str(good))
    good.with_suffix(".json").write_text(json.dumps(timings))
    (site / "help-transcript.txt").write_text(transcript(job.items))
    assert check_mp3(site, good) == []
    # Cut at the start of a frame: every frame left decodes, but the file stops early.
    data = good.read_bytes()
    frames = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "packet=pos", "-of", "csv=p=0", str(good)],
                            capture_output=True, text=True, check=True).stdout.split()
    edge = int(frames[len(frames) // 2])  # where a frame starts, half way through
    cut = site / "cut-audio.mp3"
    cut.write_bytes(data[:edge])
    [finding] = check_mp3(site, cut)
    assert finding.rule == "audio-broken" and "cut short" in finding.message
    # Timings out of order, or past the end of the sound.
    for name, change in (("order", lambda t: t[3].update(s=t[2]["s"])), ("end", lambda t: t[-1].update(e=999.0))):
        mp3 = site / f"{name}-audio.mp3"
        mp3.write_bytes(data)
        changed = json.loads(json.dumps(timings))
        change(changed)
        mp3.with_suffix(".json").write_text(json.dumps(changed))
        [finding] = check_mp3(site, mp3)
        assert finding.rule == "audio-timings" and finding.message.startswith(
            f"The read-along timings ({name}-audio.json) do not fit the audio: ")


# --- A 20,000-word page, built for real ------------------------------------------------------------------

MEASURE = """
import os, subprocess, sys
build = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(build.pid, 0)
print(usage.ru_maxrss)
sys.exit(os.waitstatus_to_exitcode(status))
"""


@pytest.mark.slow
def test_a_20000_word_page_builds_in_every_format(tmp_path):
    """The web page, the large print PDF and the audio, with a fresh cache so all is really made.
    Run as a command of its own, to measure its largest process: the audio no longer holds the page's
    whole sound (measured before: 483 MB for this page, 4.7 GB for 200,000 words)."""
    import pypdf

    project = make_project(tmp_path / "project")
    page = (ROOT / "content" / "getting-care-and-support.md").read_text(encoding="utf-8")
    front = page.split("---\n")[1].replace("title: Getting care and support", "title: A very long page")
    front = re.sub(r"^covers:\n(?:  .*\n)*", "covers: []\n", front, flags=re.M)  # it names that page's headings
    assert "print: true" in front and "audio: true" in front
    body = long_markdown(20_000)
    (project / "content" / "long-page.md").write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - index.md\n", "  - index.md\n  - long-page.md\n", 1))
    env = dict(os.environ, **{CACHE_ENV: str(tmp_path / "cache")})
    with open(tmp_path / "err.txt", "w") as err:
        # A small go-between starts the build and measures it: a process started straight from this
        # one would count this test process's own size (Linux keeps the largest size a process had
        # before it started another program, and a fork starts as a copy of this one).
        command = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, "-m", "clearinfo", "build", "-f",
                                  str(config)], env=env, stdout=subprocess.PIPE, stderr=err, text=True)
    largest = int(command.stdout.split()[-1])  # kilobytes: the build's, its worker processes' too
    err = (tmp_path / "err.txt").read_text()
    assert command.returncode == 0, err[-2000:]
    assert "Traceback" not in err
    site = project / "site" / "long-page"

    html = (site / "index.html").read_text(encoding="utf-8")
    assert "<h1" in html and "A very long page" in html and LAST in html

    pdf = pypdf.PdfReader(site / "long-page-large-print.pdf")
    assert len(pdf.pages) > 40
    end = " ".join(" ".join(p.extract_text() for p in pdf.pages[-3:]).split())
    assert "last sentence of the long page" in end

    mp3 = site / "long-page-audio.mp3"
    seconds = len(decoded(mp3)) / 8000
    words = len(re.findall(r"\w+", (site / "long-page-transcript.txt").read_text(encoding="utf-8")))
    assert words >= 20_000
    assert 120 <= words / (seconds / 60) <= 300, f"{words} words in {seconds:.0f} seconds"
    timings = json.loads((site / "long-page-audio.json").read_text())
    assert_timings_fit(timings, seconds)
    # The page's last sentence, then the review dates (said at the end of every page's audio).
    assert timings[-3]["t"] == LAST and timings[-1]["t"].startswith("Next review ") and seconds - timings[-1]["e"] < 1
    assert check_mp3(project / "site", mp3) == []
    assert largest < 300_000, f"a process of the build used {largest // 1024} MB"
