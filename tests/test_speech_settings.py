"""The audio settings really reach espeak-ng: the rate (`audio_rate`) and the voice for the page's
language. pyttsx3 only queues such changes for an event loop Clearinfo never runs, so for a time
every MP3 was spoken at pyttsx3's default rate in its default voice, whatever the settings said."""
from __future__ import annotations

from pathlib import Path

import pytest

from clearinfo.formats.audio import Voice, alone, speak

TEXT = ["Your care and support plan says what help you will get and when you will get it."]


def _said(tmp_path: Path, voice: Voice, name: str) -> bytes:
    out = tmp_path / f"{name}.pcm"
    alone(speak, voice, TEXT, str(out))  # a fresh process each time: the same words give the same sound
    return out.read_bytes()


@pytest.mark.slow
def test_the_rate_setting_changes_how_fast_the_words_are_said(tmp_path):
    slow = _said(tmp_path, Voice("en-gb", "", 100), "slow")
    fast = _said(tmp_path, Voice("en-gb", "", 250), "fast")
    assert len(slow) > 1.8 * len(fast), (len(slow), len(fast))


@pytest.mark.slow
def test_each_language_is_said_in_its_own_voice(tmp_path):
    english = _said(tmp_path, Voice("en-gb", "", 160), "english")
    again = _said(tmp_path, Voice("en-gb", "", 160), "again")
    polish = _said(tmp_path, Voice("pl", "", 160), "polish")
    welsh = _said(tmp_path, Voice("cy", "", 160), "welsh")
    assert english == again  # the same voice, the same sound
    assert polish != english and welsh != english and welsh != polish
