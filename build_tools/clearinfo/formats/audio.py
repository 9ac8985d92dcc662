"""Audio for every page: speech from espeak-ng through pyttsx3 (the default), or from Piper, a
natural voice (`audio_engine: piper`, formats/piper.py), one sentence at a time, so the start and
end of every sentence is known exactly; joined with short pauses and encoded as a small mono MP3
(title and council in its tags) by ffmpeg, at the same loudness on every page (TARGET_LUFS: the
page's loudness is measured in Python, formats/loudness.py, and the encode turns it up or down to
match). Two ffmpeg processes a page: one puts the page through the limiter to measure it, one encodes.

The timings the player reads give each sentence's start and end (exact) and each word's (an
estimate inside its sentence: formats/speech.py, word_times).

Any length works. A page is spoken in parts of about CHUNK_WORDS words, 2 parts at a time on
separate processes, each writing its sound straight to a temporary file; the parts are then fed in
order to one ffmpeg, so the MP3 is one piece and every timing is exact. Nothing held in memory
grows with the page (it used to: the whole page's sound, twice, some 23 MB per 1,000 words).

Cached (clearinfo/cache.py) by a hash of the spoken words, the engine, the voice settings (for
Piper, a hash of the voice's files and Piper's version), the loudness and the versions of
espeak-ng, ffmpeg and pyttsx3: a page whose words did not change is never spoken again. Each cache
entry records its MP3's size and SHA-256, so a file that was cut short or damaged (a full disk, a
stopped build) is made again, never published.
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import ctypes
import io
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass
from pathlib import Path

from ..cache import Shelf, key, tool_versions
from ..errors import EnvironmentProblem
from ..options import DEFAULT_CONCURRENCY
from ..progress import Progress
from .piper import model_config, model_fingerprint, piper_version, speak_piper
from .speech import SpeechItem, word_times

PAUSE_SENTENCE = 0.30   # seconds of silence between sentences
PAUSE_BLOCK = 0.65      # and between paragraphs, headings and list items
BITRATE = "48k"         # mono speech: small files, clear enough
# LAME's quality setting (0 best and slowest, 9 worst; 3 when none is given). 5 keeps what makes
# speech clear at this bit rate, noise shaping (the coding noise kept under what the voice hides), and
# leaves out 3's slowest refinements: measured on a page of speech, the same signal-to-noise and
# spectral distance as 3, for some 15 % less of the encode's time. (7 halves it, but turns noise
# shaping off: 5 dB more spectral distance, so no.)
ENCODER_QUALITY = "5"
# The same sound always makes the same MP3: no encoder name or version in the tags (issue 13).
BITEXACT = ["-fflags", "+bitexact", "-flags:a", "+bitexact"]
SAMPLE_RATE = 22050     # espeak-ng speaks 16-bit mono at this rate
SAMPLE_WIDTH = 2        # bytes a sample
SENTENCE_TIMEOUT = 120  # seconds: no piece of a sentence takes this long unless the engine has stalled
CHUNK_WORDS = 1500      # a page is spoken in parts of about this many words (some 7 minutes of speech)
PIECE_WORDS = 150       # a longer sentence is said in pieces, so no one call to espeak-ng runs long
INSTALL = ("On Debian or Ubuntu run: sudo apt-get install espeak-ng ffmpeg ('make setup' does this). "
           "Or turn audio off: set 'audio: false' under the clearinfo plugin in mkdocs.yml.")
STOPPED = "the speech process stopped suddenly: the computer may have run out of memory, or espeak-ng crashed"
# Every page's MP3 is this loud (integrated loudness, EBU R128), so going from page to page never
# changes the volume. -16 LUFS is what spoken-word streaming and podcasts use (AES TD1004).
TARGET_LUFS = -16.0
MOST_GAIN = 20.0        # dB: never turn a nearly silent recording up further (it would be noise)
# After turning up, the loudest moments are held under -1 dBFS by a limiter (no clipping), with its
# delay taken out, so the sound does not move against the timings.
LIMITER = "alimiter=limit=0.891:level=false:latency=true:attack=1:release=10"
# The MP3 encode leaves out the highest sounds, which the loudness measure weighs up: an MP3 measured
# 0.4 to 0.5 LU quieter than the sound it was made from (both engines, 48 kbit/s). So the sound is
# made this much louder than TARGET_LUFS before the encode.
ENCODER_LOSS = 0.4
# How the loudness is measured (formats/loudness.py): part of the cache key, so MP3s whose gain ffmpeg
# measured are made again once. Change it when the measure changes.
METER = "bs1770-python-1"
VOICED = 200            # a sample louder than this (of 32767) is sound, not the silence around a sentence


@dataclass(frozen=True)
class Voice:
    language: str = "en-gb"
    voice: str = ""      # a pyttsx3 voice id; empty picks one for the language
    rate: int = 160      # words a minute
    engine: str = "espeak"  # or "piper"
    model: str = ""      # Piper: the voice's .onnx file (absolute; its .onnx.json beside it)
    program: str = ""    # Piper: the piper program (absolute)


def sample_rate(voice: Voice) -> int:
    """The samples a second the engine speaks at: espeak-ng's, or the Piper voice's own."""
    return model_config(voice.model)["sample_rate"] if voice.engine == "piper" else SAMPLE_RATE


def speaker(voice: Voice, texts: list[str], out_pcm: str) -> tuple:
    """The task that speaks `texts` into out_pcm: (function, its arguments). espeak-ng runs in a
    new process of its own each time (see alone); Piper is a program of its own already."""
    if voice.engine == "piper":
        return (speak_piper, voice, texts, out_pcm)
    return (alone, speak, voice, texts, out_pcm)


@dataclass
class AudioJob:
    name: str
    title: str
    artist: str
    items: list[SpeechItem]
    voice: Voice
    source: str = ""     # the page's file as its writers know it, for messages: content/complaints.md


def check_engine(engine: str = "espeak") -> None:
    """Say clearly, before any work, if speech cannot be made on this machine. (Piper's program and
    voice are found, or explained, when the build starts: formats/piper.py.)"""
    if shutil.which("ffmpeg") is None:
        raise EnvironmentProblem(f"Clearinfo cannot make audio: ffmpeg is not installed. {INSTALL}")
    if engine == "piper":
        return
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


TOOLS = ("espeak-ng", "ffmpeg", "pyttsx3")  # what makes the MP3: a new version speaks every page again


def voice_inputs(voice: Voice) -> dict:
    """The voice as the cache knows it. For Piper, its files by their contents (not where they are,
    so a copy of the project elsewhere reuses the cache) and Piper's version; not the program's path."""
    if voice.engine != "piper":
        return {k: v for k, v in asdict(voice).items() if k not in ("model", "program")}
    return {"engine": "piper", "language": voice.language, "rate": voice.rate,
            "model": model_fingerprint(voice.model), "piper": piper_version(voice.program)}


def audio_key(job: AudioJob, tools: dict[str, str] | None = None) -> str:
    """A hash of everything the MP3 depends on: the words as spoken (and the shown words, which the
    word timings follow), the engine and voice, the tags, the pauses, bit rate and loudness, and the
    versions of espeak-ng, ffmpeg and pyttsx3 (`tools`, found once a build)."""
    return key({"spoken": [(i.block, i.spoken, i.text, i.lead) for i in job.items], "voice": voice_inputs(job.voice),
                "title": job.title, "artist": job.artist, "pauses": [PAUSE_SENTENCE, PAUSE_BLOCK, BITRATE],
                "loudness": [TARGET_LUFS, MOST_GAIN, LIMITER, ENCODER_LOSS], "recorder": 5,
                "encoder": ENCODER_QUALITY, "meter": METER},
               tools if tools is not None else tool_versions(*TOOLS))


# --- Speaking ------------------------------------------------------------------------------------

class _Espeak:
    """pyttsx3's binding of espeak-ng with its Synth mended. pyttsx3 2.99 tells espeak-ng that the
    text is 10 times as long as it is, so espeak-ng reads past its end; a sentence of some 20,000
    characters then crashed the whole process (measured here; pyttsx3 issue 448)."""

    def __init__(self, module):
        self.module = module

    def __getattr__(self, name):
        return getattr(self.module, name)

    def Synth(self, text: bytes, flags: int) -> int:  # noqa: N802 - the name pyttsx3 gives it
        m = self.module
        return m.cSynth(text, len(text) + 1, 0, m.POS_CHARACTER, 0, flags, None, None)


def pieces(text: str, most: int | None = None) -> list[str]:
    """A sentence in pieces of at most `most` (PIECE_WORDS) words, each ending after a comma or the
    like where one is near the end: a run-on sentence thousands of words long is many short calls."""
    most = most or PIECE_WORDS
    words = text.split()
    if len(words) <= most:
        return [text]
    out = []
    while len(words) > most:
        cut = next((i + 1 for i in range(most - 1, most // 2, -1) if words[i][-1] in ",;:"), most)
        out.append(" ".join(words[:cut]))
        words = words[cut:]
    return out + [" ".join(words)] if words else out


class _Recorder:
    """Keeps every buffer espeak-ng hands back for one sentence and waits for its end-of-message
    event. pyttsx3 2.99's own save_to_file drops the buffer that arrives with that event, and under
    load it sometimes writes a sentence as silence (its callback races its polling loop; measured
    here: 1 sentence in 240 with the CPU busy). So Clearinfo lets pyttsx3 start espeak-ng, sets the
    voice and rate itself (see speak), and records the sound itself."""

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
        parts = pieces(text)
        sound = b"".join(self._say(part, last=n == len(parts) - 1) for n, part in enumerate(parts))
        if not sound:
            raise RuntimeError(f"espeak-ng made no sound for {text[:60]!r}")
        return sound

    def _say(self, text: str, last: bool) -> bytes:
        self.chunks = []
        self.done.clear()
        # Only the sentence's last piece ends with a pause: the pieces run on as one sentence.
        flags = self.espeak.CHARS_UTF8 | (self.espeak.ENDPAUSE if last else 0)
        status = self.espeak.Synth(text.encode("utf-8"), flags=flags)
        if status != self.espeak.EE_OK:
            raise RuntimeError(f"espeak-ng refused a sentence (error {status}): {text[:60]!r}")
        if not self.done.wait(SENTENCE_TIMEOUT):
            raise RuntimeError(f"espeak-ng stopped answering while speaking {text[:60]!r}")
        return b"".join(self.chunks)


def chunks(items: list[SpeechItem], words: int | None = None) -> list[list[str]]:
    """The page's sentences as said, in parts of about `words` (CHUNK_WORDS) words, to be spoken
    side by side."""
    words = words or CHUNK_WORDS
    parts: list[list[str]] = []
    count = words
    for item in items:
        if count >= words:
            parts.append([])
            count = 0
        parts[-1].append(item.spoken)
        count += len(item.spoken.split())
    return parts


def speak(voice: Voice, texts: list[str], out_pcm: str) -> list[int]:
    """Say each sentence into out_pcm, as raw 16-bit mono samples one after another (runs in a
    worker process). Returns each sentence's length in samples."""
    import pyttsx3
    from pyttsx3.drivers import _espeak

    counts = []
    with contextlib.redirect_stdout(io.StringIO()), open(out_pcm, "wb") as out:
        engine = pyttsx3.init()
        # Straight to espeak-ng: pyttsx3's engine.setProperty only queues a change for its event loop,
        # which Clearinfo never runs (it records the sound itself), so the voice and rate were never set.
        chosen = pick_voice(engine, voice)
        if _espeak.SetVoiceByName(chosen.encode("utf-8")) != _espeak.EE_OK:
            raise RuntimeError(f"espeak-ng would not take the voice '{chosen}'")
        if _espeak.SetParameter(_espeak.RATE, int(voice.rate), 0) != _espeak.EE_OK:
            raise RuntimeError(f"espeak-ng would not take the rate {voice.rate} words a minute")
        recorder = _Recorder(_Espeak(_espeak))
        _espeak.SetSynthCallback(recorder)
        for text in texts:
            sound = recorder.speak(text)
            out.write(sound)
            counts.append(len(sound) // SAMPLE_WIDTH)
    return counts


def voiced(sound: bytes) -> tuple[int, int]:
    """Where the sound of a sentence starts and stops, in samples: the silence the engine leaves
    before and after it is not part of any word. (Found with numpy, formats/loudness.py: two to three
    times quicker than looking sample by sample in Python, which took some 20 ms a page.)"""
    from .loudness import sound_span

    return sound_span(sound, VOICED)


def _feed(job: AudioJob, parts: list[tuple[str, list[int]]], out, rate: int = SAMPLE_RATE,
          words: bool = True) -> list[dict]:
    """Write the parts' sentences to out in order, with the pauses between them; returns the timings:
    each sentence's block, start, end and shown words, and ("w") each word's start and end inside it."""
    timings, position, last_block = [], 0, None
    items = iter(job.items)
    for path, counts in parts:
        with open(path, "rb") as sound:
            for count in counts:
                item = next(items)
                if timings:
                    gap = int((PAUSE_BLOCK if item.block != last_block else PAUSE_SENTENCE) * rate)
                    out.write(b"\x00" * gap * SAMPLE_WIDTH)
                    position += gap
                said = sound.read(count * SAMPLE_WIDTH)
                out.write(said)
                first, after = voiced(said) if words else (0, 0)
                timings.append({"b": item.block, "s": round(position / rate, 3),
                                "e": round((position + count) / rate, 3), "t": item.text,
                                "w": word_times(item, (position + first) / rate, (position + after) / rate)
                                if words else []})
                position += count
                last_block = item.block
    return timings


def loudness(job: AudioJob, parts: list[tuple[str, list[int]]], rate: int = SAMPLE_RATE,
             gain: float | None = None) -> float | None:
    """The integrated loudness (LUFS, EBU R128) of the page as joined for the encode, pauses and
    all (the pauses lower it: a stretch of the measure that is partly pause counts), from the raw
    samples; with a `gain`, as the encode would make it (turned up by `gain` dB, then through the
    limiter). None when there is no sound to measure. Measured here, in Python (formats/loudness.py:
    the measure ffmpeg's ebur128 makes, for about a quarter of its cost); only the limiter is
    ffmpeg's, the one the encode uses."""
    from .loudness import Meter  # numpy is loaded only by the processes that measure

    if not any(counts for _, counts in parts):
        return None
    meter = Meter(rate)
    if gain is None:
        _feed(job, parts, meter, rate, words=False)
    else:
        _through_limiter(job, parts, rate, gain, meter)
    return meter.integrated()


def _through_limiter(job: AudioJob, parts: list[tuple[str, list[int]]], rate: int, gain: float, meter) -> None:
    """Turn the page up by `gain` dB and put it through LIMITER in ffmpeg, exactly as encode does,
    and feed what comes out (32-bit floats, read as they come) to `meter`. The page is fed to ffmpeg
    from a thread of its own, so neither end of the pipes waits for the other."""
    with tempfile.TemporaryFile() as errors:
        ffmpeg = subprocess.Popen(["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "s16le", "-ar", str(rate),
                                   "-ac", "1", "-i", "pipe:0", "-af", f"volume={gain}dB,{LIMITER}",
                                   "-f", "f32le", "pipe:1"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors)
        failed: list[BaseException] = []

        def feed() -> None:
            try:
                with ffmpeg.stdin:
                    _feed(job, parts, ffmpeg.stdin, rate, words=False)
            except BrokenPipeError:  # ffmpeg stopped: its own message says why
                pass
            except BaseException as e:  # noqa: BLE001 - raised again below, in the measuring thread
                failed.append(e)
        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        with ffmpeg.stdout:
            meter.read_floats(ffmpeg.stdout)
        feeder.join()
        if failed:
            ffmpeg.kill()
            ffmpeg.wait()
            raise failed[0]
        if ffmpeg.wait() != 0:
            errors.seek(0)
            said = errors.read().decode("utf-8", "replace").strip().splitlines()
            raise RuntimeError("ffmpeg could not measure how loud the speech is: "
                               + (said or [f"it stopped with code {ffmpeg.returncode}"])[-1])


def gain_for(measured: float | None) -> float:
    """How many decibels to turn a page up (or down) to TARGET_LUFS."""
    if measured is None or measured < -70:  # silence: nothing to match
        return 0.0
    return round(min(MOST_GAIN, TARGET_LUFS + ENCODER_LOSS - measured), 2)


def page_gain(job: AudioJob, parts: list[tuple[str, list[int]]], rate: int) -> float:
    """The gain that makes the page TARGET_LUFS once limited. Measured twice (each in Python, under
    a tenth of a second for a page of 500 words): on the raw samples, then through the limiter. The
    limiter takes off the loudest moments, which left a page 1 to 2 LU too quiet when turned up by
    the first measure alone, so the second measure, through the limiter, corrects it."""
    first = gain_for(loudness(job, parts, rate))
    if first <= 0:  # turned down: the limiter has nothing to do
        return first
    after = loudness(job, parts, rate, first)
    return first if after is None else round(min(MOST_GAIN, first + TARGET_LUFS + ENCODER_LOSS - after), 2)


def encode(job: AudioJob, parts: list[tuple[str, list[int]]], out_mp3: str) -> list[dict]:
    """Join the spoken parts into out_mp3, encoded in one piece as it is fed, at TARGET_LUFS (runs
    in a worker process). Returns the timings: where each sentence and word starts and ends, in seconds."""
    part = out_mp3 + ".part.mp3"
    rate = sample_rate(job.voice)
    gain = page_gain(job, parts, rate)
    with tempfile.TemporaryFile() as errors:
        ffmpeg = subprocess.Popen(
            ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "s16le", "-ar", str(rate), "-ac", "1",
             "-i", "pipe:0", "-af", f"volume={gain}dB,{LIMITER}",
             *BITEXACT, "-codec:a", "libmp3lame", "-b:a", BITRATE, "-compression_level", ENCODER_QUALITY,
             "-id3v2_version", "3",
             "-metadata", f"title={job.title}", "-metadata", f"artist={job.artist}",
             "-metadata", "language=" + job.voice.language, part], stdin=subprocess.PIPE, stderr=errors)
        try:
            with ffmpeg.stdin:
                timings = _feed(job, parts, ffmpeg.stdin, rate)
        except BrokenPipeError:  # ffmpeg stopped: its own message says why
            timings = []
        if ffmpeg.wait() != 0 or not timings and job.items:
            errors.seek(0)
            said = errors.read().decode("utf-8", "replace").strip() or f"it stopped with code {ffmpeg.returncode}"
            raise RuntimeError(f"ffmpeg could not make the MP3 of {job.name}: {said}")
    os.replace(part, out_mp3)
    return timings


def synthesise(job: AudioJob, out_mp3: str) -> list[dict]:
    """Speak a whole page into out_mp3, here and now, part after part. Returns the timings."""
    with tempfile.TemporaryDirectory(prefix="clearinfo-audio-") as tmp:
        parts = []
        for n, texts in enumerate(chunks(job.items)):
            pcm = os.path.join(tmp, f"{n}.pcm")
            function, *args = speaker(job.voice, texts, pcm)
            parts.append((pcm, function(*args)))
        return encode(job, parts, out_mp3)


def alone(function, *args):
    """function(*args), run in a new process of its own. espeak-ng keeps some state from one sentence
    to the next for as long as its process lives (the phase of its pitch flutter), so the same words
    said after different ones came out a little longer or shorter, and a page's MP3 and timings
    depended on which pages its process had spoken before (issue 13). Every part of a page is
    spoken by a new process, so the same words always give the same sound.

    The new process is a fork (quick) of a worker process that has never loaded espeak-ng, and a
    fresh start otherwise: a forked copy of a process that has started espeak-ng can hang, and the
    command's own process may run threads. If the new process dies, this raises BrokenProcessPool,
    as if this process had died."""
    worker = multiprocessing.parent_process() is not None and "pyttsx3.drivers._espeak" not in sys.modules
    context = multiprocessing.get_context("fork" if worker else "spawn")
    with concurrent.futures.ProcessPoolExecutor(1, context) as pool:
        return pool.submit(function, *args).result()


# --- Worker processes ----------------------------------------------------------------------------

class _Failed(Exception):
    def __init__(self, tag, error: BaseException):
        super().__init__(tag, error)
        self.tag, self.error = tag, error


class _Workers:
    """Tasks run on `workers` processes ("spawn": a forked copy of a process that has started
    espeak-ng can hang), urgent ones first. When a process dies (killed for want of memory, or
    crashed inside espeak-ng), the pool fails every task it then held, whichever was to blame: so
    those tasks run again, and all after them, one at a time, where a death can only be its own
    task's. That task's page, and no other, is the one named."""

    def __init__(self, workers: int, say):
        self.workers, self.say = workers, say
        self.alone = False
        self.pool: concurrent.futures.ProcessPoolExecutor | None = None
        self.waiting: list[tuple] = []   # (tag, function, args), not yet given to a process
        self.running: dict = {}          # future -> (tag, function, args)

    def __enter__(self) -> "_Workers":
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def submit(self, tag, function, *args, urgent: bool = False) -> None:
        self.waiting.insert(0, (tag, function, args)) if urgent else self.waiting.append((tag, function, args))

    def _start(self) -> None:
        if self.pool is None:
            self.pool = concurrent.futures.ProcessPoolExecutor(
                max_workers=1 if self.alone else self.workers, mp_context=multiprocessing.get_context("spawn"))
        # No more tasks at once than processes: an urgent one waits for no queue, and a death
        # leaves at most one task in doubt for each process.
        while self.waiting and len(self.running) < (1 if self.alone else self.workers):
            task = self.waiting.pop(0)
            self.running[self.pool.submit(task[1], *task[2])] = task

    def results(self):
        """(tag, result) for each task as it ends; raises _Failed for the first task that fails.
        More tasks may be submitted between results."""
        while self.running or self.waiting:
            self._start()
            done, _ = concurrent.futures.wait(list(self.running), return_when=concurrent.futures.FIRST_COMPLETED)
            for future in done:
                if future not in self.running:  # handed back by _go_alone
                    continue
                task = self.running.pop(future)
                error = future.exception()
                if isinstance(error, BrokenProcessPool) and not self.alone:
                    yield from self._go_alone(task)
                elif error is not None:
                    raise _Failed(task[0], error)
                else:
                    yield task[0], future.result()

    def _go_alone(self, broken: tuple):
        """A process died: every task that may have been on it goes again, from now on one at a time."""
        self.say("  A speech process stopped suddenly. Clearinfo is speaking the rest one part at a time ...")
        again, finished = [broken], []
        for future, task in self.running.items():
            if future.done() and not future.cancelled() and future.exception() is None:
                finished.append((task[0], future.result()))
            else:
                again.append(task)
        self.running.clear()
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool, self.alone = None, True
        self.waiting[:0] = again
        return finished


# --- The cache (clearinfo/cache.py) ------------------------------------------------------------

def _keep(shelf: Shelf, job: AudioJob, job_key: str, made: Path, timings: list[dict]) -> tuple[Path, list[dict]]:
    """Keep a new entry (the MP3 and its timings) and remove the page's older ones."""
    entry = shelf.keep(job.name, job_key, made, {"timings": timings})
    return entry.path, timings


# --- All the pages -------------------------------------------------------------------------------

def _could_not(job: AudioJob, error: BaseException) -> BaseException:
    """The message for a page whose audio failed: it names that page, and says what to do."""
    if isinstance(error, EnvironmentProblem) or not isinstance(error, (RuntimeError, OSError, MemoryError)):
        return error  # a setting's mistake says so itself; anything else is a fault in Clearinfo
    if isinstance(error, BrokenProcessPool):
        reason = STOPPED
    elif isinstance(error, MemoryError):
        reason = "the computer ran out of memory"
    else:
        reason = str(error) or type(error).__name__
    page = f"{job.source}, the page '{job.title}'" if job.source else f"the page '{job.title}'"
    test = (f"run: {job.voice.program} --model {job.voice.model} --output-file hello.wav hello"
            if job.voice.engine == "piper" else "run: espeak-ng \"hello\"")
    return EnvironmentProblem(
        f"Clearinfo could not make the audio for {page} ({reason}). Nothing in the site folder "
        f"was changed. Try the build again. If it fails again, check that speech works on this machine "
        f"({test}), or turn audio off: set 'audio: false' under the clearinfo plugin "
        "in mkdocs.yml.")


def make_audio(jobs: list[AudioJob], cache_dir: Path, workers: int = DEFAULT_CONCURRENCY, say=print,
               tally: dict | None = None, shard=None) -> dict[str, tuple[Path, list]]:
    """Each job's MP3 and timings from the cache, speaking only what changed. Returns name -> (mp3, timings).
    Progress on standard error; `tally` gets how many were made and how many reused. With a `shard`
    (cache.Shard), pages of other shards that are not in the cache are left out."""
    shelf = Shelf(cache_dir, ".mp3")
    results, todo = {}, []
    tools = tool_versions(*TOOLS, cache_dir=cache_dir)
    keys = {job.name: audio_key(job, tools) for job in jobs}  # each page's words hashed once a build
    for job in jobs:
        entry = shelf.get(job.name, keys[job.name])
        if entry is None:
            if shard is not None and not shard.owns(job.name):
                continue
            todo.append((job, shelf.part(shelf.path(job.name, keys[job.name])), chunks(job.items)))
        else:
            results[job.name] = (entry.path, entry.record["timings"])
    if tally is not None:
        tally["made"], tally["reused"] = tally.get("made", 0) + len(todo), tally.get("reused", 0) + len(results)
    if not todo:
        return results
    for engine in sorted({job.voice.engine for job, _, _ in todo}):
        check_engine(engine)
    count = sum(len(parts) for _, _, parts in todo)
    say(f"  Speaking {len(todo)} page{'s' if len(todo) != 1 else ''} ({len(results)} unchanged)"
        + (f" in {count} parts" if count > len(todo) else "") + " ...")
    try:
        with Progress("Pages spoken", len(todo)) as progress:
            _speak_all(todo, keys, shelf, workers, count, results, say, progress)
    except BaseException:  # nothing half made is left in the cache, however the build stops
        for _, part, _ in todo:
            for leftover in (part, Path(f"{part}.part.mp3")):
                leftover.unlink(missing_ok=True)
        raise
    return results


def _speak_all(todo, keys: dict, shelf: Shelf, workers: int, count: int, results: dict, say, progress: Progress) -> None:
    """Speak the pages in `todo` (job, where to make its MP3, its parts) and keep each in the shelf."""
    if count <= 1 or workers <= 1:
        for job, mp3, _ in todo:
            try:
                results[job.name] = _keep(shelf, job, keys[job.name], mp3, synthesise(job, str(mp3)))
                progress.advance()
            except Exception as e:  # noqa: BLE001 - _could_not passes on what it does not explain
                raise _could_not(job, e) from None
        return
    with tempfile.TemporaryDirectory(prefix="clearinfo-audio-") as tmp, _Workers(min(workers, count), say) as pool:
        spoken: dict[int, list] = {}
        for page, (job, mp3, parts) in enumerate(todo):
            spoken[page] = [None] * len(parts)
            for n, texts in enumerate(parts):
                pool.submit((page, n), *speaker(job.voice, texts, os.path.join(tmp, f"{page}-{n}.pcm")))
            if not parts:
                pool.submit((page, None), encode, job, [], str(mp3))
        try:
            for (page, n), result in pool.results():
                job, mp3, _ = todo[page]
                if n is None:  # the page is made: keep it, and free its parts' room
                    results[job.name] = _keep(shelf, job, keys[job.name], mp3, result)
                    progress.advance()
                    for pcm, _ in spoken[page]:
                        os.unlink(pcm)
                    continue
                spoken[page][n] = (os.path.join(tmp, f"{page}-{n}.pcm"), result)
                if all(spoken[page]):
                    pool.submit((page, None), encode, job, spoken[page], str(mp3), urgent=True)
        except _Failed as failed:
            raise _could_not(todo[failed.tag[0]][0], failed.error) from None


def duration_text(seconds: float) -> str:
    minutes = round(seconds / 60)
    if minutes < 1:
        return "less than a minute"
    return "1 minute" if minutes == 1 else f"{minutes} minutes"
