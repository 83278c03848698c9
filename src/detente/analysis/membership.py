"""Which peace process a record belongs to.

Positions and process records usually carry a process label; events never do, and a
position whose document named no process has none either. Linking an event to a process
only through its document (did the same article yield a position?) drops most of the
fighting and diplomacy a process is about, so membership goes by who takes part, as the
process files (``data/processes/*.yml``) list them:

* a belligerent of the process as actor or recipient always makes a record a member;
* another party or a mediator (the United States, Turkey, …) is a party to several
  processes, so it makes a record a member only when its document is about that process
  (one of its records is labelled with it or names one of its belligerents), or about no
  process at all, in which case it joins every process that lists the party.

A process name without a process file falls back to labels and document links only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from detente.analysis.corpus import Corpus
from detente.coding.models import ActorRef, Event
from detente.positions.models import Position, ProcessRecord
from detente.positions.taxonomy import TaxonomyError, load_process, process_names


@dataclass(frozen=True)
class ProcessParties:
    name: str
    label: str
    belligerents: frozenset[str]
    others: frozenset[str]
    """Third parties and mediators: members of a process only together with a document link."""


@lru_cache(maxsize=32)
def process_parties(name: str) -> ProcessParties | None:
    try:
        process = load_process(name)
    except (FileNotFoundError, KeyError, TaxonomyError):
        return None
    belligerents = frozenset(process.belligerents()) or frozenset(process.party_codes)
    involved = {*process.party_codes, *(m.code for m in process.mediators)}
    return ProcessParties(name, process.label, belligerents, frozenset(involved - belligerents))


def process_label(name: str | None) -> str | None:
    """The human name of a process (``Russia–Ukraine war``), else its file name."""
    if name is None:
        return None
    parties = process_parties(name)
    return parties.label if parties else name


class Membership:
    """Answers "does this record belong to process P?" for one corpus."""

    def __init__(self, corpus: Corpus, names: Iterable[str] | None = None):
        labelled = {p.process for p in corpus.positions} | {
            r.process for r in corpus.process_records
        }
        wanted = set(process_names() if names is None else names) | (labelled - {None})
        self.processes = {n: process_parties(n) for n in sorted(wanted)}
        self.doc_links: dict[str, set[str]] = {}
        for p in corpus.positions:
            self._link([p.doc_id], p.process, [p.actor])
        for r in corpus.process_records:
            self._link(r.doc_ids, r.process, r.parties)
        for e in corpus.events:
            self._link([e.doc_id], None, [*e.actor, *e.recipient])

    def _link(self, doc_ids: list[str], label: str | None, refs: Iterable[ActorRef]) -> None:
        """A document is about a process it labels a record with or whose belligerent its
        records name."""
        codes = {r.code for r in refs if r.code}
        about = {label} if label else set()
        about |= {n for n, p in self.processes.items() if p and codes & p.belligerents}
        for d in doc_ids:
            self.doc_links.setdefault(d, set()).update(about)

    def _by_parties(self, refs: Iterable[ActorRef], doc_ids: Iterable[str]) -> set[str]:
        codes = {r.code for r in refs if r.code}
        links = set().union(*(self.doc_links.get(d, set()) for d in doc_ids))
        found = set()
        for name, parties in self.processes.items():
            linked = name in links
            if parties is None:
                member = linked
            else:
                member = bool(codes & parties.belligerents) or bool(
                    codes & parties.others and (linked or not links)
                )
            if member:
                found.add(name)
        return found

    def of_event(self, event: Event) -> set[str]:
        return self._by_parties([*event.actor, *event.recipient], [event.doc_id])

    def of_position(self, position: Position) -> set[str]:
        if position.process:
            return {position.process}
        return self._by_parties([position.actor], [position.doc_id])

    def of_process_record(self, record: ProcessRecord) -> set[str]:
        if record.process:
            return {record.process}
        refs = [*record.parties, *([record.mediator] if record.mediator else [])]
        return self._by_parties(refs, record.doc_ids)
