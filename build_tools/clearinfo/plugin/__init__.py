"""The engine's edge: the only package that imports MkDocs (see DESIGN.md: keep MkDocs at the edge).

- adapter.py      the MkDocs plugin: each event hands plain values to the build pipeline (pipeline/);
- engine.py       runs MkDocs (or ProperDocs) for the command line, with plain messages;
- choice.py       which engine: CLEARINFO_ENGINE=mkdocs (the default) or properdocs;
- settings_file.py  mkdocs.yml read with MkDocs' own loader (INHERIT, !ENV).

The plugin class is loaded only when the engine asks for it (`clearinfo.plugin:ClearinfoPlugin`,
pyproject.toml), so reading the settings or choosing the engine does not load the engine.
"""


def __getattr__(name: str):
    if name in ("ClearinfoPlugin", "ClearinfoConfig"):
        from . import adapter
        return getattr(adapter, name)
    raise AttributeError(name)
