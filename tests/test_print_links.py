"""Printed web pages show each link's address after its words (theme/print_links.py): the address
goes in data-print-url, which the print stylesheet shows. Words from "Words we use", links inside the
page and phone and email links are left alone."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from clearinfo.theme.print_links import add_print_urls

SITE = "https://care.example.org/"


def printed(link: str) -> str | None:
    out = add_print_urls(f"<p>{link}</p>", "carers/", SITE)
    return BeautifulSoup(out, "html.parser").find("a").get("data-print-url")


@pytest.mark.parametrize("link, url", [
    ('<a href="https://www.example.org/help">Help</a>', "https://www.example.org/help"),
    ('<a href="../complaints/">Complaints</a>', "https://care.example.org/complaints/"),
    # A '>' inside a quoted title does not end the tag, so the link still gets its address.
    ('<a title="Out of hours > help" href="https://www.example.org/">Help</a>', "https://www.example.org/"),
    # Left alone: a word from "Words we use", a place on the page, a phone number, an email address.
    ('<a class="ci-term" href="../words-we-use/#carer">carer</a>', None),
    ('<a href="#top">Top</a>', None),
    ('<a href="tel:01632960000">01632 960000</a>', None),
    ('<a href="mailto:care@example.org">care@example.org</a>', None),
])
def test_each_link_prints_its_address(link, url):
    assert printed(link) == url


def test_without_site_url_only_full_addresses_are_printed():
    out = add_print_urls('<p><a href="../x/">X</a> <a href="https://e.org/">E</a></p>', "carers/", None)
    assert [a.get("data-print-url") for a in BeautifulSoup(out, "html.parser").find_all("a")] == [None, "https://e.org/"]
