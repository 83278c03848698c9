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

A service runs for months, so what it keeps is bounded (:meth:`AlertRunner.tick`, hourly):
the stored alerts are trimmed to the file's ``retention`` (days and count; an alert still
waiting for the webhook is kept), a trimmed alert joining its rule's baseline so that it is
not raised again; and the baselines of rules no service has run for :data:`RULE_IDLE`
(removed from the file, or edited, which makes them other rules) are dropped. Not at once:
another service on the same store (``serve`` beside ``watch``) may run other rules, and
each running service marks its own rules as used every hour.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

from detente.analysis.evidence import process_label
from detente.analysis.shifts import stance_moves
from detente.analysis.signal import signal_index
from detente.service.webhook import deliver as deliver_due
from detente.service.webhook import queue as queue_delivery
from detente.service.webhook import stamp
from detente.store.db import transaction
from detente.store.queries import Filters, list_process_records

log = logging.getLogger("detente.alerts")

RULE_TYPES = ("stance_change", "process_record", "signal")
HOUSEKEEPING_EVERY = timedelta(hours=1)
"""How often a running service marks its rules used, prunes baselines and trims alerts."""
RULE_IDLE = timedelta(days=7)
"""A rule no service has marked used for this long loses its baseline."""
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


@dataclass(frozen=True)
class Retention:
    """How much alert history is kept: alerts newer than ``days``, ``alerts`` at most."""

    days: int = 90
    alerts: int = 10_000


@dataclass(frozen=True)
class RuleSet:
    """A rules file: its rules and its alerts' retention."""

    rules: tuple[Rule, ...] = ()
    retention: Retention = Retention()

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)


def _retention(raw: object, where: str) -> Retention:
    if raw is None:
        return Retention()
    if not isinstance(raw, dict) or set(raw) - {"days", "alerts"}:
        raise RuleError(f"{where}: 'retention' takes 'days' and 'alerts'")
    values = {k: v for k, v in raw.items() if v is not None}
    if any(isinstance(v, bool) or not isinstance(v, int) or v < 1 for v in values.values()):
        raise RuleError(f"{where}: retention 'days' and 'alerts' must be whole numbers ≥ 1")
    return Retention(**values)


def parse_rules(data: object, where: str = "rules") -> RuleSet:
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RuleError(f"{where}: expected a mapping with a 'rules' list")
    unknown = set(data) - {"rules", "retention"}
    if unknown:
        raise RuleError(f"{where}: unknown keys {sorted(unknown)} (use 'rules', 'retention')")
    retention = _retention(data.get("retention"), where)
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
    return RuleSet(tuple(rules), retention)


def load_rules(path: str | Path) -> RuleSet:
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


@dataclass(frozen=True)
class Baseline:
    rule: str
    set_at: str
    facts: int
    new: bool
    """True when this evaluation set it."""
    ids: frozenset[str] = frozenset()
    """The alert ids of its facts (and of the rule's alerts trimmed since)."""

    def line(self, rule: Rule) -> str:
        if not self.new:
            return f"rule {rule.name}: baseline of {self.set_at} ({self.facts} facts not alerted)"
        if rule.backfill:
            return f"rule {rule.name}: backfill — every fact in the store alerts, past ones too"
        dated = f" dated before {rule.since}" if rule.since else ""
        return (f"rule {rule.name}: baseline set at {self.set_at} — {self.facts} facts{dated}"
                f" already in the store will not alert; later changes will")  # fmt: skip


def _stored_baseline(conn, rule: Rule) -> Baseline | None:
    """The rule's stored baseline, with its ids, in one query; None when it has none."""
    rows = conn.execute(
        "SELECT r.baseline_at, r.baseline_facts, b.alert_id FROM alert_rules r"
        " LEFT JOIN alert_baseline b ON b.rule_key = r.rule_key WHERE r.rule_key = ?",
        (rule.key,),
    ).fetchall()
    if not rows:
        return None
    ids = frozenset(r[2] for r in rows if r[2] is not None)
    return Baseline(rule.name, rows[0][0], rows[0][1], new=False, ids=ids)


