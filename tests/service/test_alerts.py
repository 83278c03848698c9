"""Alert rules: parsing, what each rule type raises on a known story, raising each alert
once, and the API and webhook that deliver them."""

from __future__ import annotations

import pytest

from detente.service.alerts import (
    AlertRunner,
    RuleError,
    evaluate,
    list_alerts,
    load_rules,
    parse_rules,
    store_new,
)
from detente.store.db import connect
from tests.api.support import story
from tests.service.feed_server import SiteServer


def rules(*raw: dict):
    return parse_rules({"rules": list(raw)})


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ([], "a 'rules' list"),
        ({"rules": ["x"]}, "not a mapping"),
        ({"rules": [{"type": "weather"}]}, "type must be one of"),
        ({"rules": [{"type": "signal", "process": "p"}]}, "needs 'above' or 'below'"),
        ({"rules": [{"type": "stance_change", "actr": "RUS"}]}, "unknown keys ['actr']"),
    ],
)
def test_bad_rules_are_one_clear_error(data, says):
    with pytest.raises(RuleError, match=None) as err:
        parse_rules(data, "rules.yml")
    assert says in str(err.value) and "rules.yml" in str(err.value)


def test_rules_file(tmp_path):
    path = tmp_path / "rules.yml"
    path.write_text("rules:\n  - {name: ru, type: stance_change, actor: rus, issue: ceasefire}\n")
    (rule,) = load_rules(path)
    assert (rule.name, rule.actor, rule.issue) == ("ru", "RUS", "ceasefire")
    with pytest.raises(RuleError, match="cannot read"):
        load_rules(tmp_path / "none.yml")


def test_stance_change_rule_names_the_shift():
    found = evaluate(rules({"name": "ru", "type": "stance_change", "actor": "RUS",
                            "issue": "ceasefire", "process": "russia-ukraine"}),
                     story().db())  # fmt: skip
    assert [a.message for a in found] == ["RUS on ceasefire: conditional → favor"]
    assert found[0].doc_id == "wire-0610" and found[0].date == "2025-06-10"


def test_process_record_and_signal_rules():
    corpus = story().db()
    records = evaluate(rules({"type": "process_record", "kinds": ["exchange"]}), corpus)
    assert records and all(a.detail["kind"] == "exchange" for a in records)
    assert all(a.message.startswith("new exchange") for a in records)
    up = evaluate(rules({"type": "signal", "process": "russia-ukraine", "above": 0}), corpus)
    down = evaluate(rules({"type": "signal", "process": "russia-ukraine", "below": 0}), corpus)
    assert up and down
    assert all(a.detail["index"] >= 0 for a in up) and all(a.detail["index"] <= 0 for a in down)
    never = evaluate(rules({"type": "signal", "process": "russia-ukraine", "above": 101}), corpus)
    assert never == []


def test_alerts_are_raised_once_and_served(tmp_path):
    db = str(tmp_path / "a.db")
    conn = connect(db)
    story().store(conn)
    raised = evaluate(rules({"type": "process_record"}), conn)
    assert store_new(conn, raised) and store_new(conn, raised) == []
    assert {a.alert_id for a in list_alerts(conn)} == {a.alert_id for a in raised}
    from tests.api.conftest import make_client

    with make_client(db) as client:
        served = client.get("/api/v1/alerts", params={"process": "russia-ukraine"}).json()
        assert len(served["items"]) == len(raised)
        as_csv = client.get("/api/v1/alerts", params={"format": "csv"}).text
        assert as_csv.startswith("alert_id,rule,kind,process,message")


def test_runner_posts_new_alerts_and_reports_a_dead_webhook(tmp_path, caplog):
    conn = connect(str(tmp_path / "r.db"))
    story().store(conn)
    with SiteServer() as site:
        runner = AlertRunner(rules({"type": "stance_change"}), f"{site.base}/hook")
        new = runner(conn)
        assert new and site.hooks[0]["alerts"][0]["message"] == new[0].message
        assert runner(conn) == [] and len(site.hooks) == 1
    dead = AlertRunner(rules({"type": "process_record"}), "http://127.0.0.1:9/hook")
    assert dead(conn)
    assert "webhook http://127.0.0.1:9/hook" in caplog.text
