"""Alert rules: parsing, what each rule type raises on a known story, raising each alert
once, and the API and webhook that deliver them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from detente.service.alerts import (
    AlertRunner,
    Retention,
    RuleError,
    alerts_json,
    evaluate_rule,
    list_alerts,
    load_rules,
    parse_rules,
    store_new,
)
from detente.service.webhook import backoff, deliver
from detente.store.db import connect
from tests.analysis.records_factory import Scenario
from tests.api.support import BACKENDS, store_url, story
from tests.service.feed_server import SiteServer


def rules(*raw: dict):
    return parse_rules({"rules": list(raw)})


def evaluate(ruleset, conn):
    """Every fact the rules alert on in the store, baselines and stored alerts included."""
    return [a for rule in ruleset for a in evaluate_rule(rule, conn)]


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ([], "a 'rules' list"),
        ({"rules": ["x"]}, "not a mapping"),
        ({"rules": [{"type": "weather"}]}, "type must be one of"),
        ({"rules": [{"type": "signal", "process": "p"}]}, "needs 'above' or 'below'"),
        ({"rules": [{"type": "stance_change", "actr": "RUS"}]}, "unknown keys ['actr']"),
        ({"rules": [{"type": "stance_change", "since": "June"}]}, "a date like 2025-06-01"),
        ({"rules": [{"type": "stance_change", "backfill": "yes"}]}, "true or false"),
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
        runner = AlertRunner(rules({"type": "stance_change", "backfill": True}),
                             f"{site.base}/hook")  # fmt: skip
        new = runner(conn)
        assert new and site.hooks[0]["alerts"][0]["message"] == new[0].message
        assert runner(conn) == [] and len(site.hooks) == 1
    dead = AlertRunner(rules({"type": "process_record", "backfill": True}),
                       "http://127.0.0.1:9/hook")  # fmt: skip
    assert dead(conn)
    assert "webhook http://127.0.0.1:9/hook" in caplog.text and "next try in 1 min" in caplog.text


@pytest.mark.parametrize("backend", BACKENDS)
def test_refused_alerts_are_kept_and_retried_with_backoff(backend, tmp_path):
    conn = connect(store_url(backend, tmp_path))
    story().store(conn)
    lines: list[str] = []
    with SiteServer() as site:
        site.hook_failures = 2
        runner = AlertRunner(rules({"type": "process_record", "backfill": True}),
                             f"{site.base}/hook", say=lines.append)  # fmt: skip
        new = runner(conn)
        assert new and site.hooks == [] and "503" in lines[-1] and "next try in 1 min" in lines[-1]
        assert runner.deliver(conn) == 0 and site.hook_failures == 1  # not due yet: no POST
        soon = datetime.now(UTC) + timedelta(minutes=1, seconds=1)
        assert deliver(conn, runner.webhook, alerts_json, lines.append, now=soon) == 0
        assert "next try in 2 min (try 2)" in lines[-1]
        later = soon + timedelta(minutes=2, seconds=1)
        assert deliver(conn, runner.webhook, alerts_json, lines.append, now=later) == len(new)
        assert {a["alert_id"] for a in site.hooks[0]["alerts"]} == {a.alert_id for a in new}
    assert conn.execute("SELECT COUNT(*) FROM alert_deliveries").fetchone()[0] == 0
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 8)] == [60, 120, 240, 3600]
def _part(whole: Scenario, keep) -> Scenario:
    """The documents (and their records) of ``whole`` for which ``keep(doc_id)`` holds."""
    return Scenario(
        docs=[d for d in whole.docs if keep(d.doc_id)],
        events=[e for e in whole.events if keep(e.doc_id)],
        positions=[p for p in whole.positions if keep(p.doc_id)],
        process_records=[r for r in whole.process_records if keep(r.doc_ids[0])],
    )


LATE = "wire-0610"
"""The story's last article: Russia moves on the ceasefire (a stance change)."""


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_new_rule_on_an_old_store_alerts_only_on_what_changes_after_it(backend, tmp_path):
    conn = connect(store_url(backend, tmp_path))
    whole = story()
    _part(whole, lambda doc: doc != LATE).store(conn)
    lines: list[str] = []
    ruleset = rules({"name": "moves", "type": "stance_change"},
                    {"name": "records", "type": "process_record"},
                    {"name": "cooling", "type": "signal", "process": "russia-ukraine",
                     "below": 0})  # fmt: skip
    runner = AlertRunner(ruleset, say=lines.append)
    baselines = runner.prepare(conn)
    past = evaluate(ruleset, conn)
    assert past and sum(b.facts for b in baselines) == len({a.alert_id for a in past})
    assert lines[1].startswith("rule records: baseline set at")
    assert f"{baselines[1].facts} facts already in the store will not alert" in lines[1]
    assert runner(conn) == [] and list_alerts(conn) == []

    _part(whole, lambda doc: doc == LATE).store(conn)
    new = runner(conn)
    assert [a.message for a in new] == ["RUS on ceasefire: conditional → favor"]

    # A restart reads the stored baseline; it does not set a new one.
    again = AlertRunner(ruleset, say=lines.append)
    assert [b.new for b in again.prepare(conn)] == [False, False, False]
    assert lines[-2].startswith("rule records: baseline of ")
    assert again(conn) == []
    # An edited rule is a new rule: it gets its own baseline, so still no flood of alerts.
    edited = AlertRunner(rules({"name": "moves", "type": "stance_change", "actor": "RUS"}))
    assert edited(conn) == []


