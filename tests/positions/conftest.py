"""Helpers for positions tests: run the extractor on sentences the tests write themselves."""

from __future__ import annotations

import pytest

from detente.ingest.models import Document
from detente.positions import collaborators


@pytest.fixture(autouse=True)
def usable_actor_dictionary(monkeypatch):
    """Use the coding stage's actor dictionary; while it cannot load, the process aliases."""
    try:
        collaborators.actor_dictionary()
    except Exception:
        monkeypatch.setattr(collaborators, "actor_dictionary", lambda: None)


@pytest.fixture
def code(nlp):
    from detente.positions.extractor import code_positions

    def run(
        text: str, published: str = "2025-03-01", process: str | None = "russia-ukraine", events=()
    ):
        document = Document(doc_id="doc1", clean_text=text, published=published)
        return code_positions(document, nlp(text), list(events), process=process)

    return run


def find(positions, actor: str, issue: str):
    """The position of ``actor`` on ``issue``, failing with what was found instead."""
    for position in positions:
        if position.actor.code == actor and position.issue == issue:
            return position
    found = [(p.actor.code, p.issue, p.speech_act) for p in positions]
    raise AssertionError(f"no {actor}/{issue} position; found {found}")
