"""A cold build measures each page's loudness in Python (formats/loudness.py) instead of in two more
ffmpeg processes (issue 13, item 4). The measure must be the one the gate and ffmpeg make: these
tests hold it to ffmpeg's ebur128 within 0.1 LU on real speech, loud and quiet, raw and through the
limiter, and show that a measure that is off (no K-weighting, no relative gate) fails the same test."""
from __future__ import annotations

import array
import io
import math
import random
import re
import subprocess
from pathlib import Path

import pytest

import clearinfo.formats.audio as audio
import clearinfo.formats.loudness as meter_module
from clearinfo.formats.audio import AudioJob, Voice, alone, speak
from clearinfo.formats.loudness import Meter, sound_span
from clearinfo.formats.speech import SpeechItem

RATE = audio.SAMPLE_RATE
AGREE = 0.1  # LU: the most the Python measure may differ from ffmpeg's
SENTENCES = ["You can ask us for help with care and support at home.",
             "We will listen to you, and we will write down what matters to you.",
             "Phone 0 1 6 3 2 4 5 6 7 8 9 between 9 in the morning and 5 in the afternoon.",
             "It is free. You do not have to pay for an assessment."]


def ffmpeg_lufs(pcm: Path, before: str = "") -> float:
    """ffmpeg's own integrated loudness of raw 16-bit mono samples, to 3 decimal places (its frame
    metadata; the summary it prints has only 1)."""
    log = subprocess.run(["ffmpeg", "-nostdin", "-hide_banner", "-f", "s16le", "-ar", str(RATE), "-ac", "1",
                          "-i", str(pcm), "-af", f"{before}ebur128=metadata=1,ametadata=mode=print:key=lavfi.r128.I",
                          "-f", "null", "-"], capture_output=True, text=True, check=True).stderr
    return float(re.findall(r"lavfi\.r128\.I=(-?[\d.]+)", log)[-1])


def python_lufs(pcm: Path, piece: int = 8192) -> float | None:
    meter = Meter(RATE)
    data = pcm.read_bytes()
    for start in range(0, len(data), piece):
        meter.write(data[start:start + piece])
    return meter.integrated()


def scaled(sound: bytes, factor: float) -> bytes:
    samples = array.array("h", sound)
    return array.array("h", (max(-32768, min(32767, round(s * factor))) for s in samples)).tobytes()


def silence(seconds: float) -> bytes:
    return b"\x00" * (int(seconds * RATE) * 2)


@pytest.fixture(scope="module")
def speech(tmp_path_factory) -> bytes:
    """A few sentences of real espeak-ng speech, as the build says them (a new process)."""
    pcm = tmp_path_factory.mktemp("speech") / "speech.pcm"
    alone(speak, Voice(), SENTENCES, str(pcm))
    return pcm.read_bytes()


@pytest.fixture(scope="module")
def fixtures(speech, tmp_path_factory) -> dict[str, Path]:
    """Raw speech files: as espeak-ng says it with pauses (loud), the same very quiet, and the speech
    followed by a long stretch of it 40 dB down (which only the relative gate leaves out)."""
    folder = tmp_path_factory.mktemp("loudness")
    pause = silence(0.65)
    made = {"loud": pause.join([speech] * 3),
            "quiet": pause.join([scaled(speech, 0.02)] * 3),
            "loud then murmur": speech + pause + scaled(speech, 0.01) * 4}
    paths = {}
    for name, sound in made.items():
        paths[name] = folder / f"{name.replace(' ', '-')}.pcm"
        paths[name].write_bytes(sound)
    return paths


@pytest.mark.parametrize("name", ["loud", "quiet", "loud then murmur"])
def test_the_python_measure_agrees_with_ffmpeg(fixtures, name):
    ours, theirs = python_lufs(fixtures[name]), ffmpeg_lufs(fixtures[name])
    assert abs(ours - theirs) <= AGREE, f"{name}: Python {ours:.3f} LUFS, ffmpeg {theirs:.3f} LUFS"


