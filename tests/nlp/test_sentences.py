from detente.nlp.sentences import split_sentences

TEXT = (
    "Talks resume in Geneva\n\n"
    "Russian and Ukrainian negotiators met in Geneva on Monday. The U.S. envoy joined them.\n"
    "A second round is planned.\n\n"
    "* Territory\n"
    "The most difficult issue is the contact line."
)


def test_offsets_point_back_into_the_text():
    sentences = split_sentences(TEXT)
    for s in sentences:
        assert TEXT[s.start : s.end].replace("\n", " ") == s.text
    assert [s.index for s in sentences] == list(range(len(sentences)))


def test_headline_and_abbreviation_handling():
    texts = [s.text for s in split_sentences(TEXT)]
    assert texts[0] == "Talks resume in Geneva"
    assert "The U.S. envoy joined them." in texts
    assert any(t.startswith("* Territory") for t in texts)


def test_paragraph_numbers_increase():
    sentences = split_sentences(TEXT)
    paragraphs = [s.paragraph for s in sentences]
    assert paragraphs == sorted(paragraphs)
    assert paragraphs[0] < paragraphs[1]


def test_empty_text_has_no_sentences():
    assert split_sentences("") == []
    assert split_sentences("   \n\n ") == []
