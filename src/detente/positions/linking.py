"""Linking speech acts to the issue phrases they govern.

An issue cue counts only when a speech act governs it in the parse (or, failing that,
stands close before it in the same clause); precondition markers ("for talks to take
place, X must …") split a sentence into the condition and what it conditions.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from detente.positions.cues import CueLexicon
from detente.positions.issue_hits import IssueHit
from detente.positions.speech_acts import ActHit, PreconditionMarker

LINEAR_WINDOW = 12
MAX_ANCESTOR_HOPS = 6
CONDITION_WORDS = {"condition", "precondition", "prerequisite"}
MATERIAL_ACTS = {"implement", "sign", "violate"}
ASKING_ACTS = {"demand", "propose"}
"""Acts whose complement states what is asked for: "demanded that Ukraine *accept* limits"."""
OBJECT_DEPS = {"dobj", "nsubjpass", "attr", "xcomp", "ccomp", "oprd", "dative", "compound"}


def in_precondition(hit: IssueHit, marker: PreconditionMarker | None) -> bool:
    return marker is not None and hit.start in marker.clause


def acts_outside(acts: list[ActHit], marker: PreconditionMarker | None) -> list[ActHit]:
    return [a for a in acts if marker is None or a.trigger.i not in marker.clause]


def split_by_marker(
    hits: list[IssueHit], marker: PreconditionMarker | None
) -> tuple[list[IssueHit], list[IssueHit]]:
    """(goal hits, hits that are positions in their own right) for a precondition sentence."""
    if marker is None:
        return [], hits
    inside = [h for h in hits if in_precondition(h, marker)]
    outside = [h for h in hits if not in_precondition(h, marker)]
    if marker.kind == "goal":
        return inside, outside
    return outside, hits


def announced_goal(sent: Span, hits: list[IssueHit]) -> str | None:
    """ "Moscow has set conditions for peace talks." makes the next sentence's demands
    preconditions for talks."""
    goal = next((h.issue for h in hits if h.issue in {"talks", "ceasefire", "agreement"}), None)
    if goal is not None and any(t.lemma_.lower() in CONDITION_WORDS for t in sent):
        return goal
    return None


def link(
    sent: Span, hit: IssueHit, acts: list[ActHit], lexicon: CueLexicon
) -> tuple[ActHit, bool, bool] | None:
    """``(act, flipped, syntactic)``: the act the issue phrase hangs from — a trigger inside
    the phrase or among its nearest ancestors (syntactic link), else the closest trigger just
    before it in the same clause (no new subject between them). ``flipped`` when a refusal
    was lifted into a demand above it. A material act (implement, sign, violate) links only
    to what it acts on."""
    by_token = {a.trigger.i: a for a in acts}
    for token in hit.tokens(sent):
        if token.i in by_token:
            return (*stance_above(by_token[token.i], by_token), True)
    below = hit.head(sent)
    for hops, ancestor in enumerate(below.ancestors):
        if hops >= MAX_ANCESTOR_HOPS:
            break
        if ancestor.i in by_token:
            act = by_token[ancestor.i]
            if act.act in MATERIAL_ACTS and not acted_on(below, lexicon):
                return None
            act, flipped = stance_above(act, by_token)
            return act, flipped, True
        below = ancestor
    before = [a for a in acts if 0 < hit.start - a.trigger.i <= LINEAR_WINDOW]
    for act in sorted(before, key=lambda a: -a.trigger.i):
        between = sent.doc[act.trigger.i : hit.start]
        if act.act in MATERIAL_ACTS or any(
            t.text in {";", ":"} or t.dep_ in {"nsubj", "nsubjpass"} for t in between[1:]
        ):
            continue
        return act, False, False
    return None


def acted_on(child: Token, lexicon: CueLexicon) -> bool:
    """Whether ``child`` (the trigger's dependent on the way to the issue phrase) is what a
    material act acts on rather than an adjunct ("in a UAE-brokered deal")."""
    if child.dep_ in OBJECT_DEPS:
        return True
    return child.dep_ in {"prep", "prt"} and child.lower_ in lexicon.material_preps


def stance_above(act: ActHit, by_token: dict[int, ActHit]) -> tuple[ActHit, bool]:
    """An action verb inside a stance verb's clause ("Russia demanded that Ukraine
    *withdraw*", "Russia offered to *return* …") states what is asked or offered; the stance
    verb above it carries the position. So does an acceptance or refusal demanded of another
    ("demanded that Ukraine *accept* limits"), where a refusal turns the demand around."""
    if act.act in MATERIAL_ACTS:
        for hops, ancestor in enumerate(act.trigger.ancestors):
            if hops >= MAX_ANCESTOR_HOPS:
                break
            above = by_token.get(ancestor.i)
            if above is not None and above.act not in MATERIAL_ACTS:
                return above, False
        return act, False
    child = act.trigger
    for hops, ancestor in enumerate(act.trigger.ancestors):
        if hops >= MAX_ANCESTOR_HOPS:
            break
        above = by_token.get(ancestor.i)
        if above is not None:
            asked = child.dep_ in {"ccomp", "xcomp"} and above.act in ASKING_ACTS
            if asked and above.source != "modal" and not crosses_clauses(act, above):
                return above, act.act == "reject"
            break
        child = ancestor
    return act, False


def crosses_clauses(a: ActHit, b: ActHit) -> bool:
    """Whether a ";" separates two acts: list-like declarations the parser chains together."""
    low, high = sorted((a.trigger.i, b.trigger.i))
    return any(t.text == ";" for t in a.trigger.doc[low:high])
