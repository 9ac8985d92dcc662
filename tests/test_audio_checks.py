"""The audio checks: each broken page audio (tests/fixtures/audio/cases.py) gives exactly its rule,
and its good twin, which differs in one thing, gives none."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from clearinfo.check.audio_checks import check_mp3

_spec = importlib.util.spec_from_file_location("audio_cases", Path(__file__).parent / "fixtures" / "audio" / "cases.py")
cases = sys.modules["audio_cases"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cases)

IDS = [f"{c.rule}:{c.name}" for c in cases.CASES]


def test_every_audio_rule_has_a_broken_example():
    assert {c.rule for c in cases.CASES} == {"audio-broken", "audio-silent", "audio-length", "audio-timings",
                                             "audio-loudness"}


@pytest.mark.parametrize("case", cases.CASES, ids=IDS)
def test_the_good_twin_has_no_problems(case, tmp_path):
    mp3 = case.make(tmp_path / "site" / "leaflet", broken=False)
    assert [(f.rule, f.message) for f in check_mp3(tmp_path / "site", mp3)] == []


@pytest.mark.parametrize("case", cases.CASES, ids=IDS)
def test_each_broken_audio_gives_exactly_its_rule(case, tmp_path):
    mp3 = case.make(tmp_path / "site" / "leaflet", broken=True)
    findings = check_mp3(tmp_path / "site", mp3)
    assert [f.rule for f in findings] == [case.rule], f"{case.about}: {[(f.rule, f.message) for f in findings]}"
    [finding] = findings
    assert finding.page == "leaflet/leaflet-audio.mp3" and finding.check == "audio"
    assert finding.message.endswith(".") and finding.fix.endswith(".")


def test_a_long_silence_says_where_it_is(tmp_path):
    mp3 = cases.long_silence(tmp_path / "site" / "leaflet", broken=True)
    [finding] = check_mp3(tmp_path / "site", mp3)
    assert finding.message == "The audio goes quiet for 15 seconds, from 0:04: part of it may not have been spoken."


def test_a_short_recording_says_how_long_its_words_take(tmp_path):
    mp3 = cases.short_for_its_words(tmp_path / "site" / "leaflet", broken=True)
    [finding] = check_mp3(tmp_path / "site", mp3)
    assert finding.message == ("The audio lasts 3 seconds, but its 300 words take 45 to 450 seconds to say: "
                               "part of it may be missing.")


def test_a_quiet_recording_says_how_loud_it_is(tmp_path):
    mp3 = cases.too_quiet(tmp_path / "site" / "leaflet", broken=True)
    [finding] = check_mp3(tmp_path / "site", mp3)
    assert finding.rule == "audio-loudness"
    assert finding.message.startswith("The audio is quieter than the other pages: it measures -26.")
    assert "every page should be -16 LUFS (within 1.5 LU)" in finding.message
