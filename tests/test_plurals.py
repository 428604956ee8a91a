"""Counted nouns read right everywhere: 1 answer, 2 answers, never 1 answers."""

from layout_helpers import YES, advice_for, box

from advisor.domain.words import plural
from advisor.layout.explain import render_layout
from advisor.layout.summary import describe_counts


def test_one_takes_the_singular_and_other_counts_the_plural():
    assert [plural(n, "answer") for n in (0, 1, 2)] == ["0 answers", "1 answer", "2 answers"]
    assert plural(1, "pair is", "pairs are") == "1 pair is"
    assert plural(3, "pair is", "pairs are") == "3 pairs are"


def test_the_counts_line_says_one_answer_and_one_question():
    numbers = {"questions asked": 1, "answers given": 1, "answers inferred": 1, "pods": 2}
    text = describe_counts(numbers)
    assert text == "1 question asked, 1 answer given, 1 answer inferred, 2 pods"


def test_the_layout_explanation_counts_one_pod_and_one_tension_in_the_singular(tmp_path):
    advice = advice_for(tmp_path, [box("a"), box("b")], {"a + b": YES})
    assert render_layout(advice).splitlines()[0] == "demo: 1 pod, 0 tensions, 0 pairs unanswered"
