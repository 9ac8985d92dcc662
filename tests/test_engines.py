"""The two extra engines, HTML_CodeSniffer (in Chromium) and the Nu HTML Checker (in Java): each
catches its deliberate fault in a small page and leaves the page's fixed twin alone, says what is
wrong in plain English, and runs only the pinned files, checked each time they are loaded."""
from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from clearinfo import vendor
from clearinfo.check import nu as nu_module
from clearinfo.check.browser import axe_script, chromium, serve_directory, set_viewport
from clearinfo.check.engine_messages import explain_htmlcs, explain_nu
from clearinfo.check.findings import VIOLATION
from clearinfo.check.htmlcs import htmlcs_source, inject_htmlcs, run_htmlcs
from clearinfo.check.nu import run_nu
from clearinfo.errors import EnvironmentProblem
from conftest import ROOT

VENDOR = ROOT / ".vendor"
FIXTURES = Path(__file__).parent / "fixtures" / "engines"
CHANGED = ("The file .vendor/{name}/{file} has changed since it was downloaded and checked, so I will not use it. "
           "Run 'clearinfo fetch-assets' to fetch it again.")


# --- Pinned files, checked every time they are loaded -------------------------------------------

@pytest.fixture
def vendor_copy(tmp_path) -> Path:
    """A copy of the fetched checkers, to change on purpose (named .vendor, as in a project)."""
    copy = tmp_path / ".vendor"
    for name in ("axe-core", "html_codesniffer"):
        shutil.copytree(VENDOR / name, copy / name)
    return copy


def test_an_unchanged_copy_loads(vendor_copy):
    assert vendor.verified_path(vendor_copy, "axe-core", "axe.min.js") == vendor_copy / "axe-core" / "axe.min.js"
    assert axe_script(vendor_copy) == vendor_copy / "axe-core" / "axe.min.js"
    assert htmlcs_source(vendor_copy).startswith("/*! html_codesniffer - v2.5.1")
    assert vendor.is_fetched(vendor_copy, "html_codesniffer")


@pytest.mark.parametrize("name, file", [("axe-core", "axe.min.js"), ("html_codesniffer", "HTMLCS.js")])
def test_a_changed_file_is_refused_with_a_clear_message(vendor_copy, name, file):
    path = vendor_copy / name / file
    path.write_bytes(path.read_bytes().replace(b"function", b"functiom", 1))
    for load in (vendor.verified_path, vendor.verified_bytes):
        with pytest.raises(EnvironmentProblem) as e:
            load(vendor_copy, name, file)
        assert str(e.value) == CHANGED.format(name=name, file=file)
    assert not vendor.is_fetched(vendor_copy, name), "fetch-assets must fetch it again"


def test_the_browser_checks_refuse_a_changed_axe(vendor_copy):
    with open(vendor_copy / "axe-core" / "axe.min.js", "a") as f:
        f.write("\nwindow.sneaky = 1;\n")
    with pytest.raises(EnvironmentProblem, match="axe.min.js has changed since it was downloaded"):
        axe_script(vendor_copy)


def test_a_copy_fetched_before_hashes_were_kept_is_fetched_again(vendor_copy):
    stamp = vendor_copy / "axe-core" / ".fetched"
    stamp.write_text(vendor.ASSETS["axe-core"]["integrity"] + "\n")  # how older versions wrote it
    assert not vendor.is_fetched(vendor_copy, "axe-core")
    with pytest.raises(EnvironmentProblem, match=r"axe-core is missing.*clearinfo fetch-assets"):
        vendor.verified_path(vendor_copy, "axe-core", "axe.min.js")


