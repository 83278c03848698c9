"""Shared fixtures: the spaCy pipeline is loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    from detente.nlp.model import load_model

    return load_model()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The reference material beside the checkout; tests using it skip when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared reference data is not available")
    return SHARED
