"""Fuzzing the gold loaders: whatever the file holds, the answer is records or a
``GoldError`` naming the problem — never another exception, never a silent empty score."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from detente.evaluation.gold import GoldError
from detente.evaluation.plover import load_gold
from detente.evaluation.realnews import load_realnews

pytestmark = pytest.mark.fuzz

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)
plover_like = st.lists(
    st.fixed_dictionaries(
        {},
        optional={
            "id": st.text(max_size=10),
            "event": st.sampled_from(["AGREE", "DEMAND", "FIGHT", "DOCUMENT", "", "??"]) | scalars,
            "text": st.text(max_size=60) | scalars,
            "source": json_values,
            "target": json_values,
            "mode": scalars,
        },
    ),
    max_size=5,
)
realnews_like = st.lists(
    st.fixed_dictionaries(
        {
            "kind": st.sampled_from(
                ["event", "no_event", "exchange", "talks", "ceasefire", "position", "x"]
            )
        },
        optional={
            "file": st.sampled_from(["a.txt", "missing.txt"]) | scalars,
            "sentence_contains": st.text(max_size=20) | scalars,
            "event_type": st.sampled_from(["AGREE", "HUG"]) | json_values,
            "actor": json_values,
            "recipient": json_values,
            "modality": st.sampled_from(["asserted", "maybe"]) | json_values,
            "numbers": json_values,
            "parties": json_values,
            "status": json_values,
            "stance": scalars,
            "issue_word": st.sampled_from(["talks", "(", "[a-"]) | scalars,
            "venue": scalars,
        },
    ),
    max_size=5,
)


def _load(loader, content: bytes):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "gold.json"
        (Path(folder) / "a.txt").write_text("Headline\n\nRussia and Ukraine held talks.")
        path.write_bytes(content)
        try:
            records = loader(path)
        except GoldError as exc:
            assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)
            return None
        assert records, "an empty result must be a GoldError, not a silent zero score"
        return records


@given(st.binary(max_size=200))
def test_random_bytes(content):
    _load(load_gold, content)
    _load(load_realnews, content)


@given(json_values)
def test_any_json_value(value):
    content = json.dumps(value).encode()
    _load(load_gold, content)
    _load(load_realnews, content)


@given(plover_like)
def test_plover_shaped_records(rows):
    _load(load_gold, json.dumps(rows).encode())


@given(realnews_like)
def test_realnews_shaped_items(rows):
    _load(load_realnews, json.dumps(rows).encode())
