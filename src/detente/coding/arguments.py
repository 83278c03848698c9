"""Actor and recipient of an event, read off the dependency parse around its trigger.

The rules follow English argument structure rather than individual verbs: the
subject of the trigger's clause is the actor (inherited through "agreed to …" chains),
passives swap in the ``by``-agent, and the recipient is the object or the object of a
directional preposition. Noun phrases are resolved with the actor dictionary;
pronouns and "the two countries" fall back on actors seen earlier in the paragraph.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from spacy.tokens import Span, Token

from detente.coding.models import ActorRef

SUBJECT_DEPS = {"nsubj", "csubj", "expl"}
PASSIVE_SUBJECT_DEPS = {"nsubjpass", "csubjpass"}
RECIPIENT_PREPS = {
    "to",
    "with",
    "against",
    "on",
    "upon",
    "from",
    "toward",
    "towards",
    "at",
    "into",
    "for",
    "between",
}
LOCATIVE_PREPS = {"in", "inside", "near", "across"}
THEME_PREPS = RECIPIENT_PREPS | {"of"}
OBJECT_HEAD_DEPS = {"dobj", "obj"}
COMPLEMENT_SUBJECT_TYPES = {"REQUEST", "ACCUSE"}
"""Types whose addressee is the subject of their clause: "demanded that Ukraine withdraw"."""
POSSESSIVE_PRONOUNS = {"its", "their", "his", "her"}
PERSONAL_PRONOUNS = {"he", "she", "him", "her", "his"}
PHRASE_CUT_DEPS = {"relcl", "acl", "advcl", "appos", "punct", "cc", "conj", "ccomp", "xcomp"}
PRONOUNS = {"he", "she", "it", "they", "him", "her", "them", "its", "their", "his", "we", "i"}
GROUP_REFERENCES = (
    "two countries",
    "two sides",
    "both sides",
    "both countries",
    "two nations",
    "two neighbours",
    "two neighbors",
    "two leaders",
    "both parties",
)
MAX_PHRASE_TOKENS = 14

Resolver = Callable[[str, date | None], ActorRef | None]


def phrase(head: Token) -> Span:
    """The noun phrase headed by ``head``, without relative clauses and appositions."""
    tokens = [head]
    stack = list(head.children)
    while stack:
        child = stack.pop()
        if child.dep_ in PHRASE_CUT_DEPS:
            continue
        tokens.append(child)
        stack.extend(child.children)
    tokens.sort(key=lambda t: t.i)
    start, end = tokens[0].i, tokens[-1].i + 1
    if end - start > MAX_PHRASE_TOKENS:
        start, end = max(head.i - MAX_PHRASE_TOKENS + 3, start), min(head.i + 3, end)
    span = head.doc[start:end]
    while len(span) > 1 and (
        span[0].is_punct or span[0].is_space or span[0].dep_ in {"det", "case"}
    ):
        span = span[1:]
    while len(span) > 1 and (span[-1].is_punct or span[-1].is_space):
        span = span[:-1]
    return span


def clause_subject(token: Token) -> list[Token]:
    """Subject heads of the trigger's clause, climbing through the chains that share a subject.

    Infinitive and participle complements, coordinated verbs, purpose clauses and
    objects of light verbs ("launched a mediation effort") take the subject of the
    verb above them; a participle modifying a noun ("a declaration demanding …")
    takes that noun when it is not itself an object.
    """
    current = token
    for _ in range(8):
        subjects = [c for c in current.children if c.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS]
        if subjects:
            head = subjects[0]
            return [head, *[c for c in head.conjuncts if c.dep_ == "conj"]]
        dep = current.dep_
        if dep == "acl" and current.head.dep_ not in {"dobj", "attr", "pobj", "compound"}:
            return [current.head]
        if dep in {
            "xcomp",
            "conj",
            "acomp",
            "dobj",
            "attr",
            "pcomp",
            "oprd",
            "advcl",
            "compound",
            "acl",
        }:
            current = current.head
            continue
        if dep == "pobj" and current.head.dep_ == "prep":
            current = current.head.head
            continue
        if dep == "prep" and current.head.pos_ in {"VERB", "AUX", "NOUN"}:
            current = current.head  # "… by making an offer": the means shares the subject
            continue
        break
    return []


def modifier_actors(token: Token) -> list[Token]:
    """Actors named inside an event noun: "Palestinian riots", "Russia's offensive"."""
    if token.pos_ not in {"NOUN", "PROPN"}:
        return []
    return [
        c
        for c in token.children
        if c.dep_ in {"amod", "compound", "poss", "nmod"} and c.i < token.i
    ]


def passive_parts(
    token: Token, stative: frozenset[str] = frozenset()
) -> tuple[list[Token], list[Token]]:
    """(agents, patients) when the trigger is passive, else two empty lists.

    Adjectival passives ("Israel is opposed to …", "is committed to") describe their
    subject's own stance, so ``stative`` lemmas without a ``by`` agent stay active.
    """
    if token.lemma_.lower() in stative and not any(c.dep_ == "agent" for c in token.children):
        return [], []
    patients = [c for c in token.children if c.dep_ in PASSIVE_SUBJECT_DEPS]
    if not patients and not any(c.dep_ == "auxpass" for c in token.children):
        return [], []
    agents = [
        g for c in token.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"
    ]
    agents = [a for head in agents for a in (head, *head.conjuncts)]
    patients = [p for head in patients for p in (head, *head.conjuncts)]
    return agents, patients


def recipient_heads(
    token: Token, actor_heads: Sequence[Token], complement_subjects: bool = False
) -> list[Token]:
    """Objects and directional prepositional objects of the trigger (or of its noun).

    With ``complement_subjects`` the subject of a clausal complement is the addressee
    ("demanded that Ukraine withdraw"); for other verbs it is the doer of the embedded act.
    """
    heads: list[Token] = []
    for child in token.children:
        if child.dep_ in {"dobj", "obj", "dative"}:
            heads.append(child)
        elif child.dep_ in {"prep", "dative"} and child.lower_ in RECIPIENT_PREPS:
            heads.extend(g for g in child.children if g.dep_ == "pobj")
        elif complement_subjects and child.dep_ in {"ccomp", "xcomp"}:
            heads.extend(g for g in child.children if g.dep_ in SUBJECT_DEPS)
    if token.pos_ in {"NOUN", "ADJ"} and token.head.pos_ in {"VERB", "AUX"}:
        for child in token.head.children:
            if child.dep_ == "prep" and child.lower_ in RECIPIENT_PREPS and child.i > token.i:
                heads.extend(g for g in child.children if g.dep_ == "pobj")
    expanded: list[Token] = []
    for head in heads:
        for t in (head, *head.conjuncts):
            if t not in actor_heads and t not in expanded:
                expanded.append(t)
    return expanded


def conditional_subjects(trigger: Token) -> list[Token]:
    """The party a condition is put to: "… unless Israel rescinds", "… if the US goes ahead"."""
    heads = []
    for token in (trigger, *[c for c in trigger.children if c.dep_ in {"xcomp", "ccomp"}]):
        for clause in (c for c in token.children if c.dep_ == "advcl"):
            if any(m.lower_ in {"if", "unless"} for m in clause.children if m.dep_ == "mark"):
                heads.extend(c for c in clause.children if c.dep_ in SUBJECT_DEPS)
    return heads


def theme_targets(theme: Token) -> list[Token]:
    """Parties named inside the theme: "summoned *Niger's* ambassador", "a protest with
    *Albania*", "the blockade of *Serbia*", "a visit to *Haiti*"."""
    heads = [c for c in theme.children if c.dep_ == "poss"]
    for prep in (c for c in theme.children if c.dep_ == "prep" and c.lower_ in THEME_PREPS):
        heads.extend(g for g in prep.children if g.dep_ == "pobj")
    return heads


