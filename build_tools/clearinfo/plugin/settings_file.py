"""mkdocs.yml read with MkDocs' own loader, so INHERIT and !ENV behave as MkDocs documents them."""
from __future__ import annotations

from pathlib import Path

from ..errors import EnvironmentProblem


def as_the_engine_reads_it(config_path: Path) -> dict:
    """The values in mkdocs.yml as MkDocs itself loads them: INHERIT merged in, !ENV filled in.
    project.py adds where each value came from (the file and line); if the engine changes, this is
    the function that changes with it."""
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load
    loader = get_yaml_loader()
    loader.add_constructor("!relative", lambda loader, node: None)  # a path MkDocs fills in per page; unused here
    try:
        with open(config_path, "rb") as f:
            return yaml_load(f, loader) or {}
    except (ConfigurationError, ValueError) as e:  # ValueError: a date that does not exist, like 2026-02-30
        raise EnvironmentProblem(f"{config_path.name}: MkDocs cannot read the settings ({e}). Check the line it "
                                 "names.") from None
