from spacy.pipeline import AttributeRuler

from detente.nlp.attributes import AttributeMatches
from detente.nlp.model import load_model

TEXTS = [
    "Russia and Ukraine exchanged 84 prisoners on Friday, the ministry said.",
    "There is a plan. Y'all gonna wait, ain't it? Let's go, c'mon, gotta see. He gets it.",
    "   \n\n  ",
    "",
]


def test_lookup_finds_the_matchers_matches(nlp):
    stock = load_model(stock=True)
    ruler = stock.get_pipe("attribute_ruler")
    lookup = AttributeMatches.build(ruler)
    assert lookup is not None
    for doc in stock.pipe(TEXTS, disable=["attribute_ruler", "lemmatizer", "ner"]):
        assert lookup(doc) == sorted(set(AttributeRuler.match(ruler, doc)))


def test_pipeline_annotations_are_those_of_the_stock_pipeline(nlp):
    stock = load_model(stock=True)
    assert stock is not nlp
    for ours, theirs in zip(nlp.pipe(TEXTS), stock.pipe(TEXTS), strict=True):
        assert [(t.pos_, str(t.morph), t.lemma_, t.tag_, t.dep_) for t in ours] == [
            (t.pos_, str(t.morph), t.lemma_, t.tag_, t.dep_) for t in theirs
        ]


def test_a_pattern_of_another_shape_leaves_the_ruler_alone():
    ruler = AttributeRuler(load_model(stock=True).vocab)
    ruler.add([[{"TEXT": "x", "OP": "+"}]], {"POS": "X"})
    assert AttributeMatches.build(ruler) is None