def _package(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def test_fetch_records_each_file_and_fetches_a_changed_one_again(tmp_path, monkeypatch):
    """With a package served from memory, so the test needs no network."""
    tgz = _package({"package/tool.js": b"console.log('tool');\n", "package/LICENSE": b"MIT\n"})
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(tgz).digest()).decode()
    monkeypatch.setattr(vendor, "ASSETS", {"tool": {
        "package": "tool", "version": "1.0.0", "url": "https://registry.example/tool-1.0.0.tgz",
        "integrity": integrity, "licence": "MIT License",
        "files": {"package/tool.js": "tool.js", "package/LICENSE": "LICENSE.txt"}}})
    downloads = []

    def urlopen(url, timeout):
        downloads.append(url)
        return io.BytesIO(tgz)
    monkeypatch.setattr(vendor.urllib.request, "urlopen", urlopen)
    folder = tmp_path / ".vendor"

    assert vendor.fetch(folder, say=lambda *_: None) == ["tool"]
    stamp = json.loads((folder / "tool" / ".fetched").read_text())
    assert stamp["version"] == "1.0.0" and stamp["integrity"] == integrity
    assert stamp["sha256"]["tool.js"] == hashlib.sha256(b"console.log('tool');\n").hexdigest()
    assert vendor.fetch(folder, say=lambda *_: None) == [] and len(downloads) == 1, "nothing changed"

    (folder / "tool" / "tool.js").write_text("console.log('changed');\n")
    with pytest.raises(EnvironmentProblem, match="tool.js has changed"):
        vendor.verified_bytes(folder, "tool", "tool.js")
    assert vendor.fetch(folder, say=lambda *_: None) == ["tool"] and len(downloads) == 2
    assert vendor.verified_bytes(folder, "tool", "tool.js") == b"console.log('tool');\n"


def test_the_new_checkers_are_pinned_with_their_licences():
    assert vendor.ASSETS["html_codesniffer"]["version"] == "2.5.1"
    assert vendor.ASSETS["vnu-jar"]["version"] == "26.9.27"
    assert "Redistribution and use in source and binary forms" in \
        vendor.verified_bytes(VENDOR, "html_codesniffer", "LICENCE.txt").decode()  # BSD 3-Clause
    assert "Permission is hereby granted, free of charge" in \
        vendor.verified_bytes(VENDOR, "vnu-jar", "LICENSE.txt").decode()  # MIT


# --- HTML_CodeSniffer ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def page_in_chromium():
    """Open a fixture page in one shared Chromium, with HTML_CodeSniffer put in."""
    source = htmlcs_source(VENDOR)
    with serve_directory(FIXTURES / "htmlcs") as base, chromium() as driver:
        def open_page(name: str):
            driver.get(base + name)
            inject_htmlcs(driver, VENDOR, source)
            return driver
        yield open_page


@pytest.mark.browser
@pytest.mark.parametrize("fault, twin, rules", [
    ("form-no-submit.html", "form-with-submit.html", {"H32.2"}),
    ("checkbox-no-name.html", "checkbox-with-label.html", {"F68", "H91.InputCheckbox.Name"}),
])
def test_htmlcs_catches_the_fault_and_passes_the_twin(page_in_chromium, fault, twin, rules):
    found = run_htmlcs(page_in_chromium(fault), fault, "desktop, light colours")
    assert {f.rule for f in found} == rules
    assert all(f.check == "htmlcs" and f.severity == VIOLATION and f.page == fault and
               f.context == "desktop, light colours" for f in found)
    assert run_htmlcs(page_in_chromium(twin), twin) == []


@pytest.mark.browser
def test_htmlcs_says_what_is_wrong_in_plain_english(page_in_chromium):
    [form] = run_htmlcs(page_in_chromium("form-no-submit.html"), "form-no-submit.html")
    assert form.message == ("This form has no submit button, so people who use a keyboard or a screen reader "
                            "may not be able to send it. (WCAG 3.2.2)")
    assert "<button type=\"submit\">" in form.fix
    assert form.selector == "body > main > form" and form.element.startswith("body > main > form <form ")
    found = {f.rule: f for f in run_htmlcs(page_in_chromium("checkbox-no-name.html"), "checkbox-no-name.html")}
    assert found["H91.InputCheckbox.Name"].message.startswith("This tick box has no name")
    assert found["F68"].selector == "#post"


