"""Stance, scale value, commitment and modality of one position.

Stance is always read against the *100 end* of the issue's (or sub-issue's) scale, so that
positions of different actors on one issue can be compared: a value cue says where the
phrase sits; the speech act says whether the holder is for or against that phrase.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from detente.coding.models import Modality
from detente.positions.cues import COMMITMENT_ORDER, CueLexicon
from detente.positions.frames import frames_conjecture
from detente.positions.issue_hits import IssueHit
from detente.positions.taxonomy import Scale

REPORTING_STOPS = {"say", "state", "declare", "announce", "tell", "claim", "report", "write"}
FAVOR_FROM = 60
AGAINST_UNTIL = 40


@dataclass(frozen=True)
class Placement:
    stance: str
    position: float | None
    anchor_label: str | None


def stance_of_value(value: float) -> str:
    if value >= FAVOR_FROM:
        return "favor"
    if value <= AGAINST_UNTIL:
        return "against"
    return "conditional"


def _opposite(stance: str) -> str:
    return {"favor": "against", "against": "favor"}.get(stance, "neutral")


def place(act: str, hit: IssueHit, scale: Scale, lexicon: CueLexicon) -> Placement:
    """Where the holder stands. Rejecting a phrase only yields a value when the phrase is
    binary (rejecting "join NATO" is the no-membership pole; rejecting "phased relief" says
    nothing about which way the holder would go)."""
    value = hit.value
    if value is None:
        if act in lexicon.against_acts:
            stance = "against"
        elif act in lexicon.favor_acts:
            stance = "favor"
        else:
            stance = "conditional"
        return Placement(stance, None, None)
    if act in lexicon.against_acts:
        position = 100 - value if hit.binary else None
        stance = _opposite(stance_of_value(value))
    else:
        position, stance = value, stance_of_value(value)
    return Placement(stance, position, scale.label_for(position) if position is not None else None)


def _own_clause(trigger: Token) -> list[Token]:
    """The trigger's subtree without coordinated or adverbial clauses, which state other acts."""
    skipped = set()
    for child in trigger.children:
        if child.dep_ in {"conj", "cc", "parataxis", "advcl"}:
            skipped |= {t.i for t in child.subtree}
    return [t for t in trigger.subtree if t.i not in skipped]


def commitment_of(trigger: Token, act: str, lexicon: CueLexicon) -> str:
    """The firmest commitment cue in the act's own clause; a signing is always ``signed``."""
    if act == "sign":
        return "signed"
    levels = {m.payload for m in lexicon.commitment.find(_own_clause(trigger))}
    if act in {"demand", "reject", "precondition", "threaten"}:
        levels.discard("signalled")
    return max(levels | {"rhetorical"}, key=COMMITMENT_ORDER.index)


def _chain(trigger: Token, top: Token) -> list[Token]:
    """Tokens from the trigger up along the heads: through ``top`` (the holder's verb) and on
    to the root, stopping at a verb of saying, whose own modality qualifies the report, not
    the position ("could be assured that Ukraine won't …" is hypothetical)."""
    chain, current = [trigger], trigger
    while current.head != current and len(chain) < 10:
        current = current.head
        if current.lemma_.lower() in REPORTING_STOPS:
            break
        chain.append(current)
    return chain


def _backshifted(token: Token, modals: set[str]) -> bool:
    """ "He said he would meet X": a reported "will", not a hypothetical."""
    head = token.head
    return (
        modals == {"would"}
        and token.dep_ == "ccomp"
        and head.tag_ == "VBD"
        and (head.lemma_.lower() in {"say", "state", "announce", "declare", "tell", "confirm"})
    )


def _modals(token: Token) -> set[str]:
    """The token's auxiliaries, and theirs: the parser hangs "could" off "be" in "could be
    assured"."""
    found = set()
    for child in token.children:
        if child.dep_ == "aux":
            found.add(child.lower_)
        if child.dep_ in {"aux", "auxpass"}:
            found |= {g.lower_ for g in child.children if g.dep_ == "aux"}
    return found


def position_modality(
    coder_modality: Modality,
    trigger: Token,
    holder_verb: Token | None,
    *,
    absorbed: set[str],
    lexicon: CueLexicon,
    holder: Token | None = None,
) -> Modality:
    """The coder's modality, adjusted for what a *position* is.

    ``absorbed`` names the coder labels that the act itself explains: a negation that produced
    a ``reject`` ("won't join") or a "must" that produced a demand is the stance itself, and a
    statement the holder makes in their own voice ("Hegseth declared …") is not second-hand;
    such positions are asserted. A "would"/"could" anywhere between the stance verb and its
    holder makes the position hypothetical even when the coder's walk stopped earlier, and an
    evaluative frame above it ("it's unrealistic to imagine that …") makes it speculative.
    """
    chain = _chain(trigger, holder_verb or trigger)
    if frames_conjecture(chain, holder, lexicon):
        return "speculative"
    for token in chain:
        modals = _modals(token)
        explained = token is trigger and "hypothetical" in absorbed
        if (
            modals & lexicon.hypothetical_modals
            and not _backshifted(token, modals)
            and not explained
        ):
            return "hypothetical"
        if modals & lexicon.speculative_modals:
            return "speculative"
    return "asserted" if coder_modality in absorbed else coder_modality
