"""The player's words are all in its template (partials/player.html), so they can be translated in
one place: player.js shows none of its own. (Its word-by-word highlight is tested in a real browser
in test_piper.py, on a site Piper spoke.)"""
from __future__ import annotations

import re

from bs4 import BeautifulSoup

from conftest import ROOT

SCRIPT = ROOT / "site_overrides" / "assets" / "javascripts" / "player.js"
TEMPLATE = ROOT / "site_overrides" / "partials" / "player.html"


def literals(js: str) -> list[str]:
    """Every quoted string in the script, comments left out."""
    js = re.sub(r"//[^\n]*", "", js)
    return [a or b for a, b in re.findall(r'"((?:[^"\\\n]|\\.)*)"|\'((?:[^\'\\\n]|\\.)*)\'', js)]


def test_player_js_holds_no_words_a_person_reads():
    found = literals(SCRIPT.read_text(encoding="utf-8"))
    assert "data-text-play" in found  # the words come from the template
    words = [s for s in found if re.fullmatch(r"[A-Za-z][a-z]*( [a-z]+)+|[A-Z][a-z]+", s) and s != "use strict"]
    assert words == [], words
    for word in ("Play", "Pause", "of"):
        assert word not in found


def test_the_template_gives_the_script_its_words():
    soup = BeautifulSoup(TEMPLATE.read_text(encoding="utf-8"), "html.parser")
    box = soup.select_one("[data-ci-player]")
    # each in the page's language (theme/catalogue.py's t), with English as the fallback
    assert (box["data-text-play"], box["data-text-pause"], box["data-text-of"]) == (
        "{{ t('Play') }}", "{{ t('Pause') }}", "{{ t('of') }}")
    script = SCRIPT.read_text(encoding="utf-8")
    for name in ("data-text-play", "data-text-pause", "data-text-of", "data-highlight-default"):
        assert f'"{name}"' in script
    # The highlight choice is a real select with a visible label, offering words, sentences and off.
    select = box.select_one("select[data-action=highlight]")
    assert select.find_parent("label").get_text(" ", strip=True).startswith("{{ t(\"Highlight\") }}")
    assert [o["value"] for o in select.select("option")] == ["words", "sentences", "off"]


# --- The word timings (formats/speech.py, word_times): an estimate inside each exact sentence ---------

def test_word_times_share_the_sentence_in_order_and_never_leave_it():
    from clearinfo.formats.speech import SpeechItem, word_times
    item = SpeechItem(3, "Phone the NHS, or write to us.", "Phone the N H S, or write to us.")
    words = word_times(item, 2.0, 5.0)
    assert [item.text[w[2]:w[3]] for w in words] == ["Phone", "the", "NHS,", "or", "write", "to", "us."]
    assert words[0][0] == 2.0 and words[-1][1] <= 5.0
    for a, b in zip(words, words[1:]):
        assert a[0] < a[1] <= b[0]
    # A longer word takes longer, an abbreviation is said letter by letter, and a comma is a pause.
    length = {item.text[w[2]:w[3]]: w[1] - w[0] for w in words}
    assert length["Phone"] > length["the"] and length["NHS,"] > length["Phone"]
    assert words[3][0] - words[2][1] > 0.1


def test_a_column_heading_said_first_delays_the_cells_first_word():
    from clearinfo.formats.speech import SpeechItem, word_times
    plain = word_times(SpeechItem(4, "Free.", "Free."), 0.0, 1.0)
    headed = word_times(SpeechItem(4, "Free.", "Cost: Free.", "Cost:"), 0.0, 1.0)
    assert plain[0][0] == 0.0 and headed[0][0] > 0.3 and headed[0][1] <= 1.0
    assert word_times(SpeechItem(4, "...", "..."), 0.0, 1.0) == []