@pytest.mark.browser
def test_htmlcs_runs_under_a_policy_that_blocks_inline_scripts(page_in_chromium):
    driver = page_in_chromium("under-policy.html")
    assert driver.execute_script("return window.inlineScriptRan") is None, "the page's policy must be in force"
    assert run_htmlcs(driver, "under-policy.html") == []
    set_viewport(driver, 320)  # a second view of the same load needs no second injection
    assert run_htmlcs(driver, "under-policy.html", "320px wide, light colours") == []


@pytest.mark.browser
def test_htmlcs_leaves_out_what_it_adds_itself(page_in_chromium):
    driver = page_in_chromium("checkbox-with-label.html")
    driver.execute_script("const d = document.createElement('div'); d.id = 'HTMLCS-wrapper';"
                          "d.innerHTML = '<input type=checkbox>'; document.body.appendChild(d);")
    assert run_htmlcs(driver, "checkbox-with-label.html") == []


@pytest.mark.browser
def test_htmlcs_not_put_in_is_an_error_not_a_pass(page_in_chromium, vendor_copy):
    driver = page_in_chromium("form-no-submit.html")
    driver.refresh()  # a new load forgets it
    with pytest.raises(RuntimeError, match="HTML_CodeSniffer stopped"):
        run_htmlcs(driver, "form-no-submit.html")
    (vendor_copy / "html_codesniffer" / "HTMLCS.js").write_text("window.HTMLCS = {process() {}};")
    with pytest.raises(EnvironmentProblem, match="HTMLCS.js has changed"):
        inject_htmlcs(driver, vendor_copy)


def test_htmlcs_codes_nobody_has_explained_keep_their_own_words():
    message, fix = explain_htmlcs("WCAG2AA.Principle1.Guideline1_3.1_3_1.H99.Odd", "Something odd.")
    assert message == "HTML_CodeSniffer says: Something odd. (WCAG 1.3.1)"
    assert "H99.Odd" in fix
    message, _ = explain_htmlcs("WCAG2AA.Principle1.Guideline1_4.1_4_3.G18.Fail",
                                "This element has insufficient contrast at this conformance level. Expected a "
                                "contrast ratio of at least 4.5:1, but text in this element has a contrast ratio "
                                "of 2.1:1.")
    assert "contrast 2.1:1, it needs at least 4.5:1" in message and message.endswith("(WCAG 1.4.3)")


# --- The Nu HTML Checker -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def nu_findings():
    folder = FIXTURES / "nu"
    found = run_nu(folder, sorted(folder.glob("*.html")), VENDOR)
    by_page: dict[str, list] = {}
    for f in found:
        by_page.setdefault(f.page, []).append(f)
    return by_page


@pytest.mark.parametrize("fault, twin, rules", [
    ("autocomplete-checkbox.html", "autocomplete-text.html", ["nu-attribute-not-allowed"]),
    ("label-with-role.html", "label-plain.html", ["nu-aria-misuse", "nu-aria-misuse"]),
    ("stray-end-tag.html", "balanced-tags.html", ["nu-stray-end-tag"]),
])
def test_nu_catches_the_fault_and_passes_the_twin(nu_findings, fault, twin, rules):
    assert sorted(f.rule for f in nu_findings.get(fault, [])) == rules
    assert all(f.check == "nu" and f.severity == VIOLATION for f in nu_findings[fault])
    assert twin not in nu_findings


def test_nu_says_where_and_what_in_plain_english(nu_findings):
    [stray] = nu_findings["stray-end-tag.html"]
    assert stray.element.startswith("line 12, column 33: ") and "</div>" in stray.element
    assert stray.message.startswith("There is a closing </div> tag that has no matching opening tag.")
    assert stray.message.endswith("(The HTML checker says: Stray end tag “div”.)")
    assert stray.fix == "Remove the stray </div>, or add the opening <div> it belongs to."
    role, label = sorted(nu_findings["label-with-role.html"], key=lambda f: f.message)
    assert "aria-label attribute" in role.message and "role attribute" in label.message
    assert "A label tied to a form field already gives that field its name." in label.fix


