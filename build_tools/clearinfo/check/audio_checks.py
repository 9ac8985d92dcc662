"""Checks on every MP3: it decodes from start to end, it lasts as long as its header says (a file
cut short at a frame's edge decodes without an error), it is not silent, it is as loud as every
other page (TARGET_LUFS), it never goes quiet for long (a part that was not spoken), its length is
plausible for the words in its transcript, and its read-along timings (sentences and words) are in
order and inside it.

The file is decoded once, for all of these: a long page's audio lasts hours."""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from .findings import Finding

SECONDS_PER_WORD = (0.15, 1.5)   # a very fast to a very slow reader, pauses included
SILENT_DB = -60.0
LONG_SILENCE = 10.0              # seconds: Clearinfo pauses 0.3 to 0.65 s, and a person rarely stops this long
QUIET_DB = -50                   # quieter than this counts as silence
SHORTFALL = 1.0                  # seconds less than the header says before the file counts as cut short
FIX = "Build the site again to remake the audio. If it keeps happening, check espeak-ng and ffmpeg."
TARGET_LUFS = -16.0              # what the build makes every page (formats/audio.py)
# How far a page may be from it. The build lands within 0.5 LU (measured on this project's pages,
# both engines). A step of 1 to 2 LU from one page to the next is where listeners start to reach for
# the volume, and EBU R128 allows 1 LU where exact normalising is impossible; 1.5 LU keeps any two
# pages within 3 LU of each other, and still catches a page made without the loudness step (espeak-ng
# alone is about -21 LUFS, Piper about -26).
LOUDNESS_TOLERANCE = 1.5


def _decode(path: Path) -> tuple[list[str], float | None, str | None, list[tuple[float, float]], float | None]:
    """Decode every frame: the errors met, the seconds of sound decoded, the loudest peak, the
    long silences (start, seconds) and the integrated loudness (LUFS)."""
    result = subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "level+info", "-i", str(path), "-af",
                             f"silencedetect=noise={QUIET_DB}dB:duration={LONG_SILENCE},volumedetect,"
                             "ebur128=framelog=verbose", "-f", "null", "-"],
                            capture_output=True, text=True, errors="replace")
    lines = result.stderr.splitlines()
    errors = [re.sub(r"^(\[[^]]*\] )*", "", line) for line in lines if re.search(r"\[(error|fatal|panic)\]", line)]
    if result.returncode != 0 and not errors:
        errors = [f"ffmpeg stopped with code {result.returncode}"]
    rate = re.search(r"Audio: \w+, (\d+) Hz", result.stderr)
    samples = re.search(r"n_samples: (\d+)", result.stderr)
    seconds = int(samples.group(1)) / int(rate.group(1)) if rate and samples else None
    peak = re.search(r"max_volume: (-?[\d.]+|-inf) dB", result.stderr)
    return errors, seconds, peak.group(1) if peak else None, _silences(result.stderr, seconds), _loudness(result.stderr)


def _loudness(log: str) -> float | None:
    """The integrated loudness ebur128 reported, in LUFS, or None when there was nothing to measure."""
    found = re.findall(r"I:\s+(-?[\d.]+|-inf) LUFS", log)
    return float(found[-1]) if found and found[-1] != "-inf" and float(found[-1]) > -70 else None


def _silences(log: str, seconds: float | None) -> list[tuple[float, float]]:
    """The silences silencedetect found: (start, seconds). One still going at the end has no end line."""
    out = []
    for start, end in re.findall(r"silence_start: (-?[\d.]+)(?:.*?silence_end: (-?[\d.]+))?", log, re.S):
        stop = float(end) if end else seconds
        if stop is not None and stop - float(start) >= LONG_SILENCE:
            out.append((max(0.0, float(start)), stop - float(start)))
    return out


def _clock(seconds: float) -> str:
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


def _header_seconds(path: Path) -> float | None:
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
                            "default=nw=1:nk=1", str(path)], capture_output=True, text=True)
    try:
        return float(probe.stdout.strip())
    except ValueError:
        return None


