"""The questionnaire in exhaustive mode (pair by pair): which question comes next, what facts
settle, and honest progress."""

import itertools

from helpers import QUESTIONS, container, inventory_dict
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.domain.model import Answer, Pair, Source
from advisor.engine.questionnaire import Questionnaire, Verdict
from advisor.formats.answers import dump_answers, load_answers
from advisor.formats.inventory import inventory_from_data
from advisor.formats.rules import load_rules


def make_inventory(*containers, node=None):
    return inventory_from_data(inventory_dict(*containers, node=node), "app.yaml")


def three(node=None, **extra):
    return make_inventory(
        container("web", **extra.get("web", {})),
        container("proxy", **extra.get("proxy", {})),
        container("db", **extra.get("db", {})),
        node=node,
    )


def Q(inventory, rules, answers=None):
    """The pair-by-pair questionnaire (``ask --exhaustive``)."""
    return Questionnaire(inventory, rules, answers, exhaustive=True)


def run(questionnaire, decide=lambda step: True):
    """Answer until done; return the (pair, question id) asked, in order."""
    asked = []
    while (step := questionnaire.next_step()) is not None:
        asked.append((step.pair, step.question.id))
        questionnaire.answer(step, decide(step))
    return asked


def test_questions_come_pair_by_pair_in_inventory_order(rules):
    asked = run(Q(three(), rules))
    pairs = [Pair.of("web", "proxy"), Pair.of("web", "db"), Pair.of("proxy", "db")]
    assert [pair for pair, _ in asked] == [pair for pair in pairs for _ in QUESTIONS]
    for pair in pairs:
        assert sorted(q for p, q in asked if p == pair) == sorted(QUESTIONS)


def test_step_names_the_pair_in_inventory_order(rules):
    # Pair.of sorts the names ("db" < "web"); the user reads them as the inventory lists them.
    settled = {Pair.of("web", "proxy"): {"same_host": Answer(False)}}
    step = Q(three(), rules, settled).next_step()
    assert step.pair == Pair.of("web", "db")
    assert step.members == ("web", "db")
    assert step.text().index("web") < step.text().index("db")


def test_never_asks_a_question_already_answered(rules):
    given_answers = {
        Pair.of("web", "proxy"): {"same_host": Answer(True), "unified_whole": Answer(True)},
        Pair.of("proxy", "db"): {"fits_node": Answer(True)},
    }
    asked = run(Q(three(), rules, given_answers))
    for pair, answers in given_answers.items():
        for question_id in answers:
            assert (pair, question_id) not in asked
    assert len(asked) == len(set(asked))
    assert len(asked) == 15 - 3


def test_first_no_ends_the_pair(rules):
    questionnaire = Q(three(), rules)
    first = questionnaire.next_step()
    questionnaire.answer(first, False)
    assert questionnaire.verdict(first.pair) is Verdict.APART
    asked = run(questionnaire)
    assert all(pair != first.pair for pair, _ in asked)


def test_all_yes_makes_a_pair_together(rules):
    questionnaire = Q(three(), rules)
    run(questionnaire, decide=lambda step: step.pair == Pair.of("web", "proxy"))
    assert questionnaire.together().every_pair() == [Pair.of("web", "proxy")]


def test_pair_binding_the_same_port_is_never_asked(rules):
    inventory = three(web={"ports": [8080]}, proxy={"ports": [8080, 9000]})
    questionnaire = Q(inventory, rules)
    asked = run(questionnaire)
    assert Pair.of("web", "proxy") not in {pair for pair, _ in asked}
    assert "8080" in questionnaire.reason_apart(Pair.of("web", "proxy"))


def test_same_port_number_on_different_protocols_is_asked(rules):
    inventory = three(
        web={"ports": [53]}, proxy={"ports": [{"containerPort": 53, "protocol": "UDP"}]}
    )
    asked = run(Q(inventory, rules))
    assert Pair.of("web", "proxy") in {pair for pair, _ in asked}


def test_two_primaries_are_never_asked(rules):
    inventory = three(web={"role": "primary"}, db={"role": "primary"})
    questionnaire = Q(inventory, rules)
    asked = run(questionnaire)
    assert Pair.of("web", "db") not in {pair for pair, _ in asked}
    assert questionnaire.verdict(Pair.of("web", "db")) is Verdict.APART


def test_primary_and_sidecar_are_asked(rules):
    inventory = three(web={"role": "primary"}, proxy={"role": "sidecar"}, db={"role": "primary"})
    asked = run(Q(inventory, rules))
    assert Pair.of("web", "proxy") in {pair for pair, _ in asked}


def test_pair_over_the_node_is_never_asked(rules):
    inventory = three(
        node={"cpu": "2", "memory": "4Gi"},
        web={"resources": {"cpu": "1.5", "memory": "1Gi"}},
        proxy={"resources": {"cpu": "100m", "memory": "64Mi"}},
        db={"resources": {"cpu": "1", "memory": "1Gi"}},
    )
    questionnaire = Q(inventory, rules)
    asked = run(questionnaire)
    assert Pair.of("web", "db") not in {pair for pair, _ in asked}
    assert "CPU" in questionnaire.reason_apart(Pair.of("web", "db"))


def test_fits_node_is_computed_when_node_and_requests_are_known(rules):
    inventory = three(
        node={"cpu": "2", "memory": "4Gi"},
        web={"resources": {"cpu": "500m", "memory": "1Gi"}},
        proxy={"resources": {"cpu": "100m", "memory": "64Mi"}},
    )
    questionnaire = Q(inventory, rules)
    computed = questionnaire.answer_for(Pair.of("web", "proxy"), "fits_node")
    assert computed.value is True
    assert computed.source is Source.COMPUTED
    assert computed.reason
    asked = run(questionnaire)
    assert (Pair.of("web", "proxy"), "fits_node") not in asked