def test_the_quiet_fixture_is_quiet_and_the_loud_one_loud(fixtures):
    """The fixtures test what they say: some 34 LU apart, and the quiet one far above the -70 gate."""
    loud, quiet = python_lufs(fixtures["loud"]), python_lufs(fixtures["quiet"])
    assert -25 < loud < -15 and -60 < quiet < -45
    assert abs((loud - quiet) - 20 * math.log10(1 / 0.02)) < 0.2


def test_a_measure_without_k_weighting_is_caught(fixtures, monkeypatch):
    """The failing twin: the same comparison rejects a plain mean square (no K-weighting)."""
    monkeypatch.setattr(meter_module, "k_weighting", lambda rate: [((1.0, 0.0, 0.0), (0.0, 0.0))] * 2)
    meter_module.impulse_response.cache_clear()
    try:
        off, theirs = python_lufs(fixtures["loud"]), ffmpeg_lufs(fixtures["loud"])
    finally:
        monkeypatch.undo()
        meter_module.impulse_response.cache_clear()
    assert abs(off - theirs) > AGREE, (off, theirs)


def test_a_measure_without_the_relative_gate_is_caught(fixtures, monkeypatch):
    """The failing twin for gating: with no relative gate the murmur counts, and the measure is off."""
    monkeypatch.setattr(meter_module, "RELATIVE_GATE", -1000.0)
    off, theirs = python_lufs(fixtures["loud then murmur"]), ffmpeg_lufs(fixtures["loud then murmur"])
    assert abs(off - theirs) > AGREE, (off, theirs)


def test_a_full_scale_tone_measures_as_bs_1770_says(tmp_path):
    """A 997 Hz sine at full scale, mono, is -3.01 LUFS (BS.1770's calibration), at 22,050 and 48,000
    samples a second; and silence, or less than one 400 ms block, has no loudness."""
    for rate in (22050, 48000):
        tone = [math.sin(2 * math.pi * 997 * n / rate) for n in range(rate * 3)]
        meter = Meter(rate)
        meter.add(tone)
        assert meter.integrated() == pytest.approx(-3.01, abs=0.03), rate
    meter = Meter(RATE)
    meter.write(silence(2))
    assert meter.integrated() is None
    meter = Meter(RATE)
    meter.add([0.5] * int(0.3 * RATE))
    assert meter.integrated() is None


def test_how_the_sound_is_cut_into_pieces_changes_nothing(fixtures):
    """The build feeds a sentence or a pause at a time: any cut gives the same answer."""
    whole = python_lufs(fixtures["loud"], piece=10 ** 9)
    for piece in (2, 4410, 14414, 14416, 100_000):
        assert python_lufs(fixtures["loud"], piece) == pytest.approx(whole, abs=1e-9), piece


def test_floats_read_from_a_pipe_in_odd_pieces_are_whole_samples():
    """ffmpeg's 32-bit floats may arrive cut anywhere: no sample is lost or misread."""
    tone = array.array("f", [0.5 * math.sin(2 * math.pi * 440 * n / RATE) for n in range(RATE * 2)])
    direct = Meter(RATE)
    direct.add(list(tone))
    read = Meter(RATE)
    read.read_floats(io.BytesIO(tone.tobytes()), piece=4097)
    assert read.integrated() == pytest.approx(direct.integrated(), abs=1e-9)


def _job_and_parts(speech: bytes, folder: Path) -> tuple[AudioJob, list]:
    """One page of the fixture speech, as the build holds it: a part file and each sentence's length."""
    pcm = folder / "part.pcm"
    pcm.write_bytes(speech * 2)
    half = len(speech) // 2 // 2  # samples in half the speech
    items = [SpeechItem(0, "One.", "One."), SpeechItem(0, "Two.", "Two."),
             SpeechItem(2, "Three.", "Three."), SpeechItem(2, "Four.", "Four.")]
    return AudioJob("page", "A page", "A council", items, Voice()), [(str(pcm), [half, half, half, half])]


