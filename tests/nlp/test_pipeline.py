from detente.nlp.pipeline import parse_documents
from detente.nlp.sentences import Sentence


def keep_triggers(sentence: Sentence) -> bool:
    return any(t.lower() in {"exchanged", "threatened"} for t in sentence.tokens)


TEXTS = [
    "Russia and Ukraine exchanged prisoners on Friday.\n\n"
    "The weather in Kyiv was mild. Putin threatened Kyiv.",
    "",
    "Nothing happened here at all.",
]


def test_reassembled_doc_reproduces_the_text_exactly(nlp):
    docs = list(parse_documents(nlp, TEXTS, keep=keep_triggers))
    assert [d.text for d in docs] == TEXTS


def test_only_prefiltered_sentences_are_parsed(nlp):
    doc = next(parse_documents(nlp, TEXTS[:1], keep=keep_triggers))
    sents = list(doc.sents)
    assert len(sents) == 3
    parsed = [bool(s.root.pos_) for s in sents]
    assert parsed == [True, False, True]
    assert sents[2].root.lemma_ == "threaten"


def test_without_prefilter_everything_is_parsed(nlp):
    doc = next(parse_documents(nlp, TEXTS[:1], keep=None))
    assert all(s.root.pos_ for s in doc.sents)
