"""PLOVER coding conventions that depend on more than the trigger word.

The lexicon says what a verb means; these rules say how PLOVER codes it in context:
by modality (future cooperation is an AGREE), by participants (a protest by a state is a
diplomatic ACCUSE, violence by a crowd a riot) and by what the trigger embeds (a promise
of violence is a THREATEN). Cue words live in ``data/constructions.yml`` and
``data/event_modes.yml``.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from detente.coding.actors import ActorDictionary
from detente.coding.lexicon import Lexicon
from detente.coding.models import ActorRef
from detente.coding.syntax import clause_subject
from detente.coding.triggers import Trigger, object_lemmas
from detente.nlp.sentences import sentence_words

REFUSABLE = {"AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT"}
REFUSAL_AUXILIARIES = {"will", "would", "wo", "'ll", "shall"}
CONDITIONAL_MARKERS = frozenset({"if", "unless"})
OBSTRUCTION = {"occupy", "block", "blockade", "barricade", "seize"}
"""Crowd actions that obstruct rather than riot (PLOVER PROTEST obstruct)."""
NOT_EXCLUDING = {"rule", "exclude"}
"""Verbs of excluding whose negation keeps an option open: "did not rule out"."""
FUTURE_TO_AGREE = {"CONSULT", "SUPPORT", "COOPERATE", "AID"}
INTENT_TO_THREATEN = {
    "PROTEST": "restrict",
    "SANCTION": "relations",
    "COERCE": "restrict",
    "ASSAULT": "violence",
    "MOBILIZE": "violence",
}
"""Material conflict announced for the future (or conditionally) is a threat, as
future material cooperation is an AGREE."""


class Conventions:
    """Applies the conventions with the project's lexicon, actor dictionary and cues."""

    def __init__(
        self,
        lexicon: Lexicon,
        actors: ActorDictionary,
        crowds: frozenset[str],
        crowd_only: frozenset[str] = frozenset(),
        force_words: frozenset[str] = frozenset(),
    ):
        self.force_words = force_words
        self.lexicon = lexicon
        self.actors = actors
        self.crowds = crowds
        self.crowd_only = crowd_only

    def apply(
        self, trigger: Trigger, modality: str, sent: Span, actors: list[ActorRef]
    ) -> tuple[str, str | None]:
        """PLOVER conventions that depend on modality, participants or embedded acts.

        Future cooperation is an AGREE and a future withdrawal a CONCEDE (manual 3.1, 3.4),
        while a promised release of people is an AGREE;
        material conflict announced for the future, under a condition, or as the object of
        a promise ("vowed to intensify attacks") is a THREATEN; "will not negotiate" is a
        refusal, not a negated meeting; a protest lodged by a state or government is a
        diplomatic ACCUSE, not a street protest (3.12); military moves by several states
        together are COOPERATE (joint exercises), not MOBILIZE.
        """
        entry, token = trigger.entry, trigger.token
        event_type, mode = entry.event_type, entry.mode
        ahead = modality == "future" or (modality == "speculative" and token.tag_ == "VB")
        if ahead and event_type in FUTURE_TO_AGREE:
            # "will sign", "are expected to sign": cooperation ahead is a promise of it.
            return "AGREE", None
        if modality == "future" and event_type == "RETREAT":
            # An announced release is a promise (AGREE); an announced withdrawal concedes.
            return ("AGREE", None) if mode == "release" else ("CONCEDE", mode)
        if (
            event_type == "AGREE"
            and trigger.embedded_mode == "withdraw"
            and entry.lemma in self.lexicon.commitment_verbs
        ):
            # "promised to bring its troops home": announcing a withdrawal is a CONCEDE.
            return "CONCEDE", "withdraw"
        conditional = not CONDITIONAL_MARKERS.isdisjoint(sentence_words(sent))
        if event_type in INTENT_TO_THREATEN and (
            modality in {"future", "hypothetical"} or (modality == "speculative" and conditional)
        ):
            threat_mode = self.mode_from_cues("THREATEN", sent)
            return "THREATEN", threat_mode or INTENT_TO_THREATEN[event_type]
        if event_type == "AGREE" and trigger.embedded_type in INTENT_TO_THREATEN:
            conflict = INTENT_TO_THREATEN[trigger.embedded_type]
            return "THREATEN", self.mode_from_cues("THREATEN", sent) or conflict
        if (
            event_type == "AGREE"
            and entry.lemma in self.lexicon.commitment_verbs
            and self._force_complement(token)
        ):
            # "vowed to continue its military operations": a promise of force threatens.
            return "THREATEN", self.mode_from_cues("THREATEN", sent) or "violence"
        if event_type == "PROTEST" and entry.lemma == "protest" and self._official(actors):
            return "ACCUSE", "disapprove"
        if event_type in {"ASSAULT", "COERCE"} and self._crowd(actors, token):
            return "PROTEST", "obstruct" if entry.lemma in OBSTRUCTION else "riot"
        if entry.lemma in self.crowd_only and not self._crowd(actors, token):
            return "CONSULT", "multilateral"
        if event_type == "CONSULT" and entry.mode == "visit" and not self._visitors(actors):
            return "AID", None
        if (
            event_type == "REJECT"
            and modality == "negated"
            and entry.lemma in NOT_EXCLUDING
            and (trigger.embedded_type in INTENT_TO_THREATEN or self._force_object(token))
        ):
            # "did not rule out military action": keeping force on the table threatens it.
            return "THREATEN", self.mode_from_cues("THREATEN", sent) or "violence"
        if modality == "negated" and event_type in REFUSABLE and _refusal(token):
            return "REJECT", self.mode_from_cues("REJECT", sent)
        if event_type == "COERCE" and mode == "arrest" and self._court(token):
            # "the court jailed the journalist for five years": a sentence, not an arrest.
            return "SANCTION", "convict"
        if event_type == "MOBILIZE" and len({a.code for a in actors if a.code}) > 1:
            return "COOPERATE", None
        if mode is None:
            mode = self.mode_from_cues(event_type, sent)
        return event_type, mode

    def _court(self, token: Token) -> bool:
        subjects = clause_subject(token) if token.pos_ == "VERB" else []
        return any(
            t.lemma_.lower() in self.lexicon.courts and t.dep_ != "nsubjpass" for t in subjects
        ) or any(
            g.lemma_.lower() in self.lexicon.courts
            for c in token.children
            if c.dep_ == "agent"
            for g in c.children
        )

    def _force_object(self, token: Token) -> bool:
        objects = object_lemmas(token)
        return not (objects.direct | objects.prepositional).isdisjoint(self.force_words)

    def _force_complement(self, token: Token) -> bool:
        """Does the promised act, not itself a stopping, take force as its object?"""
        comp = next((c for c in token.children if c.dep_ in {"xcomp", "ccomp"}), None)
        if comp is None or comp.lemma_.lower() in self.lexicon.cessation_verbs:
            return False
        heads = [c for c in comp.children if c.dep_ in {"dobj", "nsubjpass"}]
        return any(h.lemma_.lower() in self.force_words and h.pos_ == "NOUN" for h in heads)

    def _crowd(self, actors: list[ActorRef], token: Token) -> bool:
        """Protesters, rioters, youths: violence by them is a riot (PLOVER PROTEST riot).

        Looks at the resolved actors and at the subject itself, since a crowd often has
        no country code to resolve to ("Youths set cars alight")."""
        words = {w.lower().rstrip("s") for a in actors for w in a.text.split()}
        words |= {t.lemma_.lower() for t in clause_subject(token) if t.dep_ != "nsubjpass"}
        return bool(words & self.crowds)

    @staticmethod
    def _visitors(actors: list[ActorRef]) -> bool:
        """A visit needs people; troops or weapons "arriving" are a delivery (AID)."""
        return any(a.sector not in ("MIL",) and (a.code or a.sector) for a in actors)

    def _official(self, actors: list[ActorRef]) -> bool:
        """States, governments and organisations, as opposed to crowds or civilians.

        "Russia" and "Moscow" are official; "Palestinians" (a plural demonym) and
        "Iranian students" are people.
        """
        if not actors:
            return False
        for ref in actors:
            if ref.sector == "GOV":
                continue
            if ref.sector is not None or not ref.code:
                return False
            words = ref.text.split()
            match = next((m for m in self.actors.find_mentions(words) if m[2].code), None)
            if match is None or match[2].kind not in {"country", "capital", "org"}:
                return False
            last = words[match[1] - 1]
            if last.endswith("s") and last != (match[2].name or "").split()[-1]:
                return False
        return True

    def mode_from_cues(self, event_type: str, sent: Span) -> str | None:
        cues = self.lexicon.mode_cues.get(event_type)
        if not cues:
            return None
        lemmas = sentence_words(sent)
        return next((mode for mode, words in cues.items() if lemmas & words), None)


def _refusal(token: Token) -> bool:
    """'will not / would not / won't' + verb, or 'no intention / no plans to' (an intent
    noun with "no"): an announced refusal rather than a non-event."""
    children = list(token.children)
    if token.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ == "no" for c in children):
        # "there will be no talks" refuses them; "there were no discussions" only reports.
        head = token.head
        return not (head.lemma_ == "be" and head.tag_ in {"VBD", "VBN"})
    return any(c.dep_ == "neg" for c in children) and any(
        c.dep_ == "aux" and c.lower_ in REFUSAL_AUXILIARIES for c in children
    )