def test_the_page_as_joined_and_through_the_limiter_measures_as_ffmpeg_measures_it(speech, tmp_path):
    """audio.loudness measures what the encode is fed (pauses and all), raw and turned up through the
    limiter, as ffmpeg's ebur128 measures the same, within 0.1 LU."""
    job, parts = _job_and_parts(speech, tmp_path)
    joined = tmp_path / "joined.pcm"
    with open(joined, "wb") as out:
        audio._feed(job, parts, out, RATE, words=False)
    raw = audio.loudness(job, parts, RATE)
    assert abs(raw - ffmpeg_lufs(joined)) <= AGREE
    gain = audio.gain_for(raw)
    assert gain > 1  # turned up far enough for the limiter to work
    limited = audio.loudness(job, parts, RATE, gain)
    theirs = ffmpeg_lufs(joined, f"volume={gain}dB,{audio.LIMITER},")
    assert abs(limited - theirs) <= AGREE, (limited, theirs)
    assert limited < raw + gain - 0.05  # the limiter took something off


def test_a_page_is_made_by_two_ffmpeg_processes(speech, tmp_path, monkeypatch):
    """The limiter's pass and the encode: the loudness is measured in Python, not by ffmpeg."""
    job, parts = _job_and_parts(speech, tmp_path)
    started = []
    real = subprocess.Popen

    def counting(args, *rest, **kwargs):
        started.append(list(args))
        return real(args, *rest, **kwargs)
    monkeypatch.setattr(audio.subprocess, "Popen", counting)
    timings = audio.encode(job, parts, str(tmp_path / "page.mp3"))
    assert len(timings) == 4 and (tmp_path / "page.mp3").stat().st_size > 1000
    assert [args[0] for args in started] == ["ffmpeg", "ffmpeg"]
    assert not any("ebur128" in " ".join(args) for args in started)
    assert "libmp3lame" in started[-1] and audio.ENCODER_QUALITY in started[-1]


def _voiced_sample_by_sample(sound: bytes) -> tuple[int, int]:
    """How audio.voiced found a sentence's sound before numpy did it (the reference)."""
    samples = array.array("h", sound)
    first = next((n for n in range(len(samples)) if abs(samples[n]) > audio.VOICED), len(samples))
    last = next((n for n in range(len(samples) - 1, first - 1, -1) if abs(samples[n]) > audio.VOICED), first - 1)
    return (first, last + 1) if last >= first else (0, len(samples))


def test_where_a_sentence_sounds_is_found_as_before(speech):
    """The timings must not move: numpy finds the same first and last sounding sample, edge cases
    and all (no sound, one sample, -32768, exactly at the threshold)."""
    rng = random.Random(13)
    edge = [audio.VOICED, -audio.VOICED, audio.VOICED + 1, -audio.VOICED - 1, 0, -32768, 32767]
    cases = [b"", array.array("h", [-32768]).tobytes(), array.array("h", [audio.VOICED] * 5).tobytes(),
             speech, speech[:20000], silence(0.1) + speech[:5000] + silence(0.1)]
    cases += [array.array("h", [rng.choice(edge + [rng.randint(-32768, 32767)]) for _ in range(rng.randint(0, 40))]).tobytes()
              for _ in range(500)]
    for sound in cases:
        assert sound_span(sound, audio.VOICED) == _voiced_sample_by_sample(sound) == audio.voiced(sound)


def test_the_measure_and_the_encoder_setting_are_part_of_the_cache_key(monkeypatch):
    """MP3s made with ffmpeg's measure and LAME's default quality are made again, once."""
    job = AudioJob("home", "Home", "A council", [SpeechItem(0, "Hello.", "Hello.")], Voice())
    tools = {"espeak-ng": "1", "ffmpeg": "1", "pyttsx3": "1"}
    before = audio.audio_key(job, tools)
    monkeypatch.setattr(audio, "METER", "ffmpeg-ebur128")
    assert audio.audio_key(job, tools) != before
    monkeypatch.undo()
    monkeypatch.setattr(audio, "ENCODER_QUALITY", "3")
    assert audio.audio_key(job, tools) != before
    monkeypatch.undo()
    assert audio.audio_key(job, tools) == before
