"""The content is read and checked once a build: the command checks it before the engine starts,
and hands the same project to the engine's adapter (it used to be checked twice)."""
from __future__ import annotations

from clearinfo.project import Project


def test_a_build_checks_the_content_once(project, run, monkeypatch):
    calls = []
    real = Project._check_all

    def counting(self, today):
        calls.append(self.config_path.name)
        return real(self, today)
    monkeypatch.setattr(Project, "_check_all", counting)
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 0, err
    assert calls == ["mkdocs.yml"]
    assert (project / "site" / "index.html").exists()
