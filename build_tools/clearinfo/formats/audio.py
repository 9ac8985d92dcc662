"""Audio for every page: speech from espeak-ng through pyttsx3, one sentence at a time, so the
start and end of every sentence is known exactly; joined with short pauses and encoded as a
small mono MP3 (title and council in its tags) by ffmpeg.

Cached by a hash of the spoken words and the voice settings: a page whose words did not change
is never spoken again. Pages are spoken 2 at a time, on separate processes.
"""
from __future__ import annotations

import concurrent.futures
import concurrent.futures.process
import contextlib
import ctypes
import hashlib
import io
import json
import multiprocessing
import os
import shutil
import subprocess
import tempfile
import threading
import wave
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import EnvironmentProblem
from .speech import SpeechItem

PAUSE_SENTENCE = 0.30   # seconds of silence between sentences
PAUSE_BLOCK = 0.65      # and between paragraphs, headings and list items
BITRATE = "48k"         # mono speech: small files, clear enough
SAMPLE_RATE = 22050     # espeak-ng speaks 16-bit mono at this rate
SENTENCE_TIMEOUT = 120  # seconds: no sentence takes this long unless the engine has stalled
INSTALL = ("On Debian or Ubuntu run: sudo apt-get install espeak-ng ffmpeg ('make setup' does this). "
           "Or turn audio off: set 'audio: false' under the clearinfo plugin in mkdocs.yml.")


@dataclass(frozen=True)
class Voice:
    language: str = "en-gb"
    voice: str = ""      # a pyttsx3 voice id; empty picks one for the language
    rate: int = 160      # words a minute


@dataclass
class AudioJob:
    name: str
    title: str
    artist: str
    items: list[SpeechItem]
    voice: Voice


def check_engine() -> None:
    """Say clearly, before any work, if speech cannot be made on this machine."""
    if shutil.which("ffmpeg") is None:
        raise EnvironmentProblem(f"Clearinfo cannot make audio: ffmpeg is not installed. {INSTALL}")
    try:
        import pyttsx3
        with contextlib.redirect_stdout(io.StringIO()):
            engine = pyttsx3.init()
            engine.getProperty("voices")
    except Exception as e:  # pyttsx3 raises many kinds when espeak-ng is missing
        raise EnvironmentProblem(f"Clearinfo cannot make audio: the speech engine espeak-ng did not start "
                                 f"({str(e).splitlines()[0] if str(e) else type(e).__name__}). {INSTALL}") from None


def pick_voice(engine, voice: Voice) -> str:
    voices = engine.getProperty("voices")
    if voice.voice:
        if any(v.id == voice.voice for v in voices):
            return voice.voice
        raise EnvironmentProblem(f"There is no speech voice called '{voice.voice}'. Leave 'audio_voice' empty to "
                                 "pick one for the language, or run 'espeak-ng --voices' to list them.")
    lang = voice.language.lower()
    for match in (lambda l: l == lang, lambda l: l.split("-")[0] == lang.split("-")[0]):
        for v in voices:
            if any(match(str(l).lower()) for l in (v.languages or [])):
                return v.id
    raise EnvironmentProblem(f"The speech engine has no voice for the language '{voice.language}'. "
                             "Run 'espeak-ng --voices' to see the languages it speaks.")


def audio_key(job: AudioJob) -> str:
    h = hashlib.sha256(json.dumps({"spoken": [(i.block, i.spoken) for i in job.items],
                                   "voice": asdict(job.voice), "title": job.title, "artist": job.artist,
                                   "pauses": [PAUSE_SENTENCE, PAUSE_BLOCK, BITRATE], "recorder": 2}).encode())
    return h.hexdigest()[:32]


def _silence(frames: int, width: int) -> bytes:
    return b"\x00" * frames * width


class _Recorder:
    """Keeps every buffer espeak-ng hands back for one sentence and waits for its end-of-message
    event. pyttsx3 2.99's own save_to_file drops the buffer that arrives with that event, and under
    load it sometimes writes a sentence as silence (its callback races its polling loop; measured
    here: 1 sentence in 240 with the CPU busy). So Clearinfo lets pyttsx3 start espeak-ng and set
    the voice and rate, and records the sound itself."""

    def __init__(self, espeak):
        self.espeak = espeak
        self.done = threading.Event()
        self.chunks: list[bytes] = []

    def __call__(self, wav, numsamples, events) -> int:
        if numsamples > 0:
            self.chunks.append(ctypes.string_at(wav, numsamples * ctypes.sizeof(ctypes.c_short)))
        i = 0
        while events[i].type != self.espeak.EVENT_LIST_TERMINATED:
            if events[i].type == self.espeak.EVENT_MSG_TERMINATED:
                self.done.set()
            i += 1
        return 0

    def speak(self, text: str) -> bytes:
        self.chunks = []
        self.done.clear()
        status = self.espeak.Synth(text.encode("utf-8"), flags=self.espeak.ENDPAUSE | self.espeak.CHARS_UTF8)
        if status != self.espeak.EE_OK:
            raise RuntimeError(f"espeak-ng refused a sentence (error {status}): {text[:60]!r}")
        if not self.done.wait(SENTENCE_TIMEOUT):
            raise RuntimeError(f"espeak-ng stopped answering while speaking {text[:60]!r}")
        sound = b"".join(self.chunks)
        if not sound:
            raise RuntimeError(f"espeak-ng made no sound for {text[:60]!r}")
        return sound


