"""API load: a 20,000-document store, N concurrent clients on loopback for a bounded time.

Run: ``python benchmarks/api_load.py [--docs 20000] [--clients 16] [--seconds 20]
[--workers 1,2] [--store PATH] [--pg postgresql://…]`` (``--pg`` also runs the same load on
PostgreSQL; it empties that database first; ``--store`` keeps the generated SQLite store
at PATH and reuses it on the next run; each run serves a fresh copy of it, since the
ingest phase writes; ``--workers 1,2`` runs the phases once per server process count).
The store is generated directly (documents with plausible sentences, their events and
positions written through ``store.records``, no NLP), ``detente serve [--workers N]`` runs
in its own processes, and the clients (asyncio, in this process) measure per phase:

* events list: ``GET /api/v1/events`` (50 per page) under a mix of analyst filters (none,
  type, actor, process, date range, confidence) and next-page cursors;
* matrix: ``GET /api/v1/processes/russia-ukraine/matrix``;
* ingest: ``POST /api/v1/documents`` of new articles (accepted jobs per second).

Prints p50/p95/p99 latency, requests/s and errors per phase, and the CPU time per request
of the server (its processes, from ``/proc``) and of the clients (this process): on a
machine shared with other work, wall-clock latency mostly measures the others, CPU time
per request what this server costs. Appends a table to ``benchmarks/results.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from json import dumps
from pathlib import Path
from urllib.parse import urlencode

import httpx
from results_log import append_block, machine

from detente.coding.models import ActorRef, Event, Evidence
from detente.positions.models import Position, PositionEvidence, ProcessRecord
from detente.store import queries
from detente.store.db import connect, transaction
from detente.store.derived import rollups_ready
from detente.store.records import replace_doc_records, replace_process_records

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "load-test-token"
CODES = ["RUS", "UKR", "USA", "TUR", "FRA", "DEU", "GBR", "CHN", "ISR", "PSE", "QAT", "EGY"]
TYPES = ["ASSAULT", "CONSULT", "AGREE", "ACCUSE", "THREATEN", "REQUEST", "RETREAT", "REJECT",
         "SUPPORT", "COERCE"]  # fmt: skip
MODALITIES = ["asserted"] * 6 + ["reported"] * 3 + ["future", "speculative", "negated"]
ISSUES = ["ceasefire", "territory", "nato_membership", "sanctions", "prisoners",
          "security_guarantees"]  # fmt: skip
STANCES = ["favor", "against", "conditional", "neutral"]
ACTS = {"favor": "accept", "against": "reject", "conditional": "precondition",
        "neutral": "propose"}  # fmt: skip
OUTLETS = ["Kyiv Ledger", "Baltic Wire", "Geneva Dispatch", "Ankara Daily", "Levant Post",
           "Nile Courier", "Atlantic Desk", "Steppe News"]  # fmt: skip
SENTENCES = [
    "{a} forces struck positions near the front line overnight, officials in {b} said.",
    "Delegations from {a} and {b} met for talks on a possible ceasefire.",
    "{a} accused {b} of violating the agreement reached last week.",
    "{a} said it was ready to exchange prisoners with {b} under the mediation of Turkey.",
    "{a} warned {b} that further deliveries of long-range weapons would draw a response.",
    "{a} demanded that {b} withdraw its troops before any settlement.",
]


def day(rng: random.Random) -> str:
    return f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def generate(conn, n_docs: int, seed: int = 7) -> tuple[int, int]:
    """Documents, events and positions for ``n_docs`` articles; returns (events, positions)."""
    rng = random.Random(seed)
    n_events = n_positions = 0
    with transaction(conn):
        for i in range(n_docs):
            conn.execute(
                "INSERT INTO clusters (cluster_id, first_doc_id, mentions, created)"
                " VALUES (?,?,1,?)",
                (f"c-{i}", f"d{i:05d}", "2025-01-01"),
            )
    docs = []
    for i in range(n_docs):
        published = day(rng)
        pairs = [rng.sample(CODES[:6] if rng.random() < 0.7 else CODES, 2) for _ in range(4)]
        sentences = [rng.choice(SENTENCES).format(a=a, b=b) for a, b in pairs]
        text = " ".join(sentences)
        docs.append((i, published, pairs, sentences, text))
    with transaction(conn):
        conn.executemany(
            "INSERT INTO documents (doc_id, content_hash, cluster_id, title, url, source,"
            " published, origin, clean_text, raw_text, status, ingested)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [(f"d{i:05d}", f"h{i}", f"c-{i}", s[0][:60], f"https://news.example/{i}",
              OUTLETS[i % len(OUTLETS)], pub, "generated", text, text, "coded", "2025-01-01")
             for i, pub, _, s, text in docs],
        )  # fmt: skip
    for i, published, pairs, sentences, _ in docs:
        doc_id = f"d{i:05d}"
        events, positions, offset = [], [], 0
        for k, ((a, b), sentence) in enumerate(zip(pairs, sentences, strict=True)):
            evidence = Evidence(sentence=sentence, start=offset, end=offset + len(sentence))
            offset += len(sentence) + 1
            if k < 3:
                events.append(Event(
                    id=f"{doc_id}-e{k}", doc_id=doc_id, sentence_index=k,
                    event_type=rng.choice(TYPES), actor=[ActorRef(text=a, code=a)],
                    recipient=[ActorRef(text=b, code=b)], date=published,
                    modality=rng.choice(MODALITIES), evidence=evidence,
                    confidence=round(rng.uniform(0.3, 0.95), 2),
                ))  # fmt: skip
            else:
                stance = rng.choice(STANCES)
                positions.append(Position(
                    id=f"{doc_id}-p{k}", doc_id=doc_id, process="russia-ukraine",
                    issue=rng.choice(ISSUES), actor=ActorRef(text=a, code=a),
                    speech_act=ACTS[stance], stance=stance, date=published,
                    modality=rng.choice(MODALITIES), confidence=round(rng.uniform(0.3, 0.9), 2),
                    evidence=PositionEvidence(**evidence.model_dump(exclude={"trigger"})),
                ))  # fmt: skip
        replace_doc_records(conn, doc_id, events, positions)
        n_events += len(events)
        n_positions += len(positions)
    replace_process_records(conn, [
        ProcessRecord(id=f"talks-{m}", kind="talks", process="russia-ukraine",
                      parties=[ActorRef(text="RUS", code="RUS"), ActorRef(text="UKR", code="UKR")],
                      date=f"2025-{m:02d}-15", status="held", doc_ids=[f"d{m:05d}"])
        for m in range(1, 13)
    ])  # fmt: skip
    return n_events, n_positions


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: str, log: Path, workers: int = 1) -> tuple[subprocess.Popen, str]:
    port = free_port()
    path = os.pathsep.join(p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, "PYTHONPATH": path, "DETENTE_TOKEN": TOKEN}
    command = [sys.executable, "-m", "detente.cli.main", "serve", "--db", db, "--port", str(port),
               "--workers", str(workers)]  # fmt: skip
    with log.open("wb") as out:
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180  # worker processes import everything anew
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"server did not start: {log.read_text()[-2000:]}")


def process_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) of a process and its descendants (the server's worker
    processes), read from ``/proc``; None where there is no ``/proc``."""
    tick = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    try:
        while todo:
            current = todo.pop()
            with open(f"/proc/{current}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    todo += [int(child) for child in handle.read().split()]
    except (OSError, ValueError, IndexError):
        return None
    return total


EVENT_QUERIES = [
    {}, {"event_type": "ASSAULT"}, {"actor": "RUS"}, {"recipient": "UKR"},
    {"process": "russia-ukraine"}, {"since": "2025-03-01", "until": "2025-03-31"},
    {"min_confidence": "0.8"}, {"event_type": "CONSULT", "process": "russia-ukraine"},
    {"modality": "reported", "source": "Baltic Wire"},
]  # fmt: skip


class RawConnection:
    """One keep-alive HTTP/1.1 connection on asyncio streams: the load generator's client.

    A load generator must cost little beside the server it measures, or on a small machine
    the latency it reports is its own queueing: httpx costs about 3 ms of CPU per request
    here, more than a list page costs the server, while this costs a tenth of that. It
    speaks only what the phases need (GET with a query, POST of JSON, replies with a
    Content-Length or chunked), like ``wrk`` or ``hey``. ``--client httpx`` measures with
    httpx instead."""

    def __init__(self, host: str, port: int, timeout: float = 30):
        self.host, self.port, self.timeout = host, port, timeout
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str, params: dict | None = None) -> Reply:
        query = f"?{urlencode(params)}" if params else ""
        return await self._send(f"GET {path}{query} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode())

    async def post(self, path: str, json: dict, headers: dict | None = None) -> Reply:
        body = dumps(json).encode()
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        head = (f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\n{extra}Content-Type:"
                f" application/json\r\nContent-Length: {len(body)}\r\n\r\n")  # fmt: skip
        return await self._send(head.encode() + body)

    async def _send(self, request: bytes) -> Reply:
        try:
            return await asyncio.wait_for(self._exchange(request), self.timeout)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
            await self.close()  # the next request reconnects
            raise ConnectionError(str(exc)) from exc

    async def _exchange(self, request: bytes) -> Reply:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(request)
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        else:  # chunked
            parts = []
            while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
                parts.append(await self.reader.readexactly(size + 2))
            await self.reader.readuntil(b"\r\n")
            body = b"".join(p[:-2] for p in parts)
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return Reply(status, headers, body)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


@dataclass
class Reply:
    status_code: int
    headers: dict[str, str]
    body: bytes


async def run_phase(
    url: str, clients: int, seconds: float, make_request, kind: str = "raw"
) -> dict:
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    host, port = url.removeprefix("http://").split(":")
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as shared:

        async def client(number: int) -> None:
            nonlocal errors
            rng = random.Random(number)
            state: dict = {}
            http = shared if kind == "httpx" else RawConnection(host, int(port))
            while time.monotonic() < stop:
                started = time.perf_counter()
                try:
                    response = await make_request(http, rng, state)
                    ok = response.status_code < 400
                except (httpx.HTTPError, ConnectionError):
                    ok = False
                latencies.append(time.perf_counter() - started)
                errors += 0 if ok else 1
            if http is not shared:
                await http.close()

        began = time.monotonic()
        await asyncio.gather(*(client(n) for n in range(clients)))
        elapsed = time.monotonic() - began
    latencies.sort()

    def pct(p: float) -> float:
        return 1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))]

    return {
        "requests": len(latencies), "per_s": len(latencies) / elapsed, "errors": errors,
        "p50": pct(0.50), "p95": pct(0.95), "p99": pct(0.99),
        "mean": 1000 * statistics.fmean(latencies) if latencies else 0.0,
    }  # fmt: skip


