"""A natural voice: neural speech from Piper (the piper-tts package), run as a separate program.

Piper is GPL-3.0 and Clearinfo is MIT, so Clearinfo never imports it: Piper lives in a virtual
environment of its own (.venv-piper, made by build_tools/setup/piper.sh) and Clearinfo starts its
command line (`piper -m voice.onnx --output-dir ... -i sentences.txt`), as it starts ffmpeg.

Each sentence is one line of Piper's input, and Piper writes each line to a WAV file of its own,
so the start and end of every sentence is exact, as with espeak-ng. Piper's command line gives no
word or phoneme timings (its Python interface can, for some voices, but that would mean importing
it), so the words' times inside a sentence are estimated (formats/speech.py, word_times).

Found once a build, and said plainly when missing: the program (`audio_piper`, else `piper` on
PATH, else .venv-piper/bin/piper in the project) and the voice (`audio_voice_model`, with its
.onnx.json beside it).
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import wave
from pathlib import Path

from ..errors import EnvironmentProblem

PROJECT_PIPER = ".venv-piper/bin/piper"  # where build_tools/setup/piper.sh puts it
NATURAL_RATE = 160      # words a minute: the audio_rate at which a voice speaks at its own pace
TIMEOUT = 3600          # seconds for one part of a page (some 1,500 words): far more than Piper needs
SETTING = "under the clearinfo plugin in mkdocs.yml"
OR_ESPEAK = "Or set 'audio_engine: espeak' to speak with espeak-ng."


def find_program(setting: str, root: Path) -> str:
    """The piper program: the `audio_piper` setting (a path from the project folder, or a command
    on PATH), else `piper` on PATH, else the project's .venv-piper/bin/piper."""
    if setting:
        found = shutil.which(setting) if os.sep not in setting else None
        path = Path(found) if found else root / setting
        if path.is_file() and os.access(path, os.X_OK):
            return str(path.resolve())
        raise EnvironmentProblem(
            f"Clearinfo cannot make audio with Piper: 'audio_piper' {SETTING} names '{setting}', but there is "
            f"no such program. Give the path of the piper program (from the project folder), or leave "
            f"'audio_piper' out to use {PROJECT_PIPER}, which 'bash build_tools/setup/piper.sh' installs. {OR_ESPEAK}")
    for candidate in (shutil.which("piper"), root / PROJECT_PIPER):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return str(Path(candidate).resolve())
    raise EnvironmentProblem(
        "Clearinfo cannot make audio with Piper ('audio_engine: piper' in mkdocs.yml): the piper program is "
        f"not installed. Run 'bash build_tools/setup/piper.sh' to install it into {PROJECT_PIPER}, or set "
        f"'audio_piper' {SETTING} to where it is. {OR_ESPEAK}")


def find_model(setting: str, root: Path) -> str:
    """The voice's .onnx file (absolute), with its .onnx.json beside it."""
    if not setting:
        raise EnvironmentProblem(
            f"'audio_engine: piper' needs a voice: set 'audio_voice_model' {SETTING} to the voice's .onnx "
            "file, like: audio_voice_model: voices/en_GB-alba-medium.onnx (the README says where to get one). "
            + OR_ESPEAK)
    model = (root / setting).resolve()
    if not model.is_file():
        raise EnvironmentProblem(
            f"'audio_voice_model' {SETTING} names {setting}, but there is no such file (looked for {model}). "
            "Download the voice (its .onnx file and its .onnx.json file, into the same folder) and check "
            f"the path: it is read from the project folder. {OR_ESPEAK}")
    config = Path(f"{model}.json")
    if not config.is_file():
        raise EnvironmentProblem(
            f"The Piper voice {setting} has no settings file beside it: Piper needs {config.name} in the same "
            "folder. Download it from the same place as the .onnx file.")
    try:
        model_config(str(model))
    except (ValueError, KeyError, TypeError):
        raise EnvironmentProblem(f"The Piper voice's settings file {config.name} cannot be read: it is not a "
                                 "Piper voice's .onnx.json. Download it again from the same place as the "
                                 ".onnx file.") from None
    return str(model)


@functools.lru_cache(maxsize=None)
def model_config(model: str) -> dict:
    """What the build needs from the voice's .onnx.json: its sample rate, its own pace and its language."""
    data = json.loads(Path(f"{model}.json").read_text(encoding="utf-8"))
    language = data.get("language") or {}
    return {"sample_rate": int(data["audio"]["sample_rate"]),
            "length_scale": float((data.get("inference") or {}).get("length_scale") or 1.0),
            "language": str(language.get("code") or (data.get("espeak") or {}).get("voice") or "")}