def _set_baseline(conn, rule: Rule, facts: list[Alert]) -> Baseline:
    """Store the rule's baseline from ``facts`` (every fact it alerts on now): none with
    ``backfill``, those dated before ``since`` (and undated ones) with ``since``."""
    if rule.backfill:
        facts = []
    elif rule.since:
        facts = [a for a in facts if not a.date or a.date[:10] < rule.since]
    ids = frozenset(a.alert_id for a in facts)
    now = stamp()
    with transaction(conn):
        stored = _stored_baseline(conn, rule)
        if stored is not None:  # another process set it meanwhile
            return stored
        conn.execute(
            "INSERT INTO alert_rules (rule_key, name, definition, baseline_at, baseline_facts,"
            " used_at) VALUES (?,?,?,?,?,?)",
            (rule.key, rule.name, json.dumps(asdict(rule), default=str), now, len(ids), now),
        )
        conn.executemany(
            "INSERT OR IGNORE INTO alert_baseline (rule_key, alert_id) VALUES (?,?)",
            [(rule.key, i) for i in sorted(ids)],
        )
    return Baseline(rule.name, now, len(ids), new=True, ids=ids)


def baseline(conn, rule: Rule) -> Baseline:
    """The rule's baseline, set now from the store's current facts on its first evaluation."""
    stored = _stored_baseline(conn, rule)
    if stored is not None:
        return stored
    # Evaluated before the write transaction: an analysis may itself write (a rollup rebuild).
    return _set_baseline(conn, rule, [] if rule.backfill else evaluate_rule(rule, conn))


def raised(
    conn, rules: Iterable[Rule], said: Callable[[str], None] | None = None
) -> list[Alert]:
    """The facts the rules alert on that are not in their baselines: each rule's baseline
    read once, or set from the same evaluation (``said`` hears its line)."""
    out = []
    for rule in rules:
        known = _stored_baseline(conn, rule)
        facts = evaluate_rule(rule, conn)
        if known is None:
            known = _set_baseline(conn, rule, facts)
            if said is not None and known.new:
                said(known.line(rule))
        out.extend(a for a in facts if a.alert_id not in known.ids)
    return out


def store_new(conn, alerts: list[Alert], webhook: str | None = None) -> list[Alert]:
    """Store the alerts not stored before, queued for ``webhook`` if given; returns those."""
    created = stamp()
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


def _chunks(items: list[str], size: int = 500) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def prune_baselines(conn, used: Iterable[Rule], now: datetime) -> int:
    """Mark ``used`` (the rules this service runs) as used now, and drop the baselines of
    the rules no service has marked for :data:`RULE_IDLE`; returns how many were dropped."""
    keys = {rule.key for rule in used}
    cutoff = stamp(now - RULE_IDLE)
    idle = [r[0] for r in conn.execute(
        "SELECT rule_key FROM alert_rules WHERE COALESCE(used_at, baseline_at) < ?", (cutoff,)
    ) if r[0] not in keys]  # fmt: skip
    with transaction(conn):
        conn.executemany(
            "UPDATE alert_rules SET used_at = ? WHERE rule_key = ?",
            [(stamp(now), key) for key in sorted(keys)],
        )
        for chunk in _chunks(idle):
            marks = ",".join("?" * len(chunk))
            conn.execute(f"DELETE FROM alert_baseline WHERE rule_key IN ({marks})", chunk)
            conn.execute(f"DELETE FROM alert_rules WHERE rule_key IN ({marks})", chunk)
    return len(idle)