def test_computed_fits_node_is_saved_with_source_and_reason(rules, write_yaml):
    inventory = three(
        node={"cpu": "2"},
        web={"resources": {"cpu": "500m"}},
        proxy={"resources": {"cpu": "100m"}},
    )
    questionnaire = Q(inventory, rules)
    step = questionnaire.next_step()  # the user reaches web + proxy and answers once
    assert step.pair == Pair.of("web", "proxy")
    questionnaire.answer(step, True)
    text = dump_answers(questionnaire.answers_file(), inventory, rules)
    saved = load_answers(write_yaml(text, "answers.yaml"), inventory, rules).pairs
    answer = saved[Pair.of("web", "proxy")]["fits_node"]
    assert answer.value is True
    assert answer.source is Source.COMPUTED
    assert answer.reason


def test_fits_node_is_asked_when_a_request_is_unknown(rules):
    inventory = three(
        node={"cpu": "2"},
        web={"resources": {"cpu": "500m"}},
        proxy={"resources": {"memory": "64Mi"}},
    )
    asked = run(Q(inventory, rules))
    assert (Pair.of("web", "proxy"), "fits_node") in asked


def test_fits_node_is_asked_without_a_node(rules):
    inventory = three(web={"resources": {"cpu": "500m"}}, proxy={"resources": {"cpu": "1"}})
    asked = run(Q(inventory, rules))
    assert (Pair.of("web", "proxy"), "fits_node") in asked


def test_stale_computed_answer_is_worked_out_again(rules):
    # The file says computed "no", but the inventory no longer gives a node: ask instead.
    stale = {Pair.of("web", "proxy"): {"fits_node": Answer(False, Source.COMPUTED, "old")}}
    questionnaire = Q(three(), rules, stale)
    assert questionnaire.verdict(Pair.of("web", "proxy")) is Verdict.OPEN


def test_progress_counts_pairs_answers_and_what_is_left(rules):
    questionnaire = Q(three(), rules)
    start = questionnaire.progress()
    assert (start.number, start.count, start.answered, start.at_most_left) == (
        1,
        3,
        0,
        15,
    )

    step = questionnaire.next_step()
    questionnaire.answer(step, True)
    questionnaire.next_step()
    after_yes = questionnaire.progress()
    assert (after_yes.number, after_yes.answered, after_yes.at_most_left) == (1, 1, 14)

    step = questionnaire.next_step()
    questionnaire.answer(step, False)  # drops the pair's 3 others
    questionnaire.next_step()
    after_no = questionnaire.progress()
    assert (after_no.number, after_no.answered, after_no.at_most_left) == (2, 2, 10)


def test_progress_reaches_zero_when_done(rules):
    questionnaire = Q(three(), rules)
    run(questionnaire, decide=lambda step: step.question.id != "scale_together")
    done = questionnaire.progress()
    assert done.at_most_left == 0
    assert questionnaire.next_step() is None


def test_pair_count_leaves_out_pairs_a_constraint_splits(rules):
    inventory = three(web={"role": "primary"}, db={"role": "primary"})
    assert Q(inventory, rules).progress().count == 2


@settings(max_examples=60, deadline=None)
@given(st.lists(st.booleans(), min_size=15, max_size=15))
def test_at_most_left_is_an_honest_bound_that_decreases(answers):
    rules = load_rules()
    questionnaire = Q(three(), rules)
    script = iter(answers)
    bounds = [questionnaire.progress().at_most_left]
    asked = 0
    while (step := questionnaire.next_step()) is not None:
        questionnaire.answer(step, next(script))
        asked += 1
        questionnaire.next_step()
        bounds.append(questionnaire.progress().at_most_left)
    assert bounds[-1] == 0
    assert all(later < earlier for earlier, later in itertools.pairwise(bounds))
    # at every point, the questions still to come never exceed the bound shown
    for index, bound in enumerate(bounds):
        assert asked - index <= bound


def test_resuming_from_a_partial_sheet_continues_at_the_next_question(rules):
    partial = {
        Pair.of("web", "proxy"): {q: Answer(True) for q in QUESTIONS},
        Pair.of("web", "db"): {"same_host": Answer(True), "single_unit": Answer(True)},
    }
    step = Q(three(), rules, partial).next_step()
    assert (step.pair, step.question.id) == (Pair.of("web", "db"), "unified_whole")


def test_resume_through_the_answers_file_asks_what_was_left(rules, write_yaml):
    inventory = three()
    first = Q(inventory, rules)
    for _ in range(7):
        step = first.next_step()
        first.answer(step, True)
    path = write_yaml(dump_answers(first.answers_file(), inventory, rules), "answers.yaml")
    resumed = Q(inventory, rules, load_answers(path, inventory, rules))
    expected = first.next_step()
    step = resumed.next_step()
    assert (step.pair, step.question.id) == (expected.pair, expected.question.id)
    assert resumed.progress().answered == 7
    assert run(resumed) == run(first)


def test_a_container_is_never_offered_as_helped_by_one_that_helps_it(rules):
    # proxy helps web and web helps... not proxy: that would leave no primary.
    questionnaire = Questionnaire(three(), rules)
    questionnaire.answer_role("proxy", "web")
    assert questionnaire.application_candidates("web") == ["db"]
    questionnaire.answer_role("db", "proxy")  # db helps proxy, which helps web
    assert questionnaire.application_candidates("web") == []
    assert questionnaire.application_candidates("db") == ["web", "proxy"]  # nobody helps db