def model_language(model: str) -> str:
    """The voice's language as Clearinfo writes languages: en_GB -> en-gb."""
    return model_config(model)["language"].replace("_", "-").lower()


@functools.lru_cache(maxsize=None)
def _fingerprint(model: str, stamp: str) -> str:
    h = hashlib.sha256()
    for path in (model, f"{model}.json"):
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


def model_fingerprint(model: str) -> str:
    """A hash of the voice's files (once a build): a new voice, or the same name with new contents,
    speaks every page again; moving the project to another folder does not."""
    stamps = [f"{os.stat(p).st_size} {os.stat(p).st_mtime_ns}" for p in (model, f"{model}.json")]
    return _fingerprint(model, " ".join(stamps))


@functools.lru_cache(maxsize=None)
def piper_version(program: str) -> str:
    """piper-tts's version, read from its virtual environment's package list (Piper's command line
    has no --version), or the program file's size and time when that cannot be found."""
    venv = Path(program).resolve().parent.parent
    for found in sorted(venv.glob("lib/python*/site-packages/piper_tts-*.dist-info")):
        return found.name[len("piper_tts-"):-len(".dist-info")]
    st = os.stat(program)
    return f"unknown {st.st_size} {st.st_mtime_ns}"


def length_scale(model: str, rate: int) -> float:
    """Piper's pace for `audio_rate` words a minute: the voice's own at 160, slower below, faster above."""
    return round(model_config(model)["length_scale"] * NATURAL_RATE / max(40, int(rate)), 4)


def speak_piper(voice, texts: list[str], out_pcm: str) -> list[int]:
    """Say each sentence into out_pcm, as raw 16-bit mono samples one after another, with Piper.
    Returns each sentence's length in samples. Runs the piper program once for all of `texts`
    (loading a voice takes about half a second)."""
    rate = model_config(voice.model)["sample_rate"]
    with tempfile.TemporaryDirectory(prefix="clearinfo-piper-") as tmp:
        lines = Path(tmp, "sentences.txt")
        # One sentence a line: Piper writes each line to its own WAV file.
        lines.write_text("".join(" ".join(t.split()) + "\n" for t in texts), encoding="utf-8")
        out_dir = Path(tmp, "wav")
        command = [voice.program, "--model", voice.model, "--config", f"{voice.model}.json",
                   "--input-file", str(lines), "--output-dir", str(out_dir), "--output-dir-naming", "timestamp",
                   "--sentence-silence", "0", "--length-scale", str(length_scale(voice.model, voice.rate)),
                   # Piper makes every sentence as loud as it can be, so one sentence was louder than the
                   # next (measured: 3 LU apart); the page's loudness is set once, as a whole (audio.encode).
                   "--no-normalize"]
        try:
            done = subprocess.run(command, capture_output=True, text=True, errors="replace", timeout=TIMEOUT,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"Piper stopped answering while speaking {texts[0][:60]!r}") from None
        if done.returncode != 0:
            said = [line for line in done.stderr.splitlines() if line.strip() and not line.startswith("INFO")]
            raise RuntimeError(f"Piper stopped with code {done.returncode}: {(said or ['no message'])[-1][:200]}")
        # The files are named by the time each was made, so in number order they are in sentence order.
        made = sorted(out_dir.glob("*.wav"), key=lambda p: int(p.stem)) if out_dir.is_dir() else []
        if len(made) != len(texts):
            raise RuntimeError(f"Piper made {len(made)} sound files for {len(texts)} sentences")
        counts = []
        with open(out_pcm, "wb") as out:
            for path, text in zip(made, texts):
                with wave.open(str(path), "rb") as w:
                    if (w.getnchannels(), w.getsampwidth(), w.getframerate()) != (1, 2, rate):
                        raise RuntimeError(f"Piper's sound for {text[:60]!r} is not 16-bit mono at {rate} Hz, as "
                                           "its voice settings say")
                    frames = w.readframes(w.getnframes())
                if not frames:
                    raise RuntimeError(f"Piper made no sound for {text[:60]!r}")
                out.write(frames)
                counts.append(len(frames) // 2)
    return counts
