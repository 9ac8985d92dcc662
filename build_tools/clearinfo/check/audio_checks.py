"""Checks on every MP3: it decodes from start to end, it is not silent, and its length is
plausible for the words in its transcript."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

from .findings import Finding

SECONDS_PER_WORD = (0.15, 1.5)   # a very fast to a very slow reader, pauses included
SILENT_DB = -60.0


def check_mp3(site: Path, path: Path) -> list[Finding]:
    page = path.relative_to(site).as_posix()
    fix = "Build the site again to remake the audio. If it keeps happening, check espeak-ng and ffmpeg."
    result = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-i", str(path), "-af", "volumedetect",
                             "-f", "null", "-"], capture_output=True, text=True)
    stderr = result.stderr
    if result.returncode != 0 or "Invalid data" in stderr or "Header missing" in stderr:
        return [Finding(page, "audio", "audio-broken", "The audio file is broken: it cannot be played to the end.",
                        fix, stderr.strip().splitlines()[0][:160] if stderr.strip() else "")]
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
                            "default=nw=1:nk=1", str(path)], capture_output=True, text=True)
    try:
        seconds = float(probe.stdout.strip())
    except ValueError:
        return [Finding(page, "audio", "audio-broken", "The audio file is broken: its length cannot be read.", fix)]
    loudness = subprocess.run(["ffmpeg", "-nostdin", "-i", str(path), "-af", "volumedetect", "-f", "null", "-"],
                              capture_output=True, text=True).stderr
    m = re.search(r"max_volume: (-?[\d.]+|-inf) dB", loudness)
    if m and (m.group(1) == "-inf" or float(m.group(1)) < SILENT_DB):
        return [Finding(page, "audio", "audio-silent", "The audio file is silent.", fix, f"{seconds:.1f} seconds")]
    out = []
    stem = path.name[: -len("-audio.mp3")] if path.name.endswith("-audio.mp3") else path.stem
    transcript = path.with_name(f"{stem}-transcript.txt")
    if transcript.exists():
        words = len(re.findall(r"\w+", transcript.read_text(encoding="utf-8")))
        low, high = words * SECONDS_PER_WORD[0], words * SECONDS_PER_WORD[1]
        if words and not (low <= seconds <= high):
            out.append(Finding(page, "audio", "audio-length",
                               f"The audio lasts {seconds:.0f} seconds, which does not fit its {words} words "
                               "(it may be cut short, or have long silences).", fix))
    return out