async def events_request(http, rng, state):
    if state.get("cursor") and rng.random() < 0.3:
        params = {**state["params"], "cursor": state["cursor"]}
    else:
        params = dict(rng.choice(EVENT_QUERIES))
        state["params"] = params
    response = await http.get("/api/v1/events", params={**params, "limit": 50})
    if response.status_code == 200:
        # The cursor of the next page is also a header: no need to parse the page.
        state["cursor"] = response.headers.get("x-next-cursor")
    return response


async def matrix_request(http, rng, state):
    return await http.get("/api/v1/processes/russia-ukraine/matrix")


async def ingest_request(http, rng, state):
    n = rng.randrange(10**12)
    text = (f"Officials in Kyiv said on Monday that {n % 500 + 2} prisoners were exchanged"
            f" with Russia in swap number {n}.")  # fmt: skip
    return await http.post("/api/v1/documents", json={"text": text, "source": "Load"},
                           headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip


PHASES = [("events list", events_request), ("matrix", matrix_request),
          ("ingest POST", ingest_request)]  # fmt: skip


def prepare(name: str, db: str, args, reuse: bool = False) -> None:
    """Generate the store (or count what a reused one holds)."""
    conn = connect(db)
    if reuse:
        n_events, n_positions = (
            conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("events", "positions")
        )  # fmt: skip
        print(f"{name}: reusing {db}: {n_events:,} events, {n_positions:,} positions")
    else:
        started = time.perf_counter()
        n_events, n_positions = generate(conn, args.docs)
        queries.derive_pending(conn)
        if name == "PostgreSQL":
            conn.execute("ANALYZE")  # what autovacuum would do after a bulk load
        print(f"{name}: {args.docs:,} documents, {n_events:,} events, {n_positions:,}"
              f" positions generated in {time.perf_counter() - started:.0f} s")  # fmt: skip
    queries.derive_pending(conn)
    rollups_ready(conn)  # the first reader's work (a stale store's rollups) done here
    conn.close()


def fresh_copy(store: Path) -> Path:
    """A copy of the SQLite store to serve: the ingest phase writes to what it serves, so
    every run starts from the same store."""
    copy = store.with_name(store.stem + "-serving.db")
    for path in (copy, Path(f"{copy}-wal"), Path(f"{copy}-shm")):
        path.unlink(missing_ok=True)
    shutil.copyfile(store, copy)
    return copy


def run_backend(name: str, db: str, args, workers: int) -> list[tuple]:
    print(f"{name}, detente serve --workers {workers}:")
    log = Path(tempfile.gettempdir()) / f"detente-api-load-{name}.log"
    proc, url = start_server(db, log, workers)
    rows = []
    try:
        for phase, request in PHASES:
            asyncio.run(run_phase(url, 2, 2, request, args.client))  # warm-up
            server_before, client_before = process_cpu(proc.pid), time.process_time()
            result = asyncio.run(run_phase(url, args.clients, args.seconds, request, args.client))
            server_after, n = process_cpu(proc.pid), max(result["requests"], 1)
            result["client_cpu"] = 1000 * (time.process_time() - client_before) / n
            result["server_cpu"] = (
                1000 * (server_after - server_before) / n
                if server_before is not None and server_after is not None else None
            )  # fmt: skip
            result["load"] = os.getloadavg()[0]
            rows.append((name, workers, phase, result))
            server_cpu = f"{result['server_cpu']:5.2f}" if result["server_cpu"] else "  n/a"
            print(f"  {phase:12s} {result['requests']:6d} req {result['per_s']:7.1f}/s"
                  f"  p50 {result['p50']:6.1f} ms  p95 {result['p95']:6.1f} ms"
                  f"  p99 {result['p99']:6.1f} ms  errors {result['errors']}"
                  f"  CPU ms/request: server {server_cpu}, clients {result['client_cpu']:5.2f}"
                  f"  load {result['load']:.1f}")  # fmt: skip
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
    if any(r["errors"] for *_, r in rows):
        print(f"  server log: {log}")
    return rows


def reset_pg(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", default="1",
                        help="detente serve --workers N; a list (1,2) runs each in turn")
    parser.add_argument("--client", choices=("raw", "httpx"), default="raw",
                        help="load generator: raw asyncio HTTP/1.1 (cheap) or httpx")
    parser.add_argument("--store", help="SQLite store to generate once and reuse (kept)")
    parser.add_argument("--pg", help="PostgreSQL URL to also run on (emptied first)")
    parser.add_argument("--no-log", action="store_true", help="Do not append to results.md")
    args = parser.parse_args()
    workers = [int(w) for w in args.workers.split(",")]
    rows = []
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(args.store) if args.store else Path(tmp) / "load.db"
        prepare("SQLite", str(store), args, reuse=store.exists())
        for n in workers:
            rows += run_backend("SQLite", str(fresh_copy(store)), args, n)
    if args.pg:
        reset_pg(args.pg)
        prepare("PostgreSQL", args.pg, args)
        for n in workers:  # the posted documents of one run stay for the next
            rows += run_backend("PostgreSQL", args.pg, args, n)
    if args.no_log:
        return
    command = "python benchmarks/api_load.py" + (
        f" --docs {args.docs} --clients {args.clients} --seconds {args.seconds:g}"
        f" --workers {args.workers} --client {args.client}"
    ) + (" --pg URL" if args.pg else "")
    lines = [
        f"\n## API load ({time.strftime('%Y-%m-%d')})\n\n",
        f"`{command}` — {args.docs:,}-document store, {args.clients} concurrent clients on"
        f" loopback ({args.client} client), {args.seconds:g} s per phase;"
        " server and clients on one machine"
        f" ({machine()}); load average {load_before:.1f} before and"
        f" {os.getloadavg()[0]:.1f} after the run (other work shared the CPUs).\n\n",
        "| store | workers | phase | requests | req/s | p50 ms | p95 ms | p99 ms | errors"
        " | server CPU ms/req | client CPU ms/req | load avg after |\n",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    ]
    for name, n, phase, r in rows:
        server_cpu = f"{r['server_cpu']:.2f}" if r["server_cpu"] is not None else "n/a"
        lines.append(f"| {name} | {n} | {phase} | {r['requests']} | {r['per_s']:.1f}"
                     f" | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | {r['errors']}"
                     f" | {server_cpu} | {r['client_cpu']:.2f} | {r['load']:.1f} |\n")  # fmt: skip
    append_block("".join(lines))


if __name__ == "__main__":
    main()
