"""Query and report latency on large stores (issue 10.4/10.5).

Coding a million events would take this machine about a day, so the store is GENERATED
directly: documents over three years from ten outlets (a fifth of them in near-duplicate
story clusters), events with a plausible mix of PLOVER types, actors (Russia, Ukraine,
Israel, Palestine, India, Pakistan and their mediators), modalities and confidences,
positions on the process files' issues, and a few hundred process records. Records go in
with plain SQL in publication order, their read-side columns computed by the same
``derive_rows`` that ``derive_pending`` runs (deriving a million rows in place afterwards
takes too long on a shared 2-core machine); ``derive_pending`` is then run and finds
nothing left, and the rollups of the whole-store series, marked stale by the bulk load, are
rebuilt by the first reader (``rollups_ready``; the "pending check" time includes it).

Each query is run ``--repeat`` times on a warm store and the best time is reported, with
the command. Figures are printed and appended to ``benchmarks/results.md``.

    python benchmarks/query_latency.py --events 20000 --events 1000000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from results_log import append_block, machine

from detente.analysis.dyads import dyadic_series
from detente.analysis.matrix import position_matrix
from detente.analysis.signal import signal_index
from detente.analysis.timeline import key_timeline, timeline_counts
from detente.coding.models import EVENT_TYPES, ActorRef, Event, Evidence
from detente.positions.models import Position, PositionEvidence
from detente.report.build import write_report
from detente.store import queries
from detente.store.db import connect, transaction
from detente.store.derived import (
    EVENT_COLUMNS,
    POSITION_COLUMNS,
    DocInfo,
    derive_pending,
    derive_rows,
    lead_order,
    mark_rollups_stale,
    rollups_ready,
)
from detente.store.queries import Filters

OUTLETS = ["Kyiv Ledger", "Ankara Daily", "Wire One", "Gulf Times", "Delhi Post",
           "Tel Aviv Herald", "Baltic News", "Cairo Review", "Paris Soir",
           "Global Wire"]  # fmt: skip
THEATRES = [
    (["RUS", "UKR"], ["TUR", "USA", "ARE", "FRA", "DEU"], "russia-ukraine"),
    (["ISR", "PSE"], ["QAT", "EGY", "USA"], "israel-hamas"),
    (["IND", "PAK"], ["USA", "SAU"], None),
]
TYPE_WEIGHTS = {"ASSAULT": 18, "ACCUSE": 10, "CONSULT": 9, "REQUEST": 8, "THREATEN": 7,
                "AGREE": 6, "REJECT": 6, "RETREAT": 5, "SUPPORT": 5, "COERCE": 4}  # fmt: skip
MODALITIES = ["asserted"] * 60 + ["reported"] * 20 + ["future"] * 8 + ["speculative"] * 5 + [
    "hypothetical"
] * 4 + ["negated"] * 3
ISSUES = {
    "russia-ukraine": ["talks", "ceasefire", "territory", "forces", "alliances", "sanctions"],
    "israel-hamas": ["ceasefire", "talks", "humanitarian"],
}
START = date(2022, 1, 1)
DAYS = 3 * 365
EVENTS_PER_DOC = 4
POSITIONS_PER_EVENT = 0.1
BATCH = 20000


def _ref(code: str) -> ActorRef:
    return ActorRef(text=code, code=code, sector="GOV")


def _insert(conn, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    marks = ",".join("?" * len(columns))
    conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def _write(conn, docs: list[tuple], clusters: list[tuple], events: list[Event],
           positions: list[Position], infos: dict[str, DocInfo]) -> None:
    """One batch: documents, then records with every derived column filled by
    :func:`derive_rows` (the code ``derive_pending`` runs), marked derived."""
    by_doc_e: dict[str, list[Event]] = {}
    by_doc_p: dict[str, list[Position]] = {}
    for e in events:
        by_doc_e.setdefault(e.doc_id, []).append(e)
    for p in positions:
        by_doc_p.setdefault(p.doc_id, []).append(p)
    rows = derive_rows(infos, by_doc_e, by_doc_p)
    leads = _leads(rows.events, EVENT_COLUMNS) | _leads(rows.positions, POSITION_COLUMNS)
    base_e = ("id", "doc_id", "sentence_index", "event_type", "modality", "date",
              "actor_codes", "recipient_codes", "record", "derived", "lead")  # fmt: skip
    base_p = ("id", "doc_id", "process", "issue", "actor_code", "stance", "modality", "date",
              "record", "derived", "lead")  # fmt: skip
    event_rows = []
    for e, derived in zip(events, rows.events, strict=True):
        codes = ["|" + "|".join(a.code or "" for a in side) + "|"
                 for side in (e.actor, e.recipient)]  # fmt: skip
        event_rows.append((e.id, e.doc_id, e.sentence_index, e.event_type, e.modality, e.date,
                           *codes, e.model_dump_json(), 1, int(e.id in leads),
                           *derived[:-1]))  # fmt: skip
    position_rows = []
    for p, derived in zip(positions, rows.positions, strict=True):
        position_rows.append((p.id, p.doc_id, p.process, p.issue, p.actor.code, p.stance,
                              p.modality, p.date, p.model_dump_json(), 1,
                              int(p.id in leads), *derived[:-1]))  # fmt: skip
    with transaction(conn):
        _insert(conn, "clusters", ("cluster_id", "first_doc_id", "mentions", "created"), clusters)
        _insert(conn, "documents", ("doc_id", "content_hash", "cluster_id", "title", "url",
                                    "source", "published", "origin", "clean_text", "raw_text",
                                    "status", "ingested"), docs)  # fmt: skip
        _insert(conn, "events", base_e + EVENT_COLUMNS, event_rows)
        _insert(conn, "positions", base_p + POSITION_COLUMNS, position_rows)
        _insert(conn, "event_parties", ("event_id", "role", "code"), rows.parties)
        _insert(conn, "event_processes", ("event_id", "process"), rows.event_processes)
        _insert(conn, "position_processes", ("position_id", "process"), rows.position_processes)


def generate(conn, n_events: int, seed: int = 7) -> None:
    """Fill an empty store with ``n_events`` events and their documents and positions,
    in publication order (as a backfill of a conflict's coverage would arrive)."""
    rng = random.Random(seed)
    types = list(TYPE_WEIGHTS) + [t for t in EVENT_TYPES if t not in TYPE_WEIGHTS]
    weights = list(TYPE_WEIGHTS.values()) + [1] * (len(types) - len(TYPE_WEIGHTS))
    n_docs = max(1, n_events // EVENTS_PER_DOC) + 1
    docs, clusters, events, positions = [], [], [], []
    infos: dict[str, DocInfo] = {}
    event_id = position_id = doc_index = 0
    cluster_left, cluster_id = 0, None
    while event_id < n_events:
        doc_id = f"d{doc_index}"
        published = START + timedelta(days=min(DAYS - 1, doc_index * DAYS // n_docs))
        doc_index += 1
        if cluster_left:
            cluster_left -= 1
        elif rng.random() < 0.08:
            cluster_id, cluster_left = f"c{doc_index}", rng.choice([1, 2])
            clusters.append((cluster_id, doc_id, cluster_left + 1, "2025-01-01"))
        else:
            cluster_id = None
        belligerents, others, process = rng.choices(THEATRES, weights=[6, 3, 1])[0]
        outlet = rng.choice(OUTLETS)
        docs.append((doc_id, f"h{doc_id}", cluster_id, f"Story {doc_id}",
                     f"https://news.test/{doc_id}", outlet, published.isoformat(), "generated",
                     "(generated)", "(generated)", "coded", "2025-01-01"))  # fmt: skip
        infos[doc_id] = DocInfo(doc_id, cluster_id, outlet, f"https://news.test/{doc_id}",
                                f"Story {doc_id}", published.isoformat(),
                                3 if cluster_id else 1)  # fmt: skip
        for sentence in range(rng.randint(1, 2 * EVENTS_PER_DOC - 1)):
            if event_id >= n_events:
                break
            kind = rng.choices(types, weights)[0]
            actor = [rng.choice(belligerents if rng.random() < 0.8 else others)]
            recipient = [rng.choice([c for c in belligerents + others if c != actor[0]])]
            if rng.random() < 0.1:
                actor.append(rng.choice([c for c in belligerents if c not in actor]
                                        or belligerents))  # fmt: skip
            modality = rng.choice(MODALITIES)
            when = (published - timedelta(days=rng.choice([0, 0, 0, 1, 2]))).isoformat()
            text = f"{actor[0]} {kind.lower()} {recipient[0]} (sentence {sentence})."
            confidence = round(rng.uniform(0.3, 0.95), 2)
            events.append(Event(
                id=f"e{event_id}", doc_id=doc_id, sentence_index=sentence, event_type=kind,
                mode=rng.choice(["release", "ceasefire", None]) if kind == "RETREAT" else None,
                actor=[_ref(c) for c in actor], recipient=[_ref(c) for c in recipient],
                date=when, modality=modality, confidence=confidence,
                evidence=Evidence(sentence=text, start=0, end=len(text)),
            ))  # fmt: skip
            event_id += 1
            if process and rng.random() < POSITIONS_PER_EVENT * 1.4:
                code = rng.choice(belligerents + others[:1])
                stance = rng.choice(["favor", "against", "conditional"])
                text = f"{code} spoke on the issue (sentence {sentence})."
                positions.append(Position(
                    id=f"p{position_id}", doc_id=doc_id, process=process,
                    issue=rng.choice(ISSUES[process]), actor=_ref(code),
                    speech_act=rng.choice(["propose", "demand", "reject", "accept"]),
                    stance=stance, position={"favor": 80, "against": 10, "conditional": 50}[stance],
                    modality=modality, date=when, confidence=confidence,
                    evidence=PositionEvidence(sentence=text, start=0, end=len(text)),
                ))  # fmt: skip
                position_id += 1
        if len(events) >= BATCH and not cluster_left:
            _flush(conn, docs, clusters, events, positions, infos)
    _flush(conn, docs, clusters, events, positions, infos)
    with transaction(conn):
        mark_rollups_stale(conn)  # records were written directly, not through the store
        conn.executemany(
            "INSERT INTO process_records (id, kind, process, date, record) VALUES (?,?,?,?,?)",
            [
                (f"r{i}", kind, "russia-ukraine", day, json.dumps({
                    "id": f"r{i}", "kind": kind, "process": "russia-ukraine", "date": day,
                    "parties": [_ref("RUS").model_dump(), _ref("UKR").model_dump()],
                    "doc_ids": [f"d{i}"],
                    "sources": [{"sentence": "They met.", "start": 0, "end": 9}],
                }))  # fmt: skip
                for i in range(300)
                for kind, day in [(rng.choice(["exchange", "talks", "ceasefire"]),
                                   (START + timedelta(days=rng.randrange(DAYS))).isoformat())]
            ],
        )  # fmt: skip


def _flush(conn, docs, clusters, events, positions, infos) -> None:
    """Write a batch that ends on a story boundary (a story never spans two batches)."""
    if docs:
        _write(conn, docs, clusters, events, positions, infos)
    for rows in (docs, clusters, events, positions):
        rows.clear()
    infos.clear()


def _leads(rows: list[tuple], columns: tuple[str, ...]) -> set[str]:
    """The lead of every merged item in a batch, elected by :func:`lead_order` as
    ``derive_pending`` does in SQL."""
    key, rank, conf = (columns.index(c) for c in ("merge_key", "modality_rank", "confidence"))
    best: dict[str, tuple] = {}
    for r in rows:
        order = lead_order(r[rank], r[conf], r[-1])
        if r[key] not in best or order < best[r[key]]:
            best[r[key]] = order
    return {order[-1] for order in best.values()}


def best_of(repeat: int, run: Callable[[], object]) -> tuple[float, float, object]:
    """Best wall-clock and best CPU seconds of ``repeat`` runs: SQLite runs in this
    process, so CPU time is the query's own cost even when the machine is shared."""
    best, best_cpu, result = float("inf"), float("inf"), None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = run()
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best, best_cpu, result


def measure(conn, out_dir: Path, repeat: int) -> list[tuple[str, float, float, str]]:
    """``(what, seconds, CPU seconds, size of the answer)`` for each query the CLI, API and
    report run."""
    ru = Filters(process="russia-ukraine")
    year = Filters(since="2023-01-01", until="2023-12-31")
    cases: list[tuple[str, Callable[[], object], Callable[[object], str]]] = [
        ("events page: actor RUS, type ASSAULT, 2023 (50 rows)",
         lambda: queries.list_events(conn, Filters(actor="RUS", event_type="ASSAULT",
                                                   since="2023-01-01", until="2023-12-31")),
         lambda p: f"{len(p.items)} rows"),
        ("events page: process russia-ukraine, confidence ≥ 0.9, one outlet",
         lambda: queries.list_events(conn, Filters(process="russia-ukraine", min_confidence=0.9,
                                                   source="Kyiv Ledger")),
         lambda p: f"{len(p.items)} rows"),
        ("events page: recipient PAK, modality future",
         lambda: queries.list_events(conn, Filters(recipient="PAK", modality="future")),
         lambda p: f"{len(p.items)} rows"),
        ("events page with total count: type AGREE, 2023",
         lambda: queries.list_events(conn, Filters(event_type="AGREE", since="2023-01-01",
                                                   until="2023-12-31"), count=True),
         lambda p: f"{len(p.items)} of {p.total}"),
        ("positions page: actor UKR, issue territory",
         lambda: queries.list_positions(conn, Filters(actor="UKR", issue="territory")),
         lambda p: f"{len(p.items)} rows"),
        ("timeline: key events per week, whole store",
         lambda: timeline_counts(conn, Filters(), "week"), lambda r: f"{len(r)} buckets"),
        ("timeline: key events per month, russia-ukraine",
         lambda: timeline_counts(conn, ru, "month"), lambda r: f"{len(r)} buckets"),
        ("timeline: 50 key events of 2023 by date",
         lambda: key_timeline(conn, year, with_process_records=False),
         lambda r: f"{len(r)} entries"),
        ("dyads per week, whole store", lambda: dyadic_series(conn, Filters(), "week"),
         lambda r: f"{len(r)} rows"),
        ("dyads per week, russia-ukraine 2023",
         lambda: dyadic_series(conn, Filters(process="russia-ukraine", since="2023-01-01",
                                             until="2023-12-31"), "week"),
         lambda r: f"{len(r)} rows"),
        ("dyads per week, type ASSAULT", lambda: dyadic_series(conn, Filters(
            event_type="ASSAULT"), "week"), lambda r: f"{len(r)} rows"),
        ("dyads per month, russia-ukraine ASSAULT, 2023-02-10 to 2023-11-20",
         lambda: dyadic_series(conn, Filters(process="russia-ukraine", event_type="ASSAULT",
                                             since="2023-02-10", until="2023-11-20"), "month"),
         lambda r: f"{len(r)} rows"),
        ("dyads per week, actor RUS, 2023 (from the records)",
         lambda: dyadic_series(conn, Filters(actor="RUS", since="2023-01-01",
                                             until="2023-12-31"), "week"),
         lambda r: f"{len(r)} rows"),
        ("signal index, every process", lambda: signal_index(conn, Filters()),
         lambda r: f"{len(r)} points"),
        ("signal index, russia-ukraine", lambda: signal_index(conn, ru),
         lambda r: f"{len(r)} points"),
        ("actor × issue matrix, russia-ukraine", lambda: position_matrix(conn, ru),
         lambda r: f"{len(r)} cells"),
    ]  # fmt: skip
    rows = []
    for what, run, size in cases:
        seconds, cpu, result = best_of(repeat, run)
        rows.append((what, seconds, cpu, size(result)))
        print(f"  {seconds:8.3f} s  {cpu:8.3f} s CPU  {what} ({size(result)})", flush=True)
    for name, filters in (("report, whole store", Filters()), ("report, russia-ukraine", ru)):
        path = out_dir / f"{name.split(', ')[1]}.html"
        seconds, cpu, _ = best_of(1, lambda f=filters, p=path: write_report(conn, p, filters=f))
        size = f"{path.stat().st_size / 1e6:.2f} MB HTML"
        rows.append((name, seconds, cpu, size))
        print(f"  {seconds:8.3f} s  {cpu:8.3f} s CPU  {name} ({size})", flush=True)
    return rows


def run(n_events: int, repeat: int, workdir: Path, reuse: bool = False) -> str:
    db = workdir / f"store-{n_events}.db"
    generated = None
    if not (reuse and db.exists()):
        db.unlink(missing_ok=True)
        conn = connect(db)
        print(f"generating a store of {n_events} events (written directly, not coded)…",
              flush=True)  # fmt: skip
        started = time.perf_counter()
        generate(conn, n_events)
        generated = time.perf_counter() - started
    else:
        print(f"reusing {db} (migrated to the current schema)…", flush=True)
        conn = connect(db)
    counts = [conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
              for t in ("documents", "events", "positions")]  # fmt: skip
    started = time.perf_counter()
    derive_pending(conn)
    rollups_ready(conn)
    derived = time.perf_counter() - started
    conn.execute("ANALYZE")
    size_mb = db.stat().st_size / 1e6
    made = "reused" if generated is None else f"generated with derived columns in {generated:.0f} s"
    made += f"; pending check (derivation, rollups) {derived:.1f} s"
    print(f"  {made}; store {size_mb:.0f} MB", flush=True)
    rows = measure(conn, workdir, repeat)
    conn.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = [
        f"\n### {n_events:,} events (generated store: {counts[0]:,} documents, {counts[1]:,}"
        f" events, {counts[2]:,} positions; {size_mb:.0f} MB)\n",
        f"{made}; load average at the end"
        f" {os.getloadavg()[0]:.1f} (the machine is shared); peak RSS so far {peak:.0f} MB\n",
        f"| query | wall seconds (best of {repeat}) | CPU seconds (best of {repeat}) | answer |",
        "|---|---|---|---|",
        *(f"| {what} | {sec:.3f} | {cpu:.3f} | {size} |" for what, sec, cpu, size in rows),
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, action="append",
                        help="store size in events (repeatable; default 20000 and 1000000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per query; best is kept")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where stores and reports go (default: a temporary folder)")
    parser.add_argument("--no-log", action="store_true", help="print only")
    parser.add_argument("--reuse", action="store_true",
                        help="measure stores left in --workdir by an earlier run")
    args = parser.parse_args()  # fmt: skip
    sizes = args.events or [20000, 1000000]
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        blocks = [run(n, args.repeat, workdir, args.reuse) for n in sizes]
    command = "python benchmarks/query_latency.py " + " ".join(sys.argv[1:])
    text = (
        f"\n## Query and report latency — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n"
        f"machine: {machine()}; command: `{command.strip()}`; stores generated directly"
        " (coding 1M events here would take about a day), SQLite\n" + "".join(blocks)
    )
    print(text)
    if not args.no_log:
        append_block(text)


if __name__ == "__main__":
    main()
