import json

import pandas as pd
import pytest

from detente.analysis.export import export_tables
from detente.analysis.frames import gdelt_rows, records_frame, to_frame
from detente.analysis.timeline import key_timeline
from detente.store import queries
from detente.store.db import connect
from tests.analysis.peace_talks import peace_talks


def test_gdelt_rows_one_per_pair_with_mentions():
    rows = list(gdelt_rows(peace_talks().db()))
    agree = [r for r in rows if r["event_type"] == "AGREE" and r["date"] == "20250516"]
    assert {(r["actor1_code"], r["actor2_code"]) for r in agree} == {
        ("RUS", "UKR"), ("RUS", "RUS"), ("UKR", "UKR"), ("UKR", "RUS"),
    }  # fmt: skip
    assert {r["num_mentions"] for r in agree} == {2}
    assault = next(r for r in rows if r["event_type"] == "ASSAULT")
    assert assault["quad_class"] == 4 and assault["score"] == -9.5
    assert assault["source_url"].startswith("https://") and assault["sentence"]


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export_round_trips(tmp_path, fmt):
    paths = export_tables(peace_talks().db(), tmp_path, fmt)
    assert [p.name for p in paths] == [f"{t}.{fmt}" for t in ("events", "positions", "process",
                                                             "gdelt")]  # fmt: skip
    if fmt == "jsonl":
        events = [json.loads(line) for line in paths[0].read_text().splitlines()]
        assert len(events) == 17 and events[0]["evidence"]["sentence"]
    else:
        read = pd.read_csv if fmt == "csv" else pd.read_parquet
        frame = read(paths[3])
        assert len(frame) == len(list(gdelt_rows(peace_talks().db())))
        assert {"actor1_code", "quad_class", "num_mentions"} <= set(frame.columns)


def test_export_of_empty_corpus_and_bad_arguments(tmp_path):
    paths = export_tables(connect(":memory:"), tmp_path, "csv", ("events",))
    assert paths[0].exists()
    with pytest.raises(ValueError):
        export_tables(connect(":memory:"), tmp_path, "xlsx")
    with pytest.raises(ValueError):
        export_tables(connect(":memory:"), tmp_path, "csv", ("everything",))


def test_frames_flatten_nested_fields():
    corpus = peace_talks().db()
    events = records_frame(queries.iter_records(corpus, "events"))
    assert "evidence_sentence" in events.columns
    assert json.loads(events.loc[0, "actor"])[0]["code"] == "RUS"
    timeline = to_frame(key_timeline(corpus))
    assert len(timeline) == len(key_timeline(corpus))
