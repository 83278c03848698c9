from detente.nlp.pipeline import _runs, parse_documents
from detente.nlp.sentences import Sentence, split_sentences


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


def keep_all_but_weather(sentence: Sentence) -> bool:
    return "weather" not in {t.lower() for t in sentence.tokens}


def test_adjacent_kept_sentences_keep_the_splitters_boundaries(nlp):
    text = (
        "Talks resume in Geneva\n\n"
        'Russia said on Friday it would "not accept" the plan." '
        "Ukraine rejected the demands. The weather was mild. Both sides met again."
    )
    doc = next(parse_documents(nlp, [text], keep=keep_all_but_weather))
    assert doc.text == text
    assert [s.text.strip() for s in doc.sents] == [s.text for s in split_sentences(text)]
    assert [bool(s.root.pos_) for s in doc.sents] == [True, True, True, False, True]


def test_runs_join_only_after_a_full_stop():
    chunks = [
        ("Title\n\n", True, False),
        ("One. ", True, True),
        ("Two. ", True, True),
        ("Skip. ", False, True),
        ("Three.", True, True),
    ]
    assert _runs(chunks) == [
        ("Title\n\n", True, [0]),
        ("One. Two. ", True, [0, 5]),
        ("Skip. ", False, [0]),
        ("Three.", True, [0]),
    ]