def trim(conn, retention: Retention, now: datetime) -> int:
    """Drop the stored alerts older than ``retention.days`` and the oldest beyond
    ``retention.alerts``, except those still queued for a webhook; returns how many.

    A dropped alert joins the baseline of each rule of its name, so that a fact still
    true in the store is not raised again as new."""
    old = [r[0] for r in conn.execute(
        "SELECT alert_id FROM alerts WHERE created < ?", (stamp(now - timedelta(retention.days)),)
    )]  # fmt: skip
    total = conn.execute("SELECT COUNT(*) FROM alerts").fetchone()[0]
    if total > retention.alerts:
        old += [r[0] for r in conn.execute(
            "SELECT alert_id FROM alerts ORDER BY created, alert_id LIMIT ?",
            (total - retention.alerts,),
        )]  # fmt: skip
    pending = {r[0] for r in conn.execute("SELECT DISTINCT alert_id FROM alert_deliveries")}
    drop = sorted(set(old) - pending)
    with transaction(conn):
        for chunk in _chunks(drop):
            marks = ",".join("?" * len(chunk))
            conn.execute(
                "INSERT OR IGNORE INTO alert_baseline (rule_key, alert_id) SELECT r.rule_key,"
                " a.alert_id FROM alerts a JOIN alert_rules r ON r.name = a.rule"
                f" WHERE a.alert_id IN ({marks})",
                chunk,
            )
            conn.execute(f"DELETE FROM alerts WHERE alert_id IN ({marks})", chunk)
    return len(drop)


class AlertRunner:
    """Evaluates the rules after a batch, stores what is new and queues it for the webhook.

    Call :meth:`prepare` when the service starts, so each new rule's baseline is the store
    as it was then and the first batch's changes do alert; call :meth:`tick` now and then
    (the watcher does every poll, the job worker every tick) so alerts a webhook refused are
    tried again and the stored history stays bounded. Lines go to ``say`` (the log when
    none is given)."""

    def __init__(
        self,
        rules: RuleSet | Iterable[Rule],
        webhook: str | None = None,
        say: Callable[[str], None] | None = None,
    ):
        ruleset = rules if isinstance(rules, RuleSet) else RuleSet(tuple(rules))
        self.rules = list(ruleset.rules)
        self.retention = ruleset.retention
        self.webhook = webhook
        self.say = say or log.info
        self.warn = say or log.warning
        self._kept_at: datetime | None = None
        """When :meth:`housekeeping` last ran."""

    def prepare(self, conn) -> list[Baseline]:
        """Set (or read) every rule's baseline, saying one line per rule, then keep house."""
        out = []
        for rule in self.rules:
            found = baseline(conn, rule)
            self.say(found.line(rule))
            out.append(found)
        self.housekeeping(conn)
        return out

    def __call__(self, conn, _result=None) -> list[Alert]:
        if not self.rules:
            return []
        new = store_new(conn, raised(conn, self.rules, said=self.say), webhook=self.webhook)
        self.tick(conn)
        return new

    def tick(self, conn, now: datetime | None = None) -> int:
        """Deliver what is due to the webhook, and keep house when an hour has passed;
        returns how many alerts went out."""
        now = now or datetime.now(UTC)
        if self._kept_at is None or now - self._kept_at >= HOUSEKEEPING_EVERY:
            self.housekeeping(conn, now)
        return self.deliver(conn, now)

    def housekeeping(self, conn, now: datetime | None = None) -> None:
        """Mark this service's rules used, prune idle rules' baselines, trim the alerts."""
        if not self.rules:  # the service that runs rules keeps their history
            return
        now = now or datetime.now(UTC)
        self._kept_at = now
        pruned = prune_baselines(conn, self.rules, now)
        trimmed = trim(conn, self.retention, now)
        if pruned or trimmed:
            log.info("alerts: %d baselines of idle rules pruned, %d old alerts trimmed",
                     pruned, trimmed)  # fmt: skip

    def deliver(self, conn, now: datetime | None = None) -> int:
        """POST the queued alerts that are due; returns how many went out."""
        if not self.webhook:
            return 0
        return deliver_due(conn, self.webhook, alerts_json, self.warn, now)