def synthesise(job: AudioJob, out_mp3: str) -> list[dict]:
    """Speak the job's sentences into out_mp3 (runs in a worker process). Returns the timings."""
    import pyttsx3
    from pyttsx3.drivers import _espeak

    with tempfile.TemporaryDirectory(prefix="clearinfo-audio-") as tmp:
        with contextlib.redirect_stdout(io.StringIO()):
            engine = pyttsx3.init()
            engine.setProperty("voice", pick_voice(engine, job.voice))
            engine.setProperty("rate", job.voice.rate)
            recorder = _Recorder(_espeak)
            _espeak.SetSynthCallback(recorder)
            sounds = [recorder.speak(item.spoken) for item in job.items]
        timings, frames = [], []
        position, last_block, rate, width = 0, None, SAMPLE_RATE, 2
        for n, (item, data) in enumerate(zip(job.items, sounds)):
            if n:
                pause = PAUSE_BLOCK if item.block != last_block else PAUSE_SENTENCE
                gap = int(pause * rate)
                frames.append(_silence(gap, width))
                position += gap
            count = len(data) // width
            timings.append({"b": item.block, "s": round(position / rate, 3),
                            "e": round((position + count) / rate, 3), "t": item.text})
            frames.append(data)
            position += count
            last_block = item.block
        joined = os.path.join(tmp, "all.wav")
        with wave.open(joined, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(width)
            w.setframerate(rate)
            w.writeframes(b"".join(frames))
        part = out_mp3 + ".part.mp3"
        result = subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", joined, "-ac", "1",
                                 "-codec:a", "libmp3lame", "-b:a", BITRATE, "-id3v2_version", "3",
                                 "-metadata", f"title={job.title}", "-metadata", f"artist={job.artist}",
                                 "-metadata", "language=" + job.voice.language, part],
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"ffmpeg could not make {Path(out_mp3).name}: {result.stderr.strip()}")
        os.replace(part, out_mp3)
    return timings


def _spoken(job: AudioJob, result):
    """The timings from one page's speech, or a clear message if the speech engine failed."""
    try:
        return result()
    except (RuntimeError, OSError, concurrent.futures.process.BrokenProcessPool) as e:
        raise EnvironmentProblem(
            f"Clearinfo could not make the audio for the page '{job.title}' ({e}). Nothing in the site folder "
            "was changed. Try the build again. If it fails again, check that speech works on this machine "
            "(run: espeak-ng \"hello\"), or turn audio off: set 'audio: false' under the clearinfo plugin "
            "in mkdocs.yml.") from None


def make_audio(jobs: list[AudioJob], cache_dir: Path, workers: int = 2, say=print) -> dict[str, tuple[Path, list]]:
    """Each job's MP3 and timings from the cache, speaking only what changed. Returns name -> (mp3, timings)."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    results, todo = {}, []
    for job in jobs:
        key = audio_key(job)
        mp3 = cache_dir / f"{job.name}-{key}.mp3"
        timings = mp3.with_suffix(".json")
        if mp3.exists() and timings.exists():
            results[job.name] = (mp3, json.loads(timings.read_text()))
        else:
            todo.append((job, mp3))
    if not todo:
        return results
    check_engine()
    say(f"  Speaking {len(todo)} page{'s' if len(todo) != 1 else ''} ({len(jobs) - len(todo)} unchanged) ...")
    done = []
    if len(todo) == 1 or workers <= 1:
        for job, mp3 in todo:
            done.append((job, mp3, _spoken(job, lambda: synthesise(job, str(mp3)))))
    else:
        # "spawn": a forked copy of a process that has started espeak-ng can hang.
        with concurrent.futures.ProcessPoolExecutor(max_workers=min(workers, len(todo)),
                                                    mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = {pool.submit(synthesise, job, str(mp3)): (job, mp3) for job, mp3 in todo}
            for f in concurrent.futures.as_completed(futures):
                job, mp3 = futures[f]
                done.append((job, mp3, _spoken(job, f.result)))
    for job, mp3, timings in done:
        mp3.with_suffix(".json").write_text(json.dumps(timings, ensure_ascii=False))
        results[job.name] = (mp3, timings)
        for old in cache_dir.glob(f"{job.name}-*.mp3"):
            if old != mp3 and len(old.stem) == len(mp3.stem):
                old.unlink(missing_ok=True)
                old.with_suffix(".json").unlink(missing_ok=True)
    return results


def duration_text(seconds: float) -> str:
    minutes = round(seconds / 60)
    if minutes < 1:
        return "less than a minute"
    return "1 minute" if minutes == 1 else f"{minutes} minutes"
