"""The progress line's bound ("at most N left") is honest and tight: driven through random
sessions, it is never below the questions the session really asks afterwards, it shrinks
with every answer, and it is never 0 while a question is on screen (--ask included)."""

import importlib.util
import itertools
import random
import sys
from pathlib import Path

import pytest
from helpers import container, inventory_dict, random_inventory

from advisor.domain.answers import AnswersFile
from advisor.domain.model import Pair
from advisor.engine.questionnaire import Questionnaire, QuestionStep, RolesStep, RoleStep
from advisor.formats.inventory import inventory_from_data
from advisor.formats.rules import load_rules


def drive(questionnaire, rng, keep=True):
    """Answer every step at random, the roles screen kept (or declined); the bound before
    each prompt. The bound shown on the roles screen counts on the roles being kept."""
    bounds = []
    while (step := questionnaire.next_step()) is not None:
        bound = questionnaire.progress().at_most_left
        assert bound >= 1, "a question is on screen"
        bounds.append(bound)
        if isinstance(step, RolesStep):
            questionnaire.confirm_roles(keep)
        elif isinstance(step, RoleStep):
            questionnaire.answer_role(step.container, rng.choice([None, *step.candidates]))
        else:
            assert isinstance(step, QuestionStep)
            questionnaire.answer(step, rng.random() < 0.75)
    assert questionnaire.progress().at_most_left == 0
    return bounds


def assert_honest(bounds):
    for asked_before, bound in enumerate(bounds):
        assert bound >= len(bounds) - asked_before  # the prompt on screen and all after it


def assert_honest_and_shrinking(bounds):
    assert_honest(bounds)
    assert all(later < earlier for earlier, later in itertools.pairwise(bounds))


@pytest.fixture(scope="module")
def bench():
    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location(
        "bench_questions", root / "benchmarks" / "questions.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_questions"] = module
    spec.loader.exec_module(module)
    return module