def _timing_problem(timings, seconds: float) -> str:
    """What is wrong with a page's read-along timings, or ''."""
    if not isinstance(timings, list) or not all(isinstance(t, dict) and isinstance(t.get("s"), (int, float))
                                                and isinstance(t.get("e"), (int, float)) for t in timings):
        return "they are not a list of sentences with start and end times"
    for n, t in enumerate(timings):
        if not 0 <= t["s"] <= t["e"] or (n and t["s"] < timings[n - 1]["e"]):
            return f"sentence {n + 1} ({str(t.get('t', ''))[:40]!r}) starts before the one before it ends"
    if timings and timings[-1]["e"] > seconds + 0.1:
        return f"the last sentence ends at {timings[-1]['e']:.1f} seconds, after the audio ends ({seconds:.1f})"
    for n, t in enumerate(timings):
        problem = _word_problem(t.get("w", []), t)
        if problem:
            return f"in sentence {n + 1} ({str(t.get('t', ''))[:40]!r}), {problem}"
    return ""


def _word_problem(words, sentence: dict) -> str:
    """What is wrong with one sentence's word timings ([start, end, first character, after the last]), or ''."""
    if not isinstance(words, list) or not all(isinstance(w, list) and len(w) == 4
                                              and all(isinstance(x, (int, float)) for x in w) for w in words):
        return "the word timings are not a list of words with start and end times"
    text = str(sentence.get("t", ""))
    for n, (s, e, first, after) in enumerate(words):
        if not sentence["s"] <= s < e <= sentence["e"] + 0.001:
            return f"word {n + 1} is not inside its sentence's time"
        if n and s < words[n - 1][1]:
            return f"word {n + 1} starts before the one before it ends"
        if not 0 <= first < after <= len(text) or (n and first < words[n - 1][3]):
            return f"word {n + 1} is not a word of the sentence, in order"
    return ""


def check_mp3(site: Path, path: Path) -> list[Finding]:
    page = path.relative_to(site).as_posix()
    errors, seconds, peak, silences, measured = _decode(path)
    if errors:
        return [Finding(page, "audio", "audio-broken", "The audio file is broken: it cannot be played to the end.",
                        FIX, errors[0][:160])]
    declared = _header_seconds(path)
    if seconds is None or declared is None:
        return [Finding(page, "audio", "audio-broken", "The audio file is broken: its length cannot be read.", FIX)]
    if seconds < declared - SHORTFALL:
        return [Finding(page, "audio", "audio-broken",
                        f"The audio file is cut short: it stops after {seconds:.0f} of its {declared:.0f} seconds.", FIX)]
    if peak is not None and (peak == "-inf" or float(peak) < SILENT_DB):
        return [Finding(page, "audio", "audio-silent", "The audio file is silent.", FIX, f"{seconds:.1f} seconds")]
    out = []
    if measured is not None and abs(measured - TARGET_LUFS) > LOUDNESS_TOLERANCE:
        how = "quieter" if measured < TARGET_LUFS else "louder"
        out.append(Finding(page, "audio", "audio-loudness",
                           f"The audio is {how} than the other pages: it measures {measured:.1f} LUFS, and every "
                           f"page should be {TARGET_LUFS:.0f} LUFS (within {LOUDNESS_TOLERANCE} LU), so the listener "
                           "does not have to change the volume from page to page.", FIX))
    stem = path.name[: -len("-audio.mp3")] if path.name.endswith("-audio.mp3") else path.stem
    transcript = path.with_name(f"{stem}-transcript.txt")
    if silences:
        start, length = silences[0]
        out.append(Finding(page, "audio", "audio-length",
                           f"The audio goes quiet for {length:.0f} seconds, from {_clock(start)}: part of it may "
                           "not have been spoken.", FIX, f"{len(silences)} long silence(s)"))
    elif transcript.exists():
        words = len(re.findall(r"\w+", transcript.read_text(encoding="utf-8")))
        low, high = words * SECONDS_PER_WORD[0], words * SECONDS_PER_WORD[1]
        if words and not (low <= seconds <= high):
            why = "part of it may be missing" if seconds < low else "it may have long silences, or other sound"
            out.append(Finding(page, "audio", "audio-length",
                               f"The audio lasts {seconds:.0f} seconds, but its {words} words take {low:.0f} to "
                               f"{high:.0f} seconds to say: {why}.", FIX))
    timings_file = path.with_suffix(".json")
    if timings_file.exists():
        try:
            problem = _timing_problem(json.loads(timings_file.read_text(encoding="utf-8")), seconds)
        except ValueError:
            problem = "the file cannot be read"
        if problem:
            out.append(Finding(page, "audio", "audio-timings",
                               f"The read-along timings ({timings_file.name}) do not fit the audio: {problem}. "
                               "The words lit up would not be the words heard.", FIX))
    return out
