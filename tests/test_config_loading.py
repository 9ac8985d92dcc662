"""mkdocs.yml is read the way MkDocs reads it (INHERIT, !ENV), and its mistakes still name their line."""
from __future__ import annotations

from bs4 import BeautifulSoup

PHONE_LINE = '    phone: "01632 960000"\n'


def edit_config(project, old, new):
    cfg = project / "mkdocs.yml"
    text = cfg.read_text()
    assert old in text
    cfg.write_text(text.replace(old, new, 1))
    return cfg


def line_of(path, text):
    for n, line in enumerate(path.read_text().splitlines(), start=1):
        if text in line:
            return n
    raise AssertionError(text)


def split_into_base(project, base_extra: str = "") -> tuple:
    """Move the `extra:` block (the council's details) from mkdocs.yml into base.yml, which
    mkdocs.yml then INHERITs. Returns (mkdocs.yml, base.yml)."""
    cfg = project / "mkdocs.yml"
    text = cfg.read_text()
    start, end = text.index("\nextra:\n") + 1, text.index("\nnav:\n") + 1
    base = project / "base.yml"
    base.write_text("# Shared by every council site.\n" + text[start:end] + base_extra)
    cfg.write_text("INHERIT: base.yml\n" + text[:start] + text[end:])
    return cfg, base


def footer_and_header(project) -> tuple[str, str]:
    soup = BeautifulSoup((project / "site" / "index.html").read_text(), "html.parser")
    return soup.footer.get_text(" "), soup.header.get_text(" ")


def assert_plain(err):
    assert "Traceback" not in err and "File \"" not in err


# --- INHERIT ---------------------------------------------------------------------------------------

def test_council_details_from_an_inherited_file(project, run):
    cfg, base = split_into_base(project)
    base.write_text(base.read_text().replace('"01632 960000"', '"01632 960111"'))
    code, out, err = run("build", "-f", cfg)
    assert code == 0, err
    footer, header = footer_and_header(project)
    assert "01632 960111" in footer
    assert "Example Council" in header


def test_a_value_in_mkdocs_yml_wins_over_the_inherited_one(project, run):
    cfg, base = split_into_base(project)
    cfg.write_text(cfg.read_text() + 'extra:\n  council:\n    phone: "01632 960222"\n')
    code, out, err = run("build", "-f", cfg)
    assert code == 0, err
    footer, header = footer_and_header(project)
    assert "Phone 01632 960222" in " ".join(footer.split())
    assert "Example Council" in header  # the rest of the council's details still come from base.yml


def test_a_mistake_in_the_inherited_file_names_that_file_and_line(project, run):
    cfg, base = split_into_base(project)
    base.write_text(base.read_text().replace(PHONE_LINE, PHONE_LINE + "    fax: 01632 960999\n"))
    code, out, err = run("build", "-f", cfg)
    assert code == 1
    assert (f"Error: base.yml, line {line_of(base, 'fax:')}: 'fax' under 'council' is not a setting "
            "Clearinfo knows.") in err
    assert_plain(err)


def test_inherit_naming_no_file(project, run):
    cfg = edit_config(project, "site_name:", "INHERIT: shared/base.yml\nsite_name:")
    code, out, err = run("build", "-f", cfg)
    assert code == 1
    assert "Error: mkdocs.yml, line 3: 'INHERIT' names shared/base.yml, but there is no such file." in err
    assert_plain(err)


def test_files_that_inherit_each_other(project, run):
    cfg, base = split_into_base(project)
    base.write_text("INHERIT: mkdocs.yml\n" + base.read_text())
    code, out, err = run("build", "-f", cfg)
    assert code == 1
    assert "Error: base.yml, line 1: 'INHERIT' names mkdocs.yml, which is this file or inherits it" in err
    assert_plain(err)


# --- !ENV ------------------------------------------------------------------------------------------