def with_roles(rng, size):
    """An inventory that gives every container's role (confirmed on one screen)."""
    names = [f"c{i}" for i in range(size)]
    primaries = names[: rng.randint(1, max(1, size // 2))]
    containers = []
    for name in names:
        if name in primaries:
            containers.append(container(name, role="primary"))
        else:
            containers.append(container(name, role="sidecar", complements=rng.choice(primaries)))
    return inventory_from_data(inventory_dict(*containers, node={"cpu": "4"}), "app.yaml")


@pytest.mark.parametrize("exhaustive", [False, True])
def test_the_bound_is_never_below_what_is_asked_and_shrinks_with_each_answer(exhaustive):
    rules = load_rules()
    for seed in range(120):
        rng = random.Random(seed)
        size = rng.randint(2, 8)
        inventory = with_roles(rng, size) if seed % 2 else random_inventory(rng, size)
        bounds = drive(Questionnaire(inventory, rules, exhaustive=exhaustive), rng)
        assert_honest_and_shrinking(bounds)


def settled_bounds(questionnaire, rng):
    """The bounds shown once the roles are settled, the roles screen declined first (every
    role then asked by a list, answered at random)."""
    bounds = []
    while (step := questionnaire.next_step()) is not None:
        if isinstance(step, RolesStep):
            questionnaire.confirm_roles(False)
        elif isinstance(step, RoleStep):
            questionnaire.answer_role(step.container, rng.choice([None, *step.candidates]))
        else:
            bounds.append(questionnaire.progress().at_most_left)
            questionnaire.answer(step, rng.random() < 0.75)
    return bounds


@pytest.mark.parametrize("exhaustive", [False, True])
def test_once_the_roles_are_settled_the_bound_holds_for_every_session(exhaustive):
    rules = load_rules()
    for seed in range(120):
        rng = random.Random(seed)
        size = rng.randint(2, 8)
        inventory = with_roles(rng, size) if seed % 2 else random_inventory(rng, size)
        bounds = settled_bounds(Questionnaire(inventory, rules, exhaustive=exhaustive), rng)
        assert_honest_and_shrinking(bounds)


def test_the_first_bound_is_at_most_twice_the_prompts_plus_two_on_the_corpus(bench):
    """Issue 23.2: answered as an expert would, the bound shown at the first question is no
    more than twice the prompts the session then needs, plus two."""
    rules = load_rules()
    real = bench.corpus_cases(rules)
    if not real:
        pytest.skip("no shared/corpus/compose beside the repository")
    for case in real:
        first = Questionnaire(case.inventory, rules)
        if first.next_step() is None:
            continue
        shown = first.progress().at_most_left
        asked, _ = bench.simulate(case, rules, exhaustive=False)
        assert shown <= 2 * asked + 2, case.label


def test_asking_pairs_again_keeps_the_bound_honest_and_above_zero():
    rules = load_rules()
    for seed in range(80):
        rng = random.Random(seed)
        inventory = with_roles(rng, rng.randint(3, 7))
        first = Questionnaire(inventory, rules)
        drive(first, rng)
        names = [c.name for c in inventory.containers]
        reask = [Pair.of(*rng.sample(names, 2)) for _ in range(rng.randint(1, 3))]
        answers = first.own_answers()
        for pair in reask:  # as --ask loads them: the pair's own answers are given again
            answers.pairs.pop(pair, None)
        again = Questionnaire(inventory, rules, answers, reask=reask)
        # (An answer given again may open pairs the old one had settled: the bound may grow.)
        assert_honest(drive(again, rng))


def test_six_containers_with_their_roles_show_a_tight_bound():
    """The shop: web with two helpers, api with one, db. Once the roles are confirmed the
    engine can ask at most: for web's 3 pairs same_host, single_unit and scale_together
    (unified_whole follows from the roles, fits_node from the requests), 1 group no, and
    api + log-collector's 3."""
    rules = load_rules()
    cpu = {"resources": {"cpu": "100m"}}
    inventory = inventory_from_data(
        inventory_dict(
            container("web", role="primary", **cpu),
            container("tls-proxy", role="sidecar", complements="web", **cpu),
            container("content-agent", role="sidecar", complements="web", **cpu),
            container("api", role="primary", **cpu),
            container("log-collector", role="sidecar", complements="api", **cpu),
            container("db", role="primary", **cpu),
            node={"cpu": "4"},
        ),
        "app.yaml",
    )
    questionnaire = Questionnaire(inventory, rules)
    before = questionnaire.progress().at_most_left
    assert before < 60
    questionnaire.confirm_roles(True)
    assert questionnaire.progress().at_most_left == 3 * 3 + 1 + 3
    given = AnswersFile(  # as --ask loads it: the pair's own answers popped
        roles={
            "web": None,
            "tls-proxy": "web",
            "content-agent": "web",
            "api": None,
            "log-collector": "api",
            "db": None,
        },
    )
    # (tls-proxy + db is not asked again: the roles put it in two applications.)
    crossing = Questionnaire(inventory, rules, given, reask=[Pair.of("tls-proxy", "db")])
    assert crossing.reask_left() == []
    assert crossing.progress().at_most_left == 3 * 3 + 1 + 3
    pair = Pair.of("tls-proxy", "content-agent")
    again = Questionnaire(inventory, rules, given, reask=[pair])
    assert again.next_step().members == ("tls-proxy", "content-agent")
    # Its three questions (not fits_node: computed, nor unified_whole: the roles) first, in
    # place of the three the rest counts for it, as above.
    assert again.progress().at_most_left == 3 * 3 + 1 + 3


def test_pairs_asked_again_before_the_roles_are_confirmed_count_as_pairs(tmp_path):
    """``ask --ask 'web + *'`` on the shop's answers (no roles saved: the inventory's are not
    confirmed yet): its pair questions come first, and the progress names them as pairs,
    which one of the pairs asked again with a question left (web + api and web + db have
    none: primaries), not as the role questions the roles' confirmation would be."""
    import shutil

    from helpers import SHOP_ANSWERS, SHOP_INVENTORY

    from advisor.commands.load import load_session

    shutil.copy(SHOP_ANSWERS, tmp_path / "answers.yaml")
    questionnaire, _ = load_session(
        SHOP_INVENTORY, tmp_path / "answers.yaml", True, reask=["web + *"], lenient=True
    )
    seen = []
    while isinstance(step := questionnaire.next_step(), QuestionStep):
        progress = questionnaire.progress()
        seen.append((progress.unit, progress.number, progress.count))
        questionnaire.answer(step, False)  # the first no settles the pair
    assert seen == [("pair", 1, 3), ("pair", 2, 3), ("pair", 3, 3)]


@pytest.mark.parametrize("exhaustive", [False, True])
def test_the_bound_counts_the_processes_questions_that_follow_the_pairs(exhaustive):
    """In a terminal session the pairs are followed by one processes question per pod of two
    or more containers: the bound is never below the pairs' prompts and those together."""
    from advisor.layout.advice import advise

    rules = load_rules()
    for seed in range(120):
        rng = random.Random(seed)
        size = rng.randint(2, 8)
        inventory = with_roles(rng, size) if seed % 2 else random_inventory(rng, size)
        questionnaire = Questionnaire(inventory, rules, exhaustive=exhaustive)
        questionnaire.asks_processes = True
        bounds = drive(questionnaire, rng)
        pods = [pod.members for pod in advise(questionnaire).layout.pods]
        processes = len(questionnaire.pods_to_ask_about_processes(pods))
        for asked_before, bound in enumerate(bounds):
            assert bound >= len(bounds) - asked_before + processes
        assert all(later < earlier for earlier, later in itertools.pairwise(bounds))


def test_the_shops_bound_counts_one_processes_question_per_application_of_two_or_more():
    rules = load_rules()
    cpu = {"resources": {"cpu": "100m"}}
    inventory = inventory_from_data(
        inventory_dict(
            container("web", role="primary", **cpu),
            container("tls-proxy", role="sidecar", complements="web", **cpu),
            container("content-agent", role="sidecar", complements="web", **cpu),
            container("api", role="primary", **cpu),
            container("log-collector", role="sidecar", complements="api", **cpu),
            container("db", role="primary", **cpu),
            node={"cpu": "4"},
        ),
        "app.yaml",
    )
    questionnaire = Questionnaire(inventory, rules)
    questionnaire.asks_processes = True
    questionnaire.confirm_roles(True)
    # the pairs' 3 * 3 + 1 + 3 (see above), and a processes question for web's pod and api's
    assert questionnaire.progress().at_most_left == 3 * 3 + 1 + 3 + 2
