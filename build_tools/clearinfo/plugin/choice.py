"""Which engine renders the pages: MkDocs (the default) or ProperDocs, a maintained fork of MkDocs 1.x
that runs MkDocs plugins unchanged. Set CLEARINFO_ENGINE=properdocs to use it."""
from __future__ import annotations

import importlib.util
import os
import sys

ENGINE_ENV = "CLEARINFO_ENGINE"  # which engine renders the pages: "mkdocs" (the default) or "properdocs"


def chosen_engine() -> str:
    return os.environ.get(ENGINE_ENV, "").strip().lower() or "mkdocs"


def use_chosen_engine() -> None:
    """ProperDocs runs MkDocs plugins unchanged by answering every `import mkdocs...` with its own
    modules. That must be switched on before the plugin or the theme is loaded, so build.py calls it
    when it is first imported: the command line imports build.py before the engine, for build and
    serve alike. Reading the settings (project.py) may have loaded a few MkDocs modules already;
    they are let go, so the next import gets ProperDocs' own. plugin/engine.py says plainly when
    the engine asked for is not the one that was loaded."""
    if chosen_engine() != "properdocs" or importlib.util.find_spec("properdocs") is None:
        return
    loaded = sys.modules.get("mkdocs")
    if loaded is not None and (loaded.__name__ == "properdocs" or "clearinfo.plugin.adapter" in sys.modules
                               or "material" in sys.modules):
        return  # switched already, or too late to switch
    for name in [n for n in sys.modules if n == "mkdocs" or n.startswith("mkdocs.")]:
        del sys.modules[name]
    import properdocs.replacement  # noqa: F401

