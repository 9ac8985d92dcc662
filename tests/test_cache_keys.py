"""A made PDF is known by what it is made from, not where the project is: a copy of the project, or
a CI runner's fresh checkout with a restored cache, reuses it; any change to a file it uses makes
it again."""
from __future__ import annotations

from clearinfo.formats.pdfs import pdf_key


def test_the_same_files_in_another_folder_give_the_same_key(tmp_path):
    keys = []
    for where in ("one", "two"):
        font = tmp_path / where / ".vendor" / "font.woff"
        font.parent.mkdir(parents=True)
        font.write_bytes(b"the same font")
        html = f"<style>@font-face {{ src: url({font.as_uri()}) }}</style><p>Words</p>"
        keys.append(pdf_key(html, [font]))
    assert keys[0] == keys[1]


def test_a_changed_file_or_changed_words_give_a_new_key(tmp_path):
    font = tmp_path / "font.woff"
    font.write_bytes(b"a font")
    html = f"<style>@font-face {{ src: url({font.as_uri()}) }}</style><p>Words</p>"
    before = pdf_key(html, [font])
    font.write_bytes(b"another font")
    assert pdf_key(html, [font]) != before
    font.write_bytes(b"a font")
    assert pdf_key(html, [font]) == before
    assert pdf_key(html.replace("Words", "Other words"), [font]) != before
