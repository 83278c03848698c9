"""Where the arguments of an event sit in a dependency parse.

Pure functions over spaCy tokens, following English argument structure rather than
individual verbs: the subject of the trigger's clause (inherited through "agreed to …"
chains), passive agents and patients, objects and directional prepositional objects,
the party a condition is put to, the place of the event. ``arguments.ArgumentReader``
turns the tokens they return into resolved actors.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Span, Token

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
PHRASE_CUT_DEPS = {"relcl", "acl", "advcl", "appos", "punct", "cc", "conj", "ccomp", "xcomp"}
PRONOUNS = {"he", "she", "it", "they", "him", "her", "them", "its", "their", "his", "we", "i"}
MAX_PHRASE_TOKENS = 14


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
        subject = _gerund_subject(current)
        if subject is not None:
            return [subject, *[c for c in subject.conjuncts if c.dep_ == "conj"]]
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


def _gerund_subject(token: Token) -> Token | None:
    """ "resulted in *Turkey* sending troops", "led to Russia launching …": a gerund right
    after the object of its verb's preposition has that object as its subject (the parser
    leaves the gerund hanging from the verb)."""
    if token.tag_ != "VBG" or token.dep_ not in {"advcl", "acl", "pcomp"} or token.i == 0:
        return None
    before = token.doc[token.i - 1]
    if (
        before.dep_ == "pobj"
        and before.pos_ in {"PROPN", "NOUN"}
        and before.head.dep_ == "prep"
        and before.head.head.i == token.head.i
    ):
        return before
    return None


def modifier_actors(token: Token) -> list[Token]:
    """Actors named inside an event noun: "Palestinian riots", "Russia's offensive", and
    both sides of "clashes/talks between X and Y"."""
    if token.pos_ not in {"NOUN", "PROPN"}:
        return []
    heads = [
        c
        for c in token.children
        if c.dep_ in {"amod", "compound", "poss", "nmod"} and c.i < token.i
    ]
    for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ == "between"):
        for pobj in (g for g in prep.children if g.dep_ == "pobj"):
            heads.extend([pobj, *pobj.conjuncts])
    return heads


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
    reduced = token.dep_ in {"acl", "relcl"} and token.tag_ == "VBN"
    if reduced and not patients and any(c.dep_ == "agent" for c in token.children):
        patients = [token.head]  # "prisoners freed by Venezuela", "the swap, mediated by the UAE"
    elif not patients and not any(c.dep_ == "auxpass" for c in token.children):
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


def absolute_subject(token: Token) -> Token | None:
    """The noun of an absolute "with" construction the parser split off its participle: in
    "concluded with an agreement reached", "reached" hangs on the main verb (often as a
    past tense) and "agreement" on "with"; the noun just before a bare participle is what
    it tells of, and the main clause's subject is not its doer."""
    if token.tag_ not in {"VBN", "VBD"} or token.dep_ != "advcl" or token.i == 0:
        return None
    if any(c.dep_ in {"nsubj", "nsubjpass", "dobj", "obj", "attr"} for c in token.children):
        return None
    noun = top = token.nbor(-1)
    while top.dep_ == "pobj" and top.head.lower_ == "of" and top.head.head.pos_ == "NOUN":
        top = top.head.head  # "with a cessation of hostilities agreement reached"
    if noun.pos_ != "NOUN" or top.dep_ != "pobj" or top.head.lower_ != "with":
        return None
    return noun
