"""What keeps pod-advisor fast at every size gives the same answers as counting pair by pair:
the questions-left bound, the open pairs and their listing; a capped unanswered list with its
count; a lower bound for layouts too large to search; a light start for --help."""

import gc
import itertools
import random
import subprocess
import sys

from helpers import QUESTIONS, REPO, container, inventory_dict, random_inventory

from advisor.cli import main
from advisor.domain.model import Answer, Pair
from advisor.engine.questionnaire import Questionnaire, QuestionStep, RolesStep, RoleStep, Verdict
from advisor.exporters.layout import layout_document
from advisor.exporters.report import render_report
from advisor.formats import application
from advisor.formats.inventory import inventory_from_data
from advisor.layout import partition
from advisor.layout.advice import UNANSWERED_SHOWN, advise


def counted_pair_by_pair(questionnaire):
    """Open pairs and their unknown questions, visiting every pair."""
    names = [c.name for c in questionnaire.inventory.containers]
    opened, unknown = [], 0
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            pair = Pair.of(a, b)
            if questionnaire.verdict(pair) is Verdict.OPEN:
                opened.append(pair)
                unknown += sum(1 for q in QUESTIONS if questionnaire.answer_for(pair, q) is None)
    return opened, unknown


def test_incremental_counts_match_counting_every_pair(rules):
    for seed in range(12):
        rng = random.Random(seed)
        inventory = random_inventory(rng, rng.randint(3, 9))
        questionnaire = Questionnaire(inventory, rules, exhaustive=seed % 3 == 0)
        for _ in range(60):
            opened, unknown = counted_pair_by_pair(questionnaire)
            assert questionnaire.open_pair_count() == len(opened)
            assert sorted(questionnaire.open_pairs()) == sorted(opened)
            if questionnaire.exhaustive:
                assert questionnaire.progress().at_most_left == unknown
            step = questionnaire.next_step()
            if step is None:
                assert not opened
                break
            if isinstance(step, RolesStep):
                questionnaire.confirm_roles(True)
            elif isinstance(step, RoleStep):
                helps = rng.choice([None, *step.candidates])
                questionnaire.answer_role(step.container, helps)
            else:
                questionnaire.answer(step, rng.random() < 0.6)


def test_unanswered_pairs_are_listed_up_to_a_limit_and_counted(rules):
    names = [f"c{i:02d}" for i in range(30)]
    inventory = inventory_from_data(inventory_dict(*(container(n) for n in names)), "app.yaml")
    sheet = {Pair.of("c00", "c01"): {q: Answer(True) for q in QUESTIONS}}
    advice = advise(Questionnaire(inventory, rules, sheet))
    total = 30 * 29 // 2 - 1
    assert advice.unanswered_count == total
    assert len(advice.unanswered) == UNANSWERED_SHOWN
    assert advice.unanswered[0] == Pair.of("c00", "c02")  # inventory order, decided pair skipped
    document = layout_document(advice)
    assert document["counts"]["pairs unanswered"] == total
    assert document["unanswered_not_listed"] == total - UNANSWERED_SHOWN
    assert f"... and {total - UNANSWERED_SHOWN} more ({total} in all" in render_report(advice)


def test_a_layout_too_large_to_search_reports_a_lower_bound_and_gap(rules, monkeypatch):
    monkeypatch.setattr(partition, "EXACT_SEARCH_STEPS", 5)
    names = [f"c{i}" for i in range(6)]
    inventory = inventory_from_data(inventory_dict(*(container(n) for n in names)), "app.yaml")
    # A path c0 - c1 - ... - c5: at least three pods (c0, c2, c4 pairwise apart).
    path = itertools.pairwise(names)
    sheet = {Pair.of(a, b): {q: Answer(True) for q in QUESTIONS} for a, b in path}
    advice = advise(Questionnaire(inventory, rules, sheet))
    layout = advice.layout
    assert not layout.exact
    assert layout.lower_bound == 3
    assert layout.gap == len(layout.pods) - 3
    document = layout_document(advice)
    assert (document["pods_lower_bound"], document["gap"]) == (3, layout.gap)
    assert "No valid layout has fewer than 3 pods" in " ".join(render_report(advice).split())


def test_an_exact_layout_has_no_gap(rules):
    inventory = inventory_from_data(
        inventory_dict(container("a"), container("b"), container("c")), "app.yaml"
    )
    sheet = {Pair.of("a", "b"): {q: Answer(True) for q in QUESTIONS}}
    advice = advise(Questionnaire(inventory, rules, sheet))
    assert advice.layout.exact and advice.layout.gap == 0
    assert "pods_lower_bound" not in layout_document(advice)


def test_help_and_version_import_no_prompt_or_graph_library():
    heavy = ("prompt_toolkit", "questionary", "networkx")
    for flag in ("--help", "--version"):
        script = (
            "import sys\n"
            "from advisor.cli import main\n"
            "try:\n"
            f"    main([{flag!r}])\n"
            "except SystemExit:\n"
            "    pass\n"
            f"print([m for m in sys.modules if m.split('.')[0] in {heavy!r}])\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True
        )
        assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout


def test_a_question_step_names_its_pair_in_inventory_order(rules):
    inventory = inventory_from_data(inventory_dict(container("b"), container("a")), "app.yaml")
    step = Questionnaire(inventory, rules, exhaustive=True).next_step()
    assert isinstance(step, QuestionStep) and step.members == ("b", "a")


def test_the_first_question_of_an_inventory_loads_no_graph_library_or_compose_reader():
    # What the first question waits for: the inventory's own reader and the engine only.
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from advisor.commands.load import load_questionnaire as _load\n"
        "q = _load(Path('examples/shop/app.yaml'), None, must_exist=False)\n"
        "assert q.next_step() is not None and q.progress().at_most_left > 0\n"
        "print(sorted(m for m in sys.modules if m.startswith(('networkx', 'difflib'))"
        " or m == 'advisor.formats.compose.reader'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout


def test_reading_pauses_the_garbage_collector_and_a_command_restores_it(tmp_path, monkeypatch):
    # Collection is paused while the files are read (the data has no cycles to free), and a
    # caller that goes on after the command gets the collector back as it was.
    states = []
    real_load = application.load_application

    def spying_load(path, profiles=(), files=()):
        states.append(gc.isenabled())
        return real_load(path, profiles, files)

    monkeypatch.setattr("advisor.formats.application.load_application", spying_load)
    example = REPO / "examples" / "shop"
    code = main(
        [
            "plan",
            str(example / "app.yaml"),
            "--answers",
            str(example / "answers.yaml"),
            "--out",
            str(tmp_path / "out"),
        ]
    )
    assert code == 0 and states == [False]
    assert gc.isenabled() and gc.get_freeze_count() == 0
