"""Alert rules (YAML) and the alerts they raise.

A rule names what an analyst wants to hear about::

    rules:
      - name: russia-ceasefire-stance
        type: stance_change        # a party's stance on an issue changed
        process: russia-ukraine    # optional filters: process, actor, issue
        issue: ceasefire
      - name: new-exchange
        type: process_record       # a new exchange/talks/ceasefire, or a new ceasefire status
        kinds: [exchange, ceasefire]
      - name: signal-warming
        type: signal               # the weekly signal index crosses a threshold
        process: russia-ukraine
        above: 20                  # or below: -20

Each alert's id is a hash of the rule and the fact behind it, so evaluating the rules again
after every batch raises each alert once; only newly stored alerts go to the webhook.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import yaml

from detente.analysis.evidence import process_label
from detente.analysis.shifts import stance_moves
from detente.analysis.signal import signal_index
from detente.store.db import transaction
from detente.store.queries import Filters, list_process_records

log = logging.getLogger("detente.alerts")

RULE_TYPES = ("stance_change", "process_record", "signal")


class RuleError(ValueError):
    """The rules file cannot be used as written."""


@dataclass(frozen=True)
class Rule:
    name: str
    type: str
    process: str | None = None
    actor: str | None = None
    issue: str | None = None
    kinds: tuple[str, ...] = ()
    above: float | None = None
    below: float | None = None


@dataclass
class Alert:
    alert_id: str
    rule: str
    kind: str
    process: str | None
    message: str
    record_id: str | None = None
    doc_id: str | None = None
    date: str | None = None
    created: str = ""
    detail: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "alert_id": self.alert_id, "rule": self.rule, "kind": self.kind,
            "process": self.process, "message": self.message, "record_id": self.record_id,
            "doc_id": self.doc_id, "date": self.date, "created": self.created,
            "detail": self.detail,
        }  # fmt: skip


def parse_rules(data: object, where: str = "rules") -> list[Rule]:
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RuleError(f"{where}: expected a mapping with a 'rules' list")
    rules = []
    for number, raw in enumerate(data["rules"], start=1):
        if not isinstance(raw, dict):
            raise RuleError(f"{where}: rule {number} is not a mapping")
        kind = raw.get("type")
        if kind not in RULE_TYPES:
            raise RuleError(f"{where}: rule {number} type must be one of {RULE_TYPES}")
        unknown = set(raw) - {"name", "type", "process", "actor", "issue", "kinds", "above",
                              "below"}  # fmt: skip
        if unknown:
            raise RuleError(f"{where}: rule {number} has unknown keys {sorted(unknown)}")
        if kind == "signal" and raw.get("above") is None and raw.get("below") is None:
            raise RuleError(f"{where}: signal rule {number} needs 'above' or 'below'")
        rules.append(
            Rule(
                name=str(raw.get("name") or f"rule-{number}"),
                type=kind,
                process=raw.get("process"),
                actor=str(raw["actor"]).upper() if raw.get("actor") else None,
                issue=raw.get("issue"),
                kinds=tuple(raw.get("kinds") or ()),
                above=None if raw.get("above") is None else float(raw["above"]),
                below=None if raw.get("below") is None else float(raw["below"]),
            )
        )
    return rules


def load_rules(path: str | Path) -> list[Rule]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RuleError(f"cannot read alert rules {path}: {exc}") from exc
    return parse_rules(data, str(path))


def _alert(rule: Rule, fact: str, **fields) -> Alert:
    digest = hashlib.sha256(f"{rule.name}\0{fact}".encode()).hexdigest()[:20]
    return Alert(alert_id="a-" + digest, rule=rule.name, kind=rule.type, **fields)


def _stance_alerts(rule: Rule, conn, selection: Filters) -> list[Alert]:
    out = []
    for m in stance_moves(conn, selection):
        if (rule.actor and m.actor != rule.actor) or (rule.issue and m.issue != rule.issue):
            continue
        message = f"{m.actor} on {m.issue}: {m.from_stance} → {m.to_stance}"
        out.append(_alert(rule, m.record_id, process=rule.process, message=message,
                          record_id=m.record_id, doc_id=m.evidence.doc_id, date=m.date,
                          detail=m.as_dict()))  # fmt: skip
    return out


def _record_alerts(rule: Rule, conn, selection: Filters) -> list[Alert]:
    out = []
    for r in list_process_records(conn, selection):
        if rule.kinds and r.kind not in rule.kinds:
            continue
        doc_id = r.doc_ids[0] if r.doc_ids else None
        out.append(_alert(rule, f"{r.id}\0{r.status}", process=r.process or rule.process,
                          message=f"new {process_label(r)}", record_id=r.id, doc_id=doc_id,
                          date=r.date, detail={"status": r.status, "kind": r.kind}))  # fmt: skip
    return out


def _signal_alerts(rule: Rule, conn, selection: Filters) -> list[Alert]:
    out = []
    points = sorted((p for p in signal_index(conn, selection) if p.process == rule.process),
                    key=lambda p: p.week)  # fmt: skip
    previous = None
    for p in points:
        crossed = []
        if (
            rule.above is not None
            and p.index >= rule.above
            and (previous is None or previous < rule.above)
        ):
            crossed.append(f"rose to {p.index:.0f} (≥ {rule.above:g})")
        if (
            rule.below is not None
            and p.index <= rule.below
            and (previous is None or previous > rule.below)
        ):
            crossed.append(f"fell to {p.index:.0f} (≤ {rule.below:g})")
        for what in crossed:
            out.append(_alert(rule, f"{p.week}\0{what}", process=rule.process,
                              message=f"signal index {what} in week {p.week}",
                              date=p.week_start, detail={"week": p.week, "index": p.index,
                                                         "record_ids": p.record_ids}))  # fmt: skip
        previous = p.index
    return out


EVALUATORS = {
    "stance_change": _stance_alerts,
    "process_record": _record_alerts,
    "signal": _signal_alerts,
}


def evaluate(rules: list[Rule], conn) -> list[Alert]:
    """Every alert the rules raise on the store (stored as alerts before or not)."""
    out = []
    for rule in rules:
        selection = Filters(process=rule.process, actor=rule.actor, issue=rule.issue)
        out.extend(EVALUATORS[rule.type](rule, conn, selection))
    return out


def store_new(conn, alerts: list[Alert]) -> list[Alert]:
    """Store the alerts not stored before; returns those."""
    created = datetime.now(UTC).isoformat(timespec="seconds")
    new = []
    with transaction(conn):
        for a in alerts:
            a.created = created
            cursor = conn.execute(
                "INSERT OR IGNORE INTO alerts (alert_id, rule, kind, process, message, record_id,"
                " doc_id, date, created, detail) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (a.alert_id, a.rule, a.kind, a.process, a.message, a.record_id, a.doc_id,
                 a.date, a.created, json.dumps(a.detail, default=str)),
            )  # fmt: skip
            if cursor.rowcount:
                new.append(a)
    return new


def list_alerts(conn, *, process: str | None = None, limit: int = 100) -> list[Alert]:
    sql = (
        "SELECT alert_id, rule, kind, process, message, record_id, doc_id, date, created, detail"
        " FROM alerts"
    )
    args: list = []
    if process:
        sql += " WHERE process = ?"
        args.append(process)
    sql += " ORDER BY created DESC, date DESC, alert_id LIMIT ?"
    rows = conn.execute(sql, [*args, limit]).fetchall()
    return [
        Alert(**{k: r[k] for k in r.keys() if k != "detail"},  # noqa: SIM118 (Row)
              detail=json.loads(r["detail"] or "{}"))
        for r in rows
    ]  # fmt: skip


def post_webhook(url: str, alerts: list[Alert], timeout: float = 10.0) -> str | None:
    """POST the new alerts as JSON; returns a problem line instead of raising."""
    import httpx

    if not alerts:
        return None
    try:
        response = httpx.post(url, json={"alerts": [a.as_dict() for a in alerts]},
                              timeout=timeout)  # fmt: skip
        response.raise_for_status()
    except httpx.HTTPError as exc:
        return f"webhook {url}: {exc}"
    return None


class AlertRunner:
    """Evaluates the rules after a batch and stores (and posts) what is new."""

    def __init__(self, rules: list[Rule], webhook: str | None = None):
        self.rules = rules
        self.webhook = webhook

    def __call__(self, conn, _result=None) -> list[Alert]:
        if not self.rules:
            return []
        new = store_new(conn, evaluate(self.rules, conn))
        if self.webhook:
            problem = post_webhook(self.webhook, new)
            if problem:
                log.warning(problem)
        return new