def test_nu_advice_about_the_policy_on_disk_is_not_an_error():
    """From disk, a page's policy blocks its own files (they have no web address to match 'self'):
    Nu says so as a warning, which is not a fault in the page."""
    page = FIXTURES / "nu" / "balanced-tags.html"
    said = subprocess.run(["java", "-jar", str(vendor.verified_path(VENDOR, "vnu-jar", "vnu.jar")), "--format",
                           "json", "--stdout", "--exit-zero-always", str(page)], capture_output=True, text=True)
    kinds = [(m["type"], m["message"]) for m in json.loads(said.stdout)["messages"]]
    assert any(t == "info" and "Content Security Policy" in m for t, m in kinds)
    assert run_nu(page.parent, [page], VENDOR) == []


def test_nu_without_java_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(nu_module.shutil, "which", lambda name: None)
    page = FIXTURES / "nu" / "balanced-tags.html"
    with pytest.raises(EnvironmentProblem) as e:
        run_nu(page.parent, [page], VENDOR)
    assert "Java is not installed" in str(e.value) and "sudo apt-get install default-jre-headless" in str(e.value)


def test_nu_that_takes_too_long_is_stopped(monkeypatch):
    def slow(*args, timeout, **kwargs):
        raise subprocess.TimeoutExpired(args[0], timeout)
    monkeypatch.setattr(nu_module.subprocess, "run", slow)
    page = FIXTURES / "nu" / "balanced-tags.html"
    with pytest.raises(EnvironmentProblem, match="took more than 5 seconds for 1 page, so I stopped it"):
        run_nu(page.parent, [page], VENDOR, timeout=5)


@pytest.mark.parametrize("raw, rule, says", [
    ("Attribute “colour” not allowed on element “p” at this point.", "nu-attribute-not-allowed",
     "The <p> element has the colour attribute, which is not allowed there."),
    ("Element “div” not allowed as child of element “span” in this context. (Suppressing further errors from "
     "this subtree.)", "nu-element-not-allowed-as-child", "A <div> is inside a <span>, where it is not allowed."),
    ("Duplicate ID “contact”.", "nu-duplicate-id", "The id 'contact' is used more than once on the page."),
    ("Bad value “2025-13-01” for attribute “datetime” on element “time”: Bad date: Month out of range.",
     "nu-bad-value", "The <time> element's datetime is \"2025-13-01\", which is not a value it can have."),
    ("The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control.",
     "nu-label-for-non-hidden-control", "A label's 'for' does not point to a visible form field"),
    ("No “p” element in scope but a “p” end tag seen.", "nu-stray-end-tag", "There is a closing </p> tag"),
    ("Bad value “tick” for attribute “role” on element “span”.", "nu-aria-misuse",
     "The <span> element has role=\"tick\""),
    ("The “aria-hidden” attribute must not be specified on the “body” element.", "nu-aria-misuse",
     "The <body> element has the aria-hidden attribute"),
])
def test_nu_common_messages_in_plain_english(raw, rule, says):
    got_rule, message, fix = explain_nu(raw)
    assert got_rule == rule
    assert message.startswith(says)
    assert fix


def test_nu_messages_nobody_has_explained_keep_their_own_words():
    rule, message, _ = explain_nu("The “frobnicate” element must be inside a “widget” element.")
    assert message == "The HTML checker says: The “frobnicate” element must be inside a “widget” element."
    assert rule == explain_nu("The “blink” element must be inside a “marquee” element.")[0], "stable per kind"
    assert rule == "nu-element-inside-element"


# --- The bundled site ----------------------------------------------------------------------------

@pytest.mark.browser
def test_the_bundled_site_passes_both_engines(built_site):
    pages = sorted(built_site.rglob("*.html"))
    found = run_nu(built_site, pages, VENDOR)
    source = htmlcs_source(VENDOR)
    with serve_directory(built_site) as base, chromium() as driver:
        for path in pages:
            page = path.relative_to(built_site).as_posix()
            driver.get(base + page)
            inject_htmlcs(driver, VENDOR, source)
            for width in (1280, 320):
                set_viewport(driver, width)
                found += run_htmlcs(driver, page, f"{width}px")
    assert [(f.page, f.check, f.rule, f.element) for f in found] == []