def locative_heads(trigger: Token) -> list[Token]:
    """Where an event with no addressee happened ("imposed a curfew in Cizre", "arrived in
    Amman"): PLOVER codes the host or the place's country as recipient."""
    heads = []
    for token in (trigger, *[c for c in trigger.children if c.dep_ in OBJECT_HEAD_DEPS]):
        for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ in LOCATIVE_PREPS):
            heads.extend(g for g in prep.children if g.dep_ == "pobj")
    return heads


class ArgumentReader:
    """Resolves the actor and recipient of triggers within one document.

    It keeps the actors met so far: those of the current paragraph answer pronouns,
    those of the whole document answer "the two sides".
    """

    def __init__(
        self,
        resolve: Resolver,
        on: date | None,
        stative: frozenset[str] = frozenset(),
        mentions: Callable[[Sequence[str]], list] | None = None,
    ):
        self.resolve = resolve
        self.on = on
        self.stative = stative
        self.mentions = mentions
        self.recent: list[ActorRef] = []
        self.document: list[ActorRef] = []
        self.parties: list[ActorRef] = []
        """Actors of the document's events so far: the first answer to "the two sides"."""

    def new_paragraph(self) -> None:
        self.recent.clear()

    def remember(self, refs: Sequence[ActorRef]) -> None:
        for ref in refs:
            if ref.code:
                self.recent.append(ref)
                self.document.append(ref)
        del self.recent[:-8]
        del self.document[:-16]

    def remember_parties(self, refs: Sequence[ActorRef]) -> None:
        self.parties.extend(r for r in refs if r.code)
        del self.parties[:-8]

    def refs(self, heads: Sequence[Token]) -> list[ActorRef]:
        found: list[ActorRef] = []
        for head in heads:
            for ref in self._resolve_head(head):
                if not any(r.code == ref.code and r.text == ref.text for r in found):
                    found.append(ref)
        return found

    def _resolve_head(self, head: Token) -> list[ActorRef]:
        span = phrase(head)
        if head.lower_ in PRONOUNS and len(span) <= 2:
            ref = self._antecedent(head)
            return [ref] if ref else []
        if any(g in _with_determiners(head) for g in GROUP_REFERENCES):
            return []
        coordinated = self._coordinated_modifiers(head)
        if coordinated:
            return coordinated
        ref = self.resolve(span.text, self.on)
        if ref is None or not (ref.code or ref.sector):
            return []
        if not ref.code:
            owner = next(
                (c for c in head.children if c.dep_ == "poss" and c.lower_ in POSSESSIVE_PRONOUNS),
                None,
            )
            antecedent = self._antecedent(owner) if owner is not None else None
            if antecedent is not None:
                ref = ActorRef(
                    text=ref.text, code=antecedent.code, sector=ref.sector, name=ref.name
                )
        return [ref]

    def _coordinated_modifiers(self, head: Token) -> list[ActorRef]:
        """ "Russian and Ukrainian delegations" → one actor per coordinated modifier."""
        for child in head.children:
            if child.dep_ in {"amod", "compound"} and any(c.dep_ == "conj" for c in child.children):
                refs = []
                for modifier in (child, *child.conjuncts):
                    ref = self.resolve(f"{modifier.text} {head.text}", self.on)
                    if ref is not None and ref.code:
                        refs.append(ref)
                return refs
        return []

    def group_reference(self, head: Token) -> list[ActorRef]:
        """'the two countries' → the last two distinct coded actors (paragraph, then document)."""
        if not any(g in _with_determiners(head) for g in GROUP_REFERENCES):
            return []
        for pool in (self.parties, self.recent, self.document):
            distinct: list[ActorRef] = []
            for ref in reversed(pool):
                if ref.code and all(ref.code != d.code for d in distinct):
                    distinct.append(ref)
                if len(distinct) == 2:
                    return list(reversed(distinct))
        return []

    def _antecedent(self, pronoun: Token) -> ActorRef | None:
        """The subject of a verb governing the pronoun ("Syria says it …"), else a recent actor.

        "he"/"she" prefer people (refs with a personal name); "it"/"they" prefer the rest.
        """
        for ancestor in pronoun.head.ancestors if pronoun.head.i != pronoun.i else ():
            subjects = [
                c for c in ancestor.children if c.dep_ in SUBJECT_DEPS and c.lower_ not in PRONOUNS
            ]
            if subjects:
                ref = self.resolve(phrase(subjects[0]).text, self.on)
                if ref is not None and ref.code:
                    return ActorRef(
                        text=pronoun.text, code=ref.code, sector=ref.sector, name=ref.name
                    )
        personal = pronoun.lower_ in PERSONAL_PRONOUNS
        candidates = [r for r in reversed(self.recent) if r.code]
        preferred = [r for r in candidates if _is_person(r) == personal] or candidates
        if not preferred:
            return None
        ref = preferred[0]
        return ActorRef(text=pronoun.text, code=ref.code, sector=ref.sector, name=ref.name)

    def read(
        self,
        trigger: Token,
        event_type: str = "",
        theme: Token | None = None,
        locative: bool = False,
    ) -> tuple[list[ActorRef], list[ActorRef]]:
        """Actors and recipients of the event the trigger names.

        ``theme`` is the object that made a lexicon entry fire ("sent *aid*", "fired
        *missiles*"): a thing, never a recipient. ``locative`` lets the place of the event
        stand in as recipient when nothing else does (PLOVER codes the host of a visit,
        the country of a curfew).
        """
        agents, patients = passive_parts(trigger, self.stative)
        if agents or patients:
            actor_heads, recipient = agents, patients
        else:
            actor_heads = clause_subject(trigger)
            recipient = recipient_heads(
                trigger, actor_heads, event_type in COMPLEMENT_SUBJECT_TYPES
            )
        if theme is not None:
            themes = {t.i for t in (theme, *theme.conjuncts)}
            recipient = [h for h in recipient if h.i not in themes] + theme_targets(theme)
        actors = self._with_groups(actor_heads)
        if not actors:
            actors = self.refs(modifier_actors(trigger))
        if not actors and not agents and not patients and trigger.pos_ == "VERB":
            actors = self._preceding_mention(trigger)
        recipients = self._recipients(recipient, actors)
        complement = trigger
        for _ in range(2):
            if recipients:
                break
            complement = next(
                (c for c in complement.children if c.dep_ in {"xcomp", "ccomp"}), None
            )
            if complement is None:
                break
            recipients = self._recipients(recipient_heads(complement, actor_heads), actors)
        if not recipients:
            recipients = self._recipients(conditional_subjects(trigger), actors)
        if not recipients and locative:
            recipients = self._recipients(locative_heads(trigger), actors)
        return actors, recipients

    def _recipients(self, heads: Sequence[Token], actors: list[ActorRef]) -> list[ActorRef]:
        """Resolved recipients, minus repeats of the actor and pronouns pointing back at it."""
        actor_codes = {a.code for a in actors}
        kept = []
        for ref in self._with_groups(heads):
            if any(ref.text == a.text for a in actors):
                continue
            if ref.text.lower() in PRONOUNS and ref.code in actor_codes:
                continue
            kept.append(ref)
        return kept

    def _preceding_mention(self, trigger: Token) -> list[ActorRef]:
        """When the parse gives no subject, the first actor named before the trigger.

        English puts the subject first; parser errors usually attach the verb to the
        nearest noun instead, which is why the first mention is the better guess.
        """
        if self.mentions is None:
            return []
        sent = trigger.sent
        tokens = [t.text for t in sent[: trigger.i - sent.start]]
        found = [m for m in self.mentions(tokens) if m[2].code]
        if not found:
            return []
        start, end, entry = found[0]
        return [
            ActorRef(
                text=" ".join(tokens[start:end]),
                code=entry.code,
                sector=entry.sector,
                name=entry.name,
            )
        ]

    def _with_groups(self, heads: Sequence[Token]) -> list[ActorRef]:
        refs: list[ActorRef] = []
        for head in heads:
            group = self.group_reference(head)
            refs.extend(group if group else self.refs([head]))
        return refs


def _with_determiners(head: Token) -> str:
    """The phrase text from its left edge, keeping "both"/"the two" that ``phrase`` drops."""
    return head.doc[head.left_edge.i : head.i + 1].text.lower()


def _is_person(ref: ActorRef) -> bool:
    return bool(ref.name) and " " in ref.name
