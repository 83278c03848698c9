"""Negotiation positions from a parsed document: actor × issue × stance, with evidence.

A position needs three things in one sentence: an issue cue (``data/issues.yml``), a speech
act that the issue phrase hangs from (``data/positions_cues.yml``) and a holder that resolves
to an actor code. Everything else — scale value, conditions, commitment, modality — refines
a position but never creates one, which keeps the output sparse and checkable.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from detente.coding.context import DocumentContext, document_context
from detente.coding.models import ActorRef, Event
from detente.ingest.models import Document
from detente.nlp.headlines import headline_end
from detente.nlp.memo import reading
from detente.nlp.sentences import trimmed
from detente.positions import collaborators
from detente.positions.cues import CueLexicon, load_lexicon
from detente.positions.frames import pressure_frame, renounced
from detente.positions.holders import (
    PRONOUNS,
    Holder,
    coordinated_names,
    holder_for,
    resolve_holder,
    speaker_for,
    subject_of,
)
from detente.positions.issue_hits import IssueHit, find_issue_hits
from detente.positions.linking import (
    acts_outside,
    announced_goal,
    in_precondition,
    link,
    split_by_marker,
)
from detente.positions.models import Condition, Position, PositionEvidence
from detente.positions.process_detect import detect_process
from detente.positions.speech_acts import (
    ActHit,
    PreconditionMarker,
    find_precondition,
    find_speech_acts,
)
from detente.positions.stance import commitment_of, place, position_modality
from detente.positions.taxonomy import Process, Taxonomy, load_process, load_taxonomy


@dataclass
class _DocState:
    """What earlier sentences tell later ones: a pending precondition announced in the
    previous sentence (who "he"/"it" is comes from the document context). Readings of one
    token (its actor, an act's attribution and commitment) live in the document's memo
    (``nlp.memo``): several issue hits of a sentence share an act and holders."""

    pending_goal: str | None = None


@dataclass
class _Context:
    document: Document
    sent: Span
    index: int
    events: list[Event]
    taxonomy: Taxonomy
    lexicon: CueLexicon
    process: Process | None
    state: _DocState
    context: DocumentContext
    body_start: int = 0
    """Document token index where the body starts: a headline is not parsed for positions."""


def code_positions(
    document: Document, parsed: Doc, events: list[Event], process: str | None = None
) -> list[Position]:
    """Every position stated in ``document`` (``parsed`` is its clean text run through spaCy).

    Without ``process``, the process is the one whose belligerents the document names."""
    taxonomy, lexicon = load_taxonomy(), load_lexicon()
    process = process or detect_process(document.clean_text, events)
    proc = load_process(process) if process else None
    by_sentence: dict[int, list[Event]] = defaultdict(list)
    for event in events:
        by_sentence[event.sentence_index].append(event)
    state = _DocState()
    body_start = _body_start(parsed, document)
    on = collaborators.parse_day(document.published)
    context = document_context(parsed, on=on, body_start=body_start)
    positions: list[Position] = []
    for index, sent in enumerate(parsed.sents):
        if sent.end <= body_start:
            continue
        if not sent.root.pos_:
            # A sentence the pre-filter left unparsed has no tree to hang a holder on, so
            # it states no position; like any sentence that sets no goal, it ends a pending one.
            state.pending_goal = None
            continue
        ctx = _Context(
            document,
            sent,
            index,
            by_sentence[index],
            taxonomy,
            lexicon,
            proc,
            state,
            context,
            body_start,
        )
        positions.extend(_sentence_positions(ctx))
    return positions


def _body_start(parsed: Doc, document: Document) -> int:
    """The first token after the headline (a title glued onto the first sentence by the
    sentence splitter would otherwise lend its cues to that sentence)."""
    end = headline_end(document.clean_text)
    if not end:
        return 0
    return next((t.i for t in parsed if t.idx >= end), len(parsed))


def _sentence_positions(ctx: _Context) -> list[Position]:
    sent = ctx.sent
    hits = find_issue_hits(sent, ctx.taxonomy, ctx.process.issues if ctx.process else None)
    hits = [h for h in hits if h.start >= ctx.body_start]
    pending, ctx.state.pending_goal = ctx.state.pending_goal, announced_goal(sent, hits)
    acts = find_speech_acts(sent, ctx.lexicon) if hits else []
    acts = [a for a in acts if a.trigger.i >= ctx.body_start]
    marker = find_precondition(sent, ctx.lexicon) if hits else None
    goal_hits, condition_hits = split_by_marker(hits, marker)
    positions: dict[tuple, tuple] = {}
    for hit in condition_hits:
        linked = link(
            sent,
            hit,
            acts_outside(acts, marker) if in_precondition(hit, marker) else acts,
            ctx.lexicon,
        )
        if linked is None and in_precondition(hit, marker) and marker.kind == "condition":
            linked = _condition_act(sent, marker)
        if linked is None:
            continue
        for position in _positions(
            ctx, hit, *linked, marker=marker, goal_hits=goal_hits, pending_goal=pending
        ):
            _keep(positions, position, abs(hit.start - linked[0].trigger.i))
    kept = [p for _, p in positions.values()]
    firsts = [p for p in kept if p.speech_act == "precondition"]
    for hit in goal_hits if firsts else ():
        _keep(positions, _goal_position(ctx, hit, firsts[0], marker))
    return [p for _, p in positions.values()]


def _condition_act(sent: Span, marker: PreconditionMarker) -> tuple[ActHit, bool, bool] | None:
    """A condition stated without a stance verb ("the deal would only take effect after
    sanctions were lifted") is itself a demand, made by whoever is reported saying it: the
    act sits on the verb the condition clause hangs from."""
    for token in sorted(marker.clause):
        clause_root = sent.doc[token]
        if clause_root.dep_ in {"advcl", "prep"} and clause_root.head.pos_ in {"VERB", "AUX"}:
            anchor = clause_root.head
            return ActHit("demand", anchor, "marker", derived=True), False, False
    return None


def _keep(positions: dict[tuple, tuple], position: Position, distance: int = 0) -> None:
    """One position per issue, sub-issue and actor in a sentence: the most confident, and on a
    tie the one whose issue phrase sits closest to its trigger (usually the verb's object)."""
    key = (position.issue, position.sub_issue, position.actor.code)
    rank = (position.confidence, -distance)
    if key not in positions or rank > positions[key][0]:
        positions[key] = (rank, position)


def _resolve(ctx: _Context, token: Token) -> tuple[ActorRef | None, bool]:
    """The holder's actor and whether it came from the document context (a pronoun)."""
    on = collaborators.parse_day(ctx.document.published)
    process = ctx.process.name if ctx.process else None
    return reading(
        token, ("holder", on, process), lambda: resolve_holder(ctx.context, token, on, process)
    )


def _name(token: Token) -> str:
    doc, left = token.doc, token
    while left.i > 0 and doc[left.i - 1].dep_ == "compound" and doc[left.i - 1].head == token:
        left = doc[left.i - 1]
    return doc[left.i : token.i + 1].text


def _is_person(token: Token) -> bool:
    if token.ent_type_ == "PERSON":
        return True
    return token.pos_ == "PROPN" and not token.ent_type_ and token.lower_ not in PRONOUNS


def _addressee(ctx: _Context, act: ActHit, holder: Holder, actor: ActorRef) -> ActorRef | None:
    candidates: list[Token] = []
    trigger = act.trigger
    if holder.via == "speaker" and (own := subject_of(trigger)) is not None:
        candidates.append(own[0])
    candidates += [c for c in trigger.children if c.dep_ in {"dative", "dobj"}]
    candidates += [
        s
        for c in trigger.children
        if c.dep_ in {"ccomp", "xcomp"}
        for s in c.children
        if s.dep_ == "nsubj"
    ]
    candidates += [
        g
        for c in trigger.children
        if c.dep_ == "prep" and c.lower_ in {"on", "to", "from"}
        for g in c.children
        if g.dep_ == "pobj"
    ]
    for token in candidates:
        if token.lower_ in PRONOUNS:
            continue
        ref, _ = _resolve(ctx, token)
        if ref is not None and ref.code != actor.code:
            return ref
    return None


def _date(ctx: _Context) -> str | None:
    dated = next((e.date for e in ctx.events if e.date_text and e.date), None)
    return dated or (ctx.document.published or "")[:10] or None


def _evidence(sent: Span) -> PositionEvidence:
    span = trimmed(sent)
    return PositionEvidence(sentence=span.text, start=span.start_char, end=span.end_char)


def _position_id(ctx: _Context, issue: str, sub: str | None, code: str, trigger: int) -> str:
    key = f"{ctx.document.doc_id}|{ctx.index}|{issue}|{sub}|{code}|{trigger}"
    return "pos_" + hashlib.sha1(key.encode()).hexdigest()[:16]


def _positions(
    ctx: _Context, hit: IssueHit, act: ActHit, flipped: bool, syntactic: bool, **kw
) -> list[Position]:
    """The position of the holder, repeated for each conjoined holder ("Russia and Ukraine
    signed …", "British and French officials said …"). What a party is pressured to do is
    the presser's demand; a subject that names no actor ("a coalition could send troops")
    leaves the position to the speaker who reported it."""
    pressed = None
    pressure = pressure_frame(act.trigger, ctx.lexicon)
    if pressure is not None:
        against = act.act in ctx.lexicon.against_acts
        act = ActHit(act.act if against else "demand", pressure.verb, "verb")
        pressed = _resolve(ctx, pressure.target)[0] if pressure.target is not None else None
    holder = holder_for(ctx.sent, act, ctx.lexicon)
    if (
        holder is not None
        and holder.via == "subject"
        and not any(_resolve(ctx, token)[0] for token in coordinated_names(holder.token))
    ):
        speaker = speaker_for(ctx.sent, act.trigger, ctx.lexicon)
        holder = Holder(speaker[0], "speaker", speaker[1]) if speaker else None
    if holder is None:
        return []
    found = []
    for token in coordinated_names(holder.token):
        h = Holder(token, holder.via, holder.verb)
        position = _position(ctx, hit, act, flipped, syntactic, h, **kw)
        if position is None or (pressed is not None and position.actor.code == pressed.code):
            continue
        if all(p.actor.code != position.actor.code for p in found):
            found.append(position)
    return found


def _position(
    ctx: _Context,
    hit: IssueHit,
    act: ActHit,
    flipped: bool,
    syntactic: bool,
    holder: Holder,
    *,
    marker: PreconditionMarker | None,
    goal_hits: list[IssueHit],
    pending_goal: str | None,
) -> Position | None:
    actor, from_pronoun = _resolve(ctx, holder.token)
    if actor is None or not actor.code:
        return None
    speech_act, condition_for, conditions = act.act, None, []
    goal = next((g.issue for g in goal_hits if g.issue != hit.issue), None)
    if marker is not None and (goal or marker.kind == "condition"):
        if marker.kind == "goal" or in_precondition(hit, marker):
            speech_act, condition_for = "precondition", goal
        else:
            conditions = [Condition(issue=None, text=marker.text)]
    elif pending_goal and pending_goal != hit.issue and act.act == "demand":
        speech_act, condition_for = "precondition", pending_goal
    scale = (
        ctx.process.scale(ctx.taxonomy, hit.issue, hit.sub_issue)
        if ctx.process
        else ctx.taxonomy[hit.issue].scale_for(hit.sub_issue)
    )
    gives_up = flipped or renounced(hit.head(ctx.sent), act.trigger, ctx.lexicon)
    placed_act = _turned(act.act, ctx.lexicon) if gives_up else act.act
    placement = place(placed_act, hit, scale, ctx.lexicon)
    on = collaborators.parse_day(ctx.document.published)
    pname = ctx.process.name if ctx.process else None
    trigger = act.trigger
    attribution = reading(
        trigger,
        ("attribution of", on, pname),
        lambda: collaborators.attribution_of(ctx.sent, trigger, on, pname),
    )
    modality = position_modality(
        collaborators.modality_of(ctx.sent, trigger),
        act.trigger,
        holder.verb,
        absorbed=_absorbed(act, holder, actor, attribution, ctx.lexicon),
        lexicon=ctx.lexicon,
        holder=holder.token,
    )
    confidence = (
        0.35
        + 0.2 * syntactic
        + 0.1 * (act.source == "verb")
        + 0.1 * (hit.value is not None)
        + 0.05 * (hit.sub_issue is not None)
        + 0.1 * (holder.via != "subject" or act.source == "verb")
        - 0.15 * (act.derived and holder.via == "subject")
        - 0.15 * from_pronoun
    )
    return Position(
        id=_position_id(ctx, hit.issue, hit.sub_issue, actor.code, act.trigger.i),
        doc_id=ctx.document.doc_id,
        process=pname,
        issue=hit.issue,
        sub_issue=hit.sub_issue,
        actor=actor,
        speaker=_name(holder.token) if _is_person(holder.token) else None,
        addressee=_addressee(ctx, act, holder, actor),
        speech_act=speech_act,
        stance=placement.stance,
        position=placement.position,
        anchor_label=placement.anchor_label,
        conditions=conditions,
        condition_for=condition_for,
        commitment=reading(
            trigger, ("commitment", act.act), lambda: commitment_of(trigger, act.act, ctx.lexicon)
        ),
        modality=modality,
        attribution=attribution,
        date=_date(ctx),
        evidence=reading(ctx.sent[0], "sentence evidence", lambda: _evidence(ctx.sent)),
        confidence=round(min(confidence, 0.95), 2),
        event_ids=[e.id for e in ctx.events],
    )


def _turned(act: str, lexicon: CueLexicon) -> str:
    """The act as placed when what it governs is given up: asking for NATO membership to be
    abandoned places like rejecting it."""
    return "accept" if act in lexicon.against_acts else "reject"


def _absorbed(
    act: ActHit, holder: Holder, actor: ActorRef, attribution, lexicon: CueLexicon
) -> set[str]:
    """Coder modality labels that this act explains (see ``stance.position_modality``): a
    modal inside the cue phrase itself ("could send" as an offer) is the offer, not a hedge."""
    absorbed = set()
    if act.act == "reject" or any(c.dep_ == "neg" for c in act.trigger.children):
        absorbed |= {"negated", "future"}
    if act.source == "modal" or set(act.phrase.split()) & lexicon.hypothetical_modals:
        absorbed |= {"hypothetical", "future"}
    if holder.via == "speaker" or (attribution is not None and attribution.code == actor.code):
        absorbed.add("reported")
    return absorbed


def _goal_position(
    ctx: _Context, hit: IssueHit, condition: Position, marker: PreconditionMarker | None
) -> Position:
    """The goal side of a precondition ("for talks to take place …"): same holder, stance
    conditional, the demanded items as its conditions."""
    text = condition.evidence.sentence
    if marker is not None and marker.kind == "condition":
        text = marker.text
    return condition.model_copy(
        update={
            "id": _position_id(ctx, hit.issue, hit.sub_issue, condition.actor.code, hit.start),
            "issue": hit.issue,
            "sub_issue": hit.sub_issue,
            "speech_act": "precondition",
            "stance": "conditional",
            "position": None,
            "anchor_label": None,
            "condition_for": None,
            "conditions": [Condition(issue=condition.issue, text=text)],
            "commitment": condition.commitment,
        }
    )
