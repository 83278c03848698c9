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

A rule alerts on what changes after it was first evaluated, not on the whole past: the first
evaluation records the rule's baseline (the facts already true then) in the store and says
so, and only facts outside it become alerts. ``backfill: true`` alerts on the past as well;
``since: 2025-06-01`` alerts on past facts dated from that day on. Editing a rule gives it a
new baseline (the edited rule is a new rule).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import yaml

from detente.analysis.evidence import process_label
from detente.analysis.shifts import stance_moves
from detente.analysis.signal import signal_index
from detente.service.webhook import deliver as deliver_due
from detente.service.webhook import queue as queue_delivery
from detente.store.db import transaction
from detente.store.queries import Filters, list_process_records

log = logging.getLogger("detente.alerts")

RULE_TYPES = ("stance_change", "process_record", "signal")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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
    since: str | None = None
    backfill: bool = False

    @property
    def key(self) -> str:
        """The rule's identity in the store: a hash of its whole definition."""
        text = json.dumps(asdict(self), sort_keys=True, default=str)
        return "r-" + hashlib.sha256(text.encode()).hexdigest()[:20]


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
                              "below", "since", "backfill"}  # fmt: skip
        if unknown:
            raise RuleError(f"{where}: rule {number} has unknown keys {sorted(unknown)}")
        if kind == "signal" and raw.get("above") is None and raw.get("below") is None:
            raise RuleError(f"{where}: signal rule {number} needs 'above' or 'below'")
        since = raw.get("since")
        if since is not None and not _ISO_DAY.match(str(since)):
            raise RuleError(f"{where}: rule {number} 'since' must be a date like 2025-06-01")
        if raw.get("backfill") not in (None, True, False):
            raise RuleError(f"{where}: rule {number} 'backfill' must be true or false")
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
                since=None if since is None else str(since),
                backfill=bool(raw.get("backfill")),
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


def evaluate_rule(rule: Rule, conn) -> list[Alert]:
    """Every fact the rule alerts on in the store (baseline and stored alerts included)."""
    selection = Filters(process=rule.process, actor=rule.actor, issue=rule.issue)
    return EVALUATORS[rule.type](rule, conn, selection)


def evaluate(rules: list[Rule], conn) -> list[Alert]:
    """Every fact the rules alert on in the store (stored as alerts before or not)."""
    return [a for rule in rules for a in evaluate_rule(rule, conn)]


@dataclass(frozen=True)
class Baseline:
    rule: str
    set_at: str
    facts: int
    new: bool
    """True when this evaluation set it."""

    def line(self, rule: Rule) -> str:
        if not self.new:
            return f"rule {rule.name}: baseline of {self.set_at} ({self.facts} facts not alerted)"
        if rule.backfill:
            return f"rule {rule.name}: backfill — every fact in the store alerts, past ones too"
        dated = f" dated before {rule.since}" if rule.since else ""
        return (f"rule {rule.name}: baseline set at {self.set_at} — {self.facts} facts{dated}"
                f" already in the store will not alert; later changes will")  # fmt: skip


def baseline(conn, rule: Rule) -> Baseline:
    """The rule's baseline, set now from the store's current facts on its first evaluation.

    With ``backfill`` the baseline is empty; with ``since`` it holds the facts dated before
    that day (and undated ones)."""
    row = conn.execute(
        "SELECT baseline_at, baseline_facts FROM alert_rules WHERE rule_key = ?", (rule.key,)
    ).fetchone()
    if row:
        return Baseline(rule.name, row["baseline_at"], row["baseline_facts"], new=False)
    # Evaluated before the write transaction: an analysis may itself write (a rollup rebuild).
    facts = [] if rule.backfill else evaluate_rule(rule, conn)
    if rule.since:
        facts = [a for a in facts if not a.date or a.date[:10] < rule.since]
    ids = sorted({a.alert_id for a in facts})
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with transaction(conn):
        row = conn.execute(
            "SELECT baseline_at, baseline_facts FROM alert_rules WHERE rule_key = ?", (rule.key,)
        ).fetchone()
        if row:  # another process set it meanwhile
            return Baseline(rule.name, row["baseline_at"], row["baseline_facts"], new=False)
        conn.execute(
            "INSERT INTO alert_rules (rule_key, name, definition, baseline_at, baseline_facts)"
            " VALUES (?,?,?,?,?)",
            (rule.key, rule.name, json.dumps(asdict(rule), default=str), now, len(ids)),
        )
        conn.executemany(
            "INSERT OR IGNORE INTO alert_baseline (rule_key, alert_id) VALUES (?,?)",
            [(rule.key, i) for i in ids],
        )
    return Baseline(rule.name, now, len(ids), new=True)


