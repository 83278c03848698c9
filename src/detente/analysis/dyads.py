"""Dyadic series: what each actor did to each recipient, per day or ISO week.

Events are first merged across their story cluster (see :mod:`.dedupe`), then a compound
actor or recipient ("Russia and Ukraine agreed…") expands to one row per ordered
actor–recipient code pair. Only asserted/reported events count by default; with
``include_speculative`` the future, speculative, hypothetical and negated ones are counted
in separate ``*_other`` columns so the firm series stays comparable. Events without a
dated day or without both a coded actor and a coded recipient are not dyadic and are left
out: an unresolved mention ("its forces", "150 prisoners") would make a dyad of its own.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from detente.analysis.corpus import Corpus, is_firm
from detente.analysis.dedupe import dedupe_events
from detente.analysis.periods import bucket
from detente.analysis.scoring import coded, event_quad, event_score


@dataclass
class DyadRow:
    period: str
    period_start: str
    actor: str
    recipient: str
    events: int = 0
    score_sum: float = 0.0
    mentions: int = 0
    by_type: Counter = field(default_factory=Counter)
    by_quad: Counter = field(default_factory=Counter)
    events_other: int = 0
    score_sum_other: float = 0.0
    record_ids: list[str] = field(default_factory=list)

    @property
    def score_mean(self) -> float | None:
        return self.score_sum / self.events if self.events else None

    def as_dict(self) -> dict:
        row = {
            "period": self.period,
            "period_start": self.period_start,
            "actor": self.actor,
            "recipient": self.recipient,
            "events": self.events,
            "score_sum": round(self.score_sum, 3),
            "score_mean": None if self.score_mean is None else round(self.score_mean, 3),
            "mentions": self.mentions,
            "events_other": self.events_other,
            "score_sum_other": round(self.score_sum_other, 3),
        }
        row.update({f"type_{k}": v for k, v in sorted(self.by_type.items())})
        row.update({f"quad_{k}": v for k, v in sorted(self.by_quad.items())})
        row["record_ids"] = self.record_ids
        return row


def dyadic_series(
    corpus: Corpus, freq: str = "day", include_speculative: bool = False
) -> list[DyadRow]:
    rows: dict[tuple[str, str, str], DyadRow] = {}
    for group in dedupe_events(corpus):
        e = group.record
        firm = is_firm(e.modality)
        if group.date is None or not (firm or include_speculative):
            continue
        period, start = bucket(group.date, freq)
        score = event_score(e)
        for actor in coded(e.actor):
            for recipient in coded(e.recipient):
                if actor == recipient:
                    continue
                row = rows.setdefault(
                    (period, actor, recipient), DyadRow(period, start, actor, recipient)
                )
                row.record_ids.extend(group.ids)
                if firm:
                    row.events += 1
                    row.score_sum += score
                    row.mentions += group.mentions
                    row.by_type[e.event_type] += 1
                    row.by_quad[event_quad(e)] += 1
                else:
                    row.events_other += 1
                    row.score_sum_other += score
    return sorted(rows.values(), key=lambda r: (r.period_start, r.actor, r.recipient))
