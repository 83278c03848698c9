"""Editable data files (lexicons, taxonomies, ontology) and the one way to read them.

YAML 1.1 reads ``on``, ``off``, ``yes`` and ``no`` as booleans, which silently breaks
lexicons full of particles ("call on", "crack down on"). ``load_yaml`` keeps only
``true``/``false`` as booleans, as YAML 1.2 does.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import yaml


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The (C, when available) safe loader with YAML 1.2 booleans."""


_Loader.yaml_implicit_resolvers = {
    key: [r for r in resolvers if r[0] != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_yaml(text: str):
    return yaml.load(text, Loader=_Loader)


def packaged(name: str):
    """Parse a YAML file shipped in ``detente/data`` (``name`` may contain a subfolder)."""
    return load_yaml(resources.files("detente.data").joinpath(name).read_text(encoding="utf-8"))


def from_path(path: str | Path):
    return load_yaml(Path(path).read_text(encoding="utf-8"))
