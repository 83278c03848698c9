"""Shared fixtures: the spaCy pipeline is loaded once per test session.

Hypothesis profiles for the ``fuzz`` tests: ``ci`` (the default) is derandomised, so
every run tries the same examples and the suite stays within its time budget;
``HYPOTHESIS_PROFILE=long`` explores far more, with fresh random examples, for
manual runs.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

try:
    from hypothesis import HealthCheck, settings
except ImportError:  # hypothesis comes with the dev extra; only fuzz tests need it
    settings = None
if settings is not None:
    settings.register_profile(
        "ci",
        derandomize=True,
        database=None,
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        print_blob=True,
    )
    settings.register_profile(
        "long", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

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