def _baseline_ids(conn, rule: Rule) -> set[str]:
    rows = conn.execute("SELECT alert_id FROM alert_baseline WHERE rule_key = ?", (rule.key,))
    return {r[0] for r in rows}


def raised(conn, rules: list[Rule]) -> list[Alert]:
    """The facts the rules alert on that are not in their baselines (set first if need be)."""
    out = []
    for rule in rules:
        baseline(conn, rule)
        known = _baseline_ids(conn, rule)
        out.extend(a for a in evaluate_rule(rule, conn) if a.alert_id not in known)
    return out


def store_new(conn, alerts: list[Alert], webhook: str | None = None) -> list[Alert]:
    """Store the alerts not stored before, queued for ``webhook`` if given; returns those."""
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
        if webhook and new:
            queue_delivery(conn, webhook, [a.alert_id for a in new])
    return new


_COLUMNS = "alert_id, rule, kind, process, message, record_id, doc_id, date, created, detail"


def _from_row(row) -> Alert:
    return Alert(**{k: row[k] for k in row.keys() if k != "detail"},  # noqa: SIM118 (Row)
                 detail=json.loads(row["detail"] or "{}"))  # fmt: skip


def list_alerts(conn, *, process: str | None = None, limit: int = 100) -> list[Alert]:
    sql = f"SELECT {_COLUMNS} FROM alerts"
    args: list = []
    if process:
        sql += " WHERE process = ?"
        args.append(process)
    sql += " ORDER BY created DESC, date DESC, alert_id LIMIT ?"
    return [_from_row(r) for r in conn.execute(sql, [*args, limit]).fetchall()]


def alerts_json(conn, alert_ids: list[str]) -> list[dict]:
    """The stored alerts with these ids, as JSON objects, oldest first."""
    marks = ",".join("?" * len(alert_ids))
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM alerts WHERE alert_id IN ({marks}) ORDER BY created, alert_id",
        alert_ids,
    ).fetchall()
    return [_from_row(r).as_dict() for r in rows]


class AlertRunner:
    """Evaluates the rules after a batch, stores what is new and queues it for the webhook.

    Call :meth:`prepare` when the service starts, so each new rule's baseline is the store
    as it was then and the first batch's changes do alert; call :meth:`deliver` now and then
    (the watcher does every poll, the job worker every tick) so alerts a webhook refused are
    tried again. Lines go to ``say`` (the log when none is given)."""

    def __init__(
        self,
        rules: list[Rule],
        webhook: str | None = None,
        say: Callable[[str], None] | None = None,
    ):
        self.rules = rules
        self.webhook = webhook
        self.say = say or log.info
        self.warn = say or log.warning

    def prepare(self, conn) -> list[Baseline]:
        """Set (or read) every rule's baseline, saying one line per rule."""
        out = []
        for rule in self.rules:
            found = baseline(conn, rule)
            self.say(found.line(rule))
            out.append(found)
        return out

    def __call__(self, conn, _result=None) -> list[Alert]:
        if not self.rules:
            return []
        for rule in self.rules:
            found = baseline(conn, rule)
            if found.new:
                self.say(found.line(rule))
        new = store_new(conn, raised(conn, self.rules), webhook=self.webhook)
        self.deliver(conn)
        return new

    def deliver(self, conn) -> int:
        """POST the queued alerts that are due; returns how many went out."""
        if not self.webhook:
            return 0
        return deliver_due(conn, self.webhook, alerts_json, self.warn)
