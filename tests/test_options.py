"""The clearinfo plugin's settings come from one list (clearinfo.options), and `concurrency` sets how
many PDFs and audio files are made at once."""
from __future__ import annotations

import concurrent.futures
import os

import pytest

from test_settings import edit_config, line_of


def test_defaults_and_the_mkdocs_config_class_come_from_one_list():
    from clearinfo.options import OPTIONS
    from clearinfo.plugin import ClearinfoConfig
    from clearinfo.project import OPTION_KINDS, PLUGIN_DEFAULTS
    names = [o.name for o in OPTIONS]
    assert len(set(names)) == len(names)
    assert list(PLUGIN_DEFAULTS) == names
    assert list(OPTION_KINDS) == names
    schema = dict(ClearinfoConfig._schema)
    assert list(schema) == names
    assert {name: option.default for name, option in schema.items()} == PLUGIN_DEFAULTS
    assert all(o.help for o in OPTIONS)


def test_the_mkdocs_config_class_fills_in_the_defaults():
    from clearinfo.plugin import ClearinfoConfig
    from clearinfo.project import PLUGIN_DEFAULTS
    config = ClearinfoConfig()
    config.load_dict({"concurrency": 3})
    failed, warnings = config.validate()
    assert failed == [] and warnings == []
    assert config.concurrency == 3
    assert config.review_months == PLUGIN_DEFAULTS["review_months"]


def test_concurrency_defaults_to_the_number_of_cpus():
    from clearinfo.project import PLUGIN_DEFAULTS
    assert PLUGIN_DEFAULTS["concurrency"] == max(1, os.cpu_count() or 1)


@pytest.mark.parametrize("setting,message", [
    ("concurrency: 0", "'concurrency' must be 1 or more, not '0'."),
    ("concurrency: -2", "'concurrency' must be 1 or more, not '-2'."),
    ("concurrency: lots", "'concurrency' must be a whole number, like 12, not 'lots'."),
    ("concurrency: 1.5", "'concurrency' must be a whole number, like 12, not '1.5'."),
])
def test_a_wrong_concurrency_is_explained(project, run, setting, message):
    edit_config(project, "      review_months: 12\n", f"      review_months: 12\n      {setting}\n")
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 1
    assert f"Error: mkdocs.yml, line {line_of(project, setting)}: {message}" in err
    assert "Traceback" not in err


def test_a_build_with_concurrency_1_makes_everything_one_at_a_time(project, run, monkeypatch, own_cache):
    """With its own (empty) cache, the build makes every PDF, so the PDF pool is started."""
    from clearinfo.formats import audio, pdfs
    from clearinfo.project import Project
    pools, asked = [], []
    real_pool = concurrent.futures.ProcessPoolExecutor

    def recording_pool(*args, **kwargs):
        pools.append(kwargs.get("max_workers", args[0] if args else None))
        return real_pool(*args, **kwargs)

    real_pdfs, real_audio = pdfs.make_pdfs, audio.make_audio

    def made_pdfs(jobs, cache_dir, workers, **kwargs):
        asked.append(("pdf", workers))
        return real_pdfs(jobs, cache_dir, workers, **kwargs)

    def speak(jobs, cache_dir, workers, **kwargs):
        asked.append(("audio", workers))
        return real_audio(jobs, cache_dir, workers, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", recording_pool)
    from clearinfo.pipeline import audio as pipeline_audio, easy_read as pipeline_easy_read, printing
    monkeypatch.setattr(printing, "make_pdfs", made_pdfs)
    monkeypatch.setattr(pipeline_easy_read, "make_pdfs", made_pdfs)
    monkeypatch.setattr(pipeline_audio, "make_audio", speak)
    cfg = edit_config(project, "      review_months: 12\n", "      review_months: 12\n      concurrency: 1\n")
    assert Project.load(cfg).concurrency == 1
    code, out, err = run("build", "-f", cfg)
    assert code == 0, err
    assert {kind for kind, _ in asked} >= {"pdf"}
    assert all(workers == 1 for _, workers in asked), asked
    assert pools and all(n == 1 for n in pools), pools
