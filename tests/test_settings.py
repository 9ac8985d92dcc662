"""The council's details: set once in mkdocs.yml, checked, and used everywhere."""
from __future__ import annotations

import re

from bs4 import BeautifulSoup


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
