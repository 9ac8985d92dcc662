"""The build pipeline knows nothing of MkDocs: only plugin/ imports the engine, the MkDocs adapter's
hooks are short hand-overs, and another engine can drive the pipeline with plain values."""
from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "build_tools" / "clearinfo"
ENGINES = ("mkdocs", "properdocs", "material")


def _imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_engine_edge_imports_the_engine():
    outside = {str(p.relative_to(PACKAGE)): sorted(_imported(p) & set(ENGINES))
               for p in PACKAGE.rglob("*.py") if p.relative_to(PACKAGE).parts[0] != "plugin"}
    assert {k: v for k, v in outside.items() if v} == {}
    inside = set().union(*(_imported(p) for p in (PACKAGE / "plugin").glob("*.py")))
    assert "mkdocs" in inside  # the check looks where the imports really are


def test_the_check_finds_an_engine_import(tmp_path):
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text("def f():\n    from mkdocs.structure.files import File\n    import material.plugins\n")
    assert _imported(sneaky) & set(ENGINES) == {"mkdocs", "material"}


def _hooks() -> dict[str, list[ast.stmt]]:
    tree = ast.parse((PACKAGE / "plugin" / "adapter.py").read_text(encoding="utf-8"))
    plugin = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "ClearinfoPlugin")
    hooks = {}
    for f in plugin.body:
        if isinstance(f, ast.FunctionDef) and f.name.startswith("on_"):
            body = f.body[1:] if isinstance(f.body[0], ast.Expr) and isinstance(f.body[0].value, ast.Constant) else f.body
            hooks[f.name] = body
    return hooks


def test_every_hook_of_the_mkdocs_adapter_is_one_to_three_statements():
    hooks = _hooks()
    assert {"on_config", "on_files", "on_page_markdown", "on_page_content", "on_env", "on_page_context",
            "on_post_page", "on_post_build"} <= set(hooks)
    assert {name: len(body) for name, body in hooks.items() if not 1 <= len(body) <= 3} == {}


DRIVER = textwrap.dedent('''
    """A toy engine: Python-Markdown for the pages, a dict for the site's files. No MkDocs."""
    import json, sys
    from pathlib import Path
    import markdown, yaml
    from clearinfo.pipeline import Pipeline

    def main():
        project_dir, site = Path(sys.argv[1]), Path(sys.argv[2])
        sources = {p.relative_to(project_dir / "content").as_posix(): p.read_text(encoding="utf-8")
                   for p in (project_dir / "content").rglob("*") if p.is_file()}

        def url(rel):
            stem = rel[:-3]
            return "" if stem == "index" else (stem[:-5] if stem.endswith("index") else stem + "/")

        class Files:
            def __init__(self): self.left_out, self.drafts = [], []
            def sources(self): return list(sources)
            def url_of(self, rel): return url(rel) if rel in sources else None
            def add(self, rel, text): sources[rel] = text
            def leave_out(self, rel): self.left_out.append(rel); del sources[rel]
            def preview_only(self, rel): self.drafts.append(rel)

        said = []
        pipeline = Pipeline.start(project_dir / "mkdocs.yml", "https://care.example.org/", theme={"font": False},
                                  warn=said.append, info=said.append)
        files = Files()
        pipeline.plan(files)
        html = {}
        for rel, text in sorted(sources.items()):
            if not rel.endswith(".md"):
                continue
            _, meta, body = text.split("---", 2)
            body = pipeline.page_markdown(rel, body)
            html[rel] = pipeline.page_html(rel, url(rel), yaml.safe_load(meta)["title"],
                                           markdown.markdown(body, extensions=["attr_list", "md_in_html"]))
        pipeline.all_pages_rendered()
        context = pipeline.page_context("getting-care-and-support.md", "getting-care-and-support/")
        page = pipeline.finish_page("index.md", "<html><head></head><body><main>" + html["index.md"] + "</main></body></html>")
        site.mkdir()
        pipeline.write(site)
        print(json.dumps({
            "engine_loaded": sorted(m for m in sys.modules if m.split(".")[0] in ("mkdocs", "material", "properdocs")
                                    and not m.startswith("mkdocs.utils") and m not in ("mkdocs", "mkdocs.exceptions")),
            "left_out": files.left_out,
            "generated": sorted(r for r in sources if r.startswith("coverage") or r.startswith("easy-read")),
            "formats": [f["label"] for f in context["clearinfo"]["formats"]],
            "glossary_linked": "words-we-use/#" in html["getting-care-and-support.md"],
            "policy": "Content-Security-Policy" in page,
            "site": sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()),
        }))


    if __name__ == "__main__":  # the audio workers import this file again
        main()
''')


def test_another_engine_can_drive_the_pipeline_with_plain_values(project, tmp_path):
    """What a Zensical (or any) adapter would do: render pages itself and call the pipeline's steps."""
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    done = subprocess.run([sys.executable, str(driver), str(project), str(tmp_path / "site")],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["engine_loaded"] == []  # no MkDocs build machinery, plugin or theme was loaded
    assert set(out["left_out"]) == {"references.yml", "duties.yml", "glossary.yml"}
    assert "coverage.md" in out["generated"]
    assert "Large print" in out["formats"] and out["glossary_linked"] and out["policy"]
    site = set(out["site"])
    assert "getting-care-and-support/getting-care-and-support-large-print.pdf" in site
    assert any(p.endswith("-audio.mp3") for p in site) and "_headers" in site
    assert any(p.startswith("assets/fonts/") for p in site)


@pytest.mark.parametrize("url, page, expected", [
    ("words-we-use/", "getting-care-and-support/", "../words-we-use/"),
    ("words-we-use/", "", "words-we-use/"),
    ("words-we-use/", "help/carers/", "../../words-we-use/"),
    ("words-we-use.html", "help/page.html", "../words-we-use.html"),
])
def test_links_between_pages_are_relative_as_the_engine_writes_them(url, page, expected):
    from clearinfo.pipeline import relative_url
    assert relative_url(url, page) == expected