def test_phone_from_the_environment(project, run, monkeypatch):
    monkeypatch.setenv("PHONE", "01632 960555")
    cfg = edit_config(project, PHONE_LINE, "    phone: !ENV PHONE\n")
    code, out, err = run("build", "-f", cfg)
    assert code == 0, err
    assert "01632 960555" in footer_and_header(project)[0]


def test_env_default_when_the_variable_is_not_set(project, run, monkeypatch):
    monkeypatch.delenv("PHONE", raising=False)
    cfg = edit_config(project, PHONE_LINE, '    phone: !ENV [PHONE, "01632 960999"]\n')
    code, out, err = run("build", "-f", cfg)
    assert code == 0, err
    assert "01632 960999" in footer_and_header(project)[0]


def test_env_variable_not_set_and_no_default(project, run, monkeypatch):
    monkeypatch.delenv("PHONE", raising=False)
    cfg = edit_config(project, PHONE_LINE, "    phone: !ENV PHONE\n")
    code, out, err = run("build", "-f", cfg)
    assert code == 1
    n = line_of(cfg, "!ENV PHONE")
    assert (f"Error: mkdocs.yml, line {n}: '!ENV' here needs the environment variable PHONE, which is not set. "
            'Set it before you build (for example export PHONE="its value" in a terminal') in err
    assert "the council setting 'phone' is missing" not in err  # one mistake, said once
    assert_plain(err)


def test_env_variable_in_the_inherited_file(project, run, monkeypatch):
    monkeypatch.delenv("COUNCIL_EMAIL", raising=False)
    cfg, base = split_into_base(project)
    base.write_text(base.read_text().replace("email: adult.care@example.org", "email: !ENV COUNCIL_EMAIL"))
    code, out, err = run("build", "-f", cfg)
    assert code == 1
    assert (f"Error: base.yml, line {line_of(base, '!ENV COUNCIL_EMAIL')}: '!ENV' here needs the environment "
            "variable COUNCIL_EMAIL, which is not set.") in err


def test_a_wrong_value_from_the_environment_names_the_variable(project, run, monkeypatch):
    monkeypatch.setenv("REVIEW_MONTHS", "soon")
    cfg = edit_config(project, "review_months: 12", "review_months: !ENV REVIEW_MONTHS")
    code, out, err = run("build", "-f", cfg)
    assert code == 1
    n = line_of(cfg, "!ENV REVIEW_MONTHS")
    assert (f"Error: the environment variable REVIEW_MONTHS (from mkdocs.yml, line {n}): 'review_months' must be "
            "a whole number, like 12, not 'soon'.") in err
    assert_plain(err)


def test_an_empty_variable_for_a_required_setting(project, run, monkeypatch):
    monkeypatch.setenv("PHONE", "")
    cfg = edit_config(project, PHONE_LINE, "    phone: !ENV PHONE\n")
    code, out, err = run("build", "-f", cfg)
    assert code == 1
    n = line_of(cfg, "!ENV PHONE")
    assert (f"Error: the environment variable PHONE (from mkdocs.yml, line {n}): the variable is empty, so the "
            "council setting 'phone' has no value. Set PHONE to the adult social care phone number.") in err


# --- Mistakes written in mkdocs.yml still name their line -----------------------------------------

def test_a_mistake_in_mkdocs_yml_names_its_line(project, run):
    cfg = edit_config(project, PHONE_LINE, "    phone: [01632, 960000]\n")
    code, out, err = run("build", "-f", cfg)
    assert code == 1
    n = line_of(cfg, "phone: [")
    assert f"Error: mkdocs.yml, line {n}: 'phone' must be text, for example: phone: " in err
    assert_plain(err)


def test_a_wrong_plugin_setting_names_its_line(project, run):
    cfg = edit_config(project, "review_months: 12", "review_months: soon")
    code, out, err = run("build", "-f", cfg)
    assert code == 1
    n = line_of(cfg, "review_months: soon")
    assert f"Error: mkdocs.yml, line {n}: 'review_months' must be a whole number, like 12, not 'soon'." in err
