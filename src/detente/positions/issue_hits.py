"""Finding the negotiation issues a sentence talks about, from the taxonomy's cue phrases."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Span, Token

from detente.positions.phrases import PhraseIndex
from detente.positions.taxonomy import Cue, Taxonomy, load_taxonomy


@dataclass(frozen=True)
class IssueHit:
    issue: str
    sub_issue: str | None
    start: int
    """Document token index of the first cue token."""
    end: int
    phrase: str
    value: float | None = None
    binary: bool = False

    def tokens(self, sent: Span) -> list[Token]:
        return list(sent.doc[self.start : self.end])

    def head(self, sent: Span) -> Token:
        """The cue token highest in the parse: where the cue attaches to the sentence."""
        tokens = self.tokens(sent)
        return min(tokens, key=lambda t: len(list(t.ancestors)))


@lru_cache(maxsize=4)
def _index(taxonomy: Taxonomy) -> PhraseIndex:
    return PhraseIndex((cue.phrase, cue) for cue in taxonomy.cues())


def find_issue_hits(
    sent: Span, taxonomy: Taxonomy | None = None, issues: Iterable[str] | None = None
) -> list[IssueHit]:
    """One hit per issue mention; overlapping cues of one issue merge into the most specific.

    A valued cue beats an unvalued one, a longer cue a shorter one, and a sub-issue found by
    any overlapping cue is kept, so "lifting of all Western sanctions" is one sanctions/relief
    hit at 100 rather than three hits.
    """
    taxonomy = taxonomy or load_taxonomy()
    allowed = set(issues) if issues is not None else None
    matches = [
        m for m in _index(taxonomy).find_in(sent) if allowed is None or m.payload.issue in allowed
    ]
    groups: list[list] = []
    for match in sorted(matches, key=lambda m: (m.payload.issue, m.start)):
        cue: Cue = match.payload
        group = groups[-1] if groups else None
        if (
            group
            and group[0].payload.issue == cue.issue
            and match.start < max(m.end for m in group)
        ):
            group.append(match)
        else:
            groups.append([match])
    hits = []
    for group in groups:
        best = max(group, key=lambda m: (m.payload.value is not None, m.end - m.start))
        sub = best.payload.sub_issue or next(
            (m.payload.sub_issue for m in group if m.payload.sub_issue), None
        )
        hits.append(
            IssueHit(
                issue=best.payload.issue,
                sub_issue=sub,
                start=sent.start + min(m.start for m in group),
                end=sent.start + max(m.end for m in group),
                phrase=best.phrase,
                value=best.payload.value,
                binary=best.payload.binary,
            )
        )
    return sorted(hits, key=lambda h: h.start)
