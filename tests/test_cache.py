"""The one cache room (clearinfo/cache.py) that every format uses: keys include the versions of the
tools that make a file, writes are atomic, and every entry is checked before it is used."""
from __future__ import annotations

import json

import pytest

from clearinfo import cache
from clearinfo.cache import Shelf, key, tool_versions
from clearinfo.formats import audio, pdfs
from clearinfo.formats.speech import SpeechItem


def test_the_tools_versions_are_read_from_the_machine():
    versions = tool_versions("weasyprint", "pikepdf", "espeak-ng", "ffmpeg")
    assert versions["weasyprint"][0].isdigit() and versions["pikepdf"][0].isdigit()
    assert "espeak-ng" in versions["espeak-ng"].lower() and versions["ffmpeg"].startswith("ffmpeg version")
    assert tool_versions("no-such-package-here")["no-such-package-here"] == "missing"


@pytest.mark.parametrize("tool", ["weasyprint", "pydyf", "fonttools", "pikepdf"])
def test_a_new_version_of_a_pdf_tool_makes_the_pdf_again(monkeypatch, tool):
    before = pdfs.pdf_key("<p>Words</p>", [])
    real = cache.tool_versions
    monkeypatch.setattr(pdfs, "tool_versions", lambda *t: {**real(*t), tool: "99.0"})
    assert pdfs.pdf_key("<p>Words</p>", []) != before


@pytest.mark.parametrize("tool", ["espeak-ng", "ffmpeg", "pyttsx3"])
def test_a_new_version_of_a_speech_tool_speaks_the_page_again(monkeypatch, tool):
    job = audio.AudioJob("home", "Home", "A council", [SpeechItem(0, "Hello.", "Hello.")], audio.Voice())
    before = audio.audio_key(job)
    real = cache.tool_versions
    monkeypatch.setattr(audio, "tool_versions", lambda *t: {**real(*t), tool: "another version"})
    assert audio.audio_key(job) != before


def test_keys_depend_on_the_inputs_and_not_on_their_order_in_a_mapping():
    assert key({"a": 1, "b": 2}, {"t": "1"}) == key({"b": 2, "a": 1}, {"t": "1"})
    assert key({"a": 1}, {"t": "1"}) != key({"a": 2}, {"t": "1"})


def _made(shelf: Shelf, name: str, k: str, data: bytes):
    part = shelf.part(shelf.path(name, k))
    part.write_bytes(data)
    return part


def test_an_entry_is_made_under_a_temporary_name_in_the_same_folder_then_kept(tmp_path):
    shelf = Shelf(tmp_path, ".pdf")
    k = "a" * 32
    part = _made(shelf, "home", k, b"%PDF whole")
    assert part.parent == tmp_path and part.name != shelf.path("home", k).name
    assert shelf.get("home", k) is None  # not kept yet: never used
    entry = shelf.keep("home", k, part, {"pages": 3})
    assert not part.exists() and entry.path == shelf.path("home", k)
    assert shelf.get("home", k).record == {"pages": 3}
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.parametrize("damage", ["cut short", "changed, same size", "record lost", "older record"])
def test_a_damaged_entry_is_not_used(tmp_path, damage):
    shelf = Shelf(tmp_path, ".mp3")
    k = "b" * 32
    entry = shelf.keep("home", k, _made(shelf, "home", k, b"ID3 sound of speech"), {"timings": []})
    record = entry.path.with_suffix(".json")
    if damage == "cut short":
        entry.path.write_bytes(b"ID3 sound")
    elif damage == "changed, same size":
        entry.path.write_bytes(b"ID3 sound of spEech")
    elif damage == "record lost":
        record.unlink()
    else:
        record.write_text(json.dumps({"bytes": 19, "sha256": "x", "timings": []}))
    assert shelf.get("home", k) is None


def test_a_whole_entry_is_used_and_a_newer_one_replaces_the_older(tmp_path):
    shelf = Shelf(tmp_path, ".pdf")
    old, new = "c" * 32, "d" * 32
    shelf.keep("home", old, _made(shelf, "home", old, b"old"), {"pages": 1})
    shelf.keep("help", old, _made(shelf, "help", old, b"other page"), {"pages": 1})
    assert shelf.get("home", old) is not None
    shelf.keep("home", new, _made(shelf, "home", new, b"new"), {"pages": 2})
    assert shelf.get("home", old) is None and not shelf.path("home", old).exists()
    assert not shelf.path("home", old).with_suffix(".json").exists()
    assert shelf.get("home", new).record == {"pages": 2}
    assert shelf.get("help", old) is not None  # another page's entry is left alone


def test_a_programs_version_is_remembered_until_the_program_file_changes(tmp_path, monkeypatch):
    """A warm build does not start espeak-ng and ffmpeg just to ask their versions: the answer is kept
    in the cache against the program file's size and time stamp, and asked again when the file changes."""
    bin_dir, asked = tmp_path / "bin", tmp_path / "asked"
    bin_dir.mkdir()
    program = bin_dir / "espeak-ng"
    program.write_text(f"#!/bin/sh\necho x >> {asked}\necho 'eSpeak NG text-to-speech: 9.9'\n")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    cache._command_version.cache_clear()  # what this process already asked
    folder = tmp_path / "cache"
    assert tool_versions("espeak-ng", cache_dir=folder)["espeak-ng"] == "eSpeak NG text-to-speech: 9.9"
    cache._command_version.cache_clear()  # as a new build would start
    assert tool_versions("espeak-ng", cache_dir=folder)["espeak-ng"] == "eSpeak NG text-to-speech: 9.9"
    assert asked.read_text().count("x") == 1  # asked once, then remembered
    program.write_text(f"#!/bin/sh\necho x >> {asked}\necho 'eSpeak NG text-to-speech: 10.0'\n")
    cache._command_version.cache_clear()
    assert tool_versions("espeak-ng", cache_dir=folder)["espeak-ng"] == "eSpeak NG text-to-speech: 10.0"
    assert asked.read_text().count("x") == 2  # a new program file is asked again
    cache._command_version.cache_clear()
    assert tool_versions("espeak-ng")["espeak-ng"] == "eSpeak NG text-to-speech: 10.0"  # no cache folder: asked
    assert asked.read_text().count("x") == 3
    cache._command_version.cache_clear()
