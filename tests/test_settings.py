"""The council's details: set once in mkdocs.yml, checked, and used everywhere."""
from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT


def edit_config(project, old, new):
    cfg = project / "mkdocs.yml"
    text = cfg.read_text()
    assert old in text
    cfg.write_text(text.replace(old, new, 1))
    return cfg


def line_of(project, text):
    for n, line in enumerate((project / "mkdocs.yml").read_text().splitlines(), start=1):
        if text in line:
            return n
    raise AssertionError(text)


def test_missing_required_setting(project, run):
    cfg = edit_config(project, '    phone: "01632 960000"\n', "")
    code, out, err = run("build", "-f", cfg)
    assert code == 1
    n = line_of(project, "  council:")
    assert (f"Error: mkdocs.yml, line {n}: the council setting 'phone' is missing. Add 'phone:' under "
            "'council:' with the adult social care phone number.\n") in err


def test_unknown_setting(project, run):
    cfg = edit_config(project, "    email: adult.care@example.org\n",
                      "    email: adult.care@example.org\n    fax: 01632 960999\n")
    code, out, err = run("build", "-f", cfg)
    assert code == 1
    n = line_of(project, "    fax:")
    assert f"Error: mkdocs.yml, line {n}: 'fax' under 'council' is not a setting Clearinfo knows." in err


def test_feedback_needs_a_route(project, run):
    cfg = edit_config(project, "      email: feedback@example.org\n", "      phone: 01632 960001\n")
    code, out, err = run("build", "-f", cfg)
    assert code == 1
    assert "'feedback' must have a 'url' (a feedback form) or an 'email'." in err


def test_changed_settings_appear_everywhere(project, run):
    edit_config(project, "    name: Example Council", "    name: Otherplace Borough Council")
    cfg = edit_config(project, '    phone: "01632 960000"', '    phone: "01632 960123"')
    code, out, err = run("build", "-f", cfg)
    assert code == 0, err
    for page in (project / "site").rglob("index.html"):
        soup = BeautifulSoup(page.read_text(), "html.parser")
        assert "Otherplace Borough Council" in soup.header.get_text()
        assert "01632 960123" in soup.footer.get_text()
        assert soup.footer.find("a", href="tel:01632960123")
    home = BeautifulSoup((project / "site" / "index.html").read_text(), "html.parser")
    assert "01632 960123" in home.main.get_text()
    assert "01632 960000" not in home.main.get_text()


def test_feedback_form_url_gets_the_page(project, run):
    cfg = edit_config(project, "      email: feedback@example.org\n",
                      "      url: https://forms.example.org/feedback?about={title}\n")
    code, out, err = run("build", "-f", cfg)
    assert code == 0, err
    soup = BeautifulSoup((project / "site" / "getting-care-and-support" / "index.html").read_text(), "html.parser")
    assert soup.select_one(".ci-feedback a")["href"] == \
        "https://forms.example.org/feedback?about=Getting%20care%20and%20support"


def test_google_fonts_cannot_be_switched_back_on(project, run):
    cfg = edit_config(project, "  font: false", "  font:\n    text: Roboto")
    code, out, err = run("build", "-f", cfg)
    assert code == 1
    assert re.search(r"set 'font: false' under 'theme:'.*Google Fonts", err)


@pytest.mark.parametrize("setting,message", [
    ("audio_rate: fast", "'audio_rate' must be a whole number, like 12, not 'fast'."),
    ("easy_read_max_pages: ten", "'easy_read_max_pages' must be a whole number, like 12, not 'ten'."),
    ("reading_ease_target: high", "'reading_ease_target' must be a number, like 16, not 'high'."),
    ("audio: maybe", "'audio' must be true or false, not 'maybe'."),
    ("pronunciations: [NHS]", "'pronunciations' must be a list of 'name: value' lines indented under it, not a list."),
    ("cache_dir: {a: b}", "'cache_dir' must be text, not a group of settings."),
    ("audio_rate:", "'audio_rate' must be a whole number, like 12, not empty."),
    ("audio_rat: 150", "'audio_rat' is not a Clearinfo setting. Did you mean 'audio_rate'?"),
])
def test_a_wrong_clearinfo_setting_is_explained(project, run, setting, message):
    edit_config(project, "      review_months: 12\n", f"      review_months: 12\n      {setting}\n")
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 1
    assert f"Error: mkdocs.yml, line {line_of(project, setting)}: {message}" in err
    assert "Traceback" not in err


def test_every_setting_has_a_kind_and_a_line_in_the_readme():
    from clearinfo.project import OPTION_KINDS, PLUGIN_DEFAULTS
    readme = (ROOT / "README.md").read_text()
    # Each setting appears in README.md in backticks, in a table or an example.
    assert set(OPTION_KINDS) == set(PLUGIN_DEFAULTS)
    assert [key for key in PLUGIN_DEFAULTS if f"`{key}`" not in readme] == []