def test_backfill_and_since_alert_on_the_past_on_purpose(tmp_path):
    conn = connect(str(tmp_path / "s.db"))
    story().store(conn)
    everything = evaluate(rules({"type": "process_record"}), conn)
    lines: list[str] = []
    backfill = AlertRunner(rules({"type": "process_record", "backfill": True}), say=lines.append)
    assert len(backfill(conn)) == len(everything)
    assert "backfill" in lines[0]
    days = sorted({a.date[:10] for a in everything if a.date})
    since = days[len(days) // 2]
    assert days[0] < since
    later = AlertRunner(rules({"name": "later", "type": "process_record", "since": since}),
                        say=lines.append)  # fmt: skip
    new = later(conn)
    assert new and all(a.date[:10] >= since for a in new)
    assert len(new) == sum(1 for a in everything if a.date and a.date[:10] >= since)
    assert f"dated before {since}" in lines[1]


def test_retention_is_read_from_the_rules_file():
    assert rules({"type": "signal", "process": "p", "above": 1}).retention == Retention()
    ruleset = parse_rules({"retention": {"days": 30, "alerts": 500}, "rules": []})
    assert ruleset.retention == Retention(days=30, alerts=500)
    for bad in ({"days": 0}, {"days": "a week"}, {"weeks": 2}, [30]):
        with pytest.raises(RuleError, match="retention"):
            parse_rules({"retention": bad, "rules": []}, "rules.yml")
    with pytest.raises(RuleError, match=r"unknown keys \['rule'\]"):
        parse_rules({"rules": [], "rule": []}, "rules.yml")


def test_each_rule_s_baseline_is_read_once_per_evaluation(tmp_path):
    conn = connect(str(tmp_path / "once.db"))
    story().store(conn)
    ruleset = rules({"name": "moves", "type": "stance_change"},
                    {"name": "records", "type": "process_record"})  # fmt: skip
    runner = AlertRunner(ruleset)
    runner.prepare(conn)
    reads: list[str] = []
    conn.set_trace_callback(reads.append)
    runner(conn)
    conn.set_trace_callback(None)
    lookups = [sql for sql in reads if sql.startswith("SELECT") and "alert_baseline" in sql]
    assert len(lookups) == len(ruleset)


@pytest.mark.parametrize("backend", BACKENDS)
def test_baselines_of_rules_no_service_runs_are_pruned(backend, tmp_path):
    conn = connect(store_url(backend, tmp_path))
    story().store(conn)
    old = rules({"name": "moves", "type": "stance_change"})
    AlertRunner(old).prepare(conn)
    edited = rules({"name": "moves", "type": "stance_change", "actor": "RUS"})
    other = rules({"name": "records", "type": "process_record"})  # another service's rules
    start = datetime.now(UTC)
    elsewhere = AlertRunner(other)
    elsewhere.prepare(conn)
    elsewhere.housekeeping(conn, start + timedelta(days=6))

    def keys() -> set[str]:
        return {r[0] for r in conn.execute("SELECT rule_key FROM alert_rules")}

    runner = AlertRunner(edited)
    runner.prepare(conn)
    assert keys() == {old.rules[0].key, edited.rules[0].key, other.rules[0].key}
    # A week later the old version of the rule, run by no service, is pruned with its
    # baseline; the other service marked its rule used a day ago, so that one stays.
    runner.housekeeping(conn, start + timedelta(days=7, minutes=1))
    assert keys() == {edited.rules[0].key, other.rules[0].key}
    assert conn.execute(
        "SELECT COUNT(*) FROM alert_baseline WHERE rule_key = ?", (old.rules[0].key,)
    ).fetchone()[0] == 0
    runner.housekeeping(conn, start + timedelta(days=13, hours=23))
    assert keys() == {edited.rules[0].key}


@pytest.mark.parametrize("backend", BACKENDS)
def test_alert_history_is_trimmed_but_never_raised_again_nor_lost_before_delivery(
    backend, tmp_path
):
    conn = connect(store_url(backend, tmp_path))
    story().store(conn)
    ruleset = parse_rules({"retention": {"days": 30, "alerts": 3},
                           "rules": [{"type": "process_record", "backfill": True}]})  # fmt: skip
    runner = AlertRunner(ruleset, "http://127.0.0.1:9/hook", say=lambda line: None)
    raised = runner(conn)
    assert len(raised) > 3
    stored = {a.alert_id for a in list_alerts(conn, limit=1000)}
    assert stored == {a.alert_id for a in raised}  # all still queued for the dead webhook
    # Delivered (or given up): the history keeps the 3 newest (of the same second: by id).
    conn.execute("DELETE FROM alert_deliveries")
    runner.housekeeping(conn, datetime.now(UTC))
    kept = {a.alert_id for a in list_alerts(conn, limit=1000)}
    assert kept == set(sorted(stored)[-3:])
    # A month on, one alert is still waiting for the webhook: it alone stays.
    waiting = sorted(kept)[0]
    conn.execute(
        "INSERT INTO alert_deliveries (alert_id, url, tries, next_try) VALUES (?, ?, 3, ?)",
        (waiting, runner.webhook, "2999-01-01"),
    )
    runner.housekeeping(conn, datetime.now(UTC) + timedelta(days=31))
    assert [a.alert_id for a in list_alerts(conn)] == [waiting]
    # The trimmed alerts are facts the store still holds: evaluating again raises none.
    assert runner(conn) == []
