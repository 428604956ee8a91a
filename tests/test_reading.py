"""Reading the questionnaire (the next step, the progress) changes nothing: a session that
looks at its progress any number of times between answers asks the same questions and
saves the same file as one that never looks. Going back and changing an answer swap in a
state built from the edited answers, without building the questionnaire again."""

import random

import pytest
from helpers import random_inventory

from advisor.engine.questionnaire import Questionnaire, QuestionStep, RolesStep, RoleStep
from advisor.formats.answers import dump_answers


def saved(questionnaire):
    return dump_answers(questionnaire.answers_file(), questionnaire.inventory, questionnaire.rules)


def act(questionnaire, rng, look):
    """One thing a user might do, chosen by ``rng``; ``look`` times the progress is read
    first. Returns what was asked (None when the questionnaire is done)."""
    for _ in range(look):
        questionnaire.progress()
        questionnaire.next_step()
    step = questionnaire.next_step()
    given = questionnaire.user_answers()
    roll = rng.random()
    if given and roll < 0.08:
        questionnaire.undo()
        return "undo"
    if given and roll < 0.12:
        entry = rng.choice(given).entry
        if entry[0] == "role":
            others = questionnaire.application_candidates(entry[1][0])
            questionnaire.change(entry, rng.choice([None, *others]))
        elif entry[0] != "roles":
            questionnaire.change(entry, rng.random() < 0.5)
        return ("change", entry)
    if isinstance(step, RolesStep):
        questionnaire.confirm_roles(rng.random() < 0.7)
    elif isinstance(step, RoleStep):
        questionnaire.answer_role(step.container, rng.choice([None, *step.candidates]))
    elif isinstance(step, QuestionStep):
        questionnaire.answer(step, rng.random() < 0.7)
    return step


@pytest.mark.parametrize("exhaustive", [False, True])
def test_reading_the_progress_between_answers_changes_no_step_and_no_saved_file(rules, exhaustive):
    for seed in range(30):
        inventory = random_inventory(random.Random(seed), random.Random(seed).randint(2, 8))
        looking = Questionnaire(inventory, rules, exhaustive=exhaustive)
        blind = Questionnaire(inventory, rules, exhaustive=exhaustive)
        choices, looks = random.Random(seed), random.Random(seed + 1000)
        for _ in range(200):
            state = choices.getstate()
            seen = act(looking, choices, looks.randint(1, 3))
            choices.setstate(state)
            assert act(blind, choices, 0) == seen, seed
            assert saved(looking) == saved(blind), seed
            if seen is None:
                break
        assert looking.progress() == blind.progress()


def test_undo_and_change_do_not_build_the_questionnaire_again(rules, monkeypatch):
    inventory = random_inventory(random.Random(3), 4)
    questionnaire = Questionnaire(inventory, rules, exhaustive=True)
    step = questionnaire.next_step()
    assert isinstance(step, QuestionStep)
    questionnaire.answer(step, True)

    def built_again(*args, **kwargs):
        raise AssertionError("the questionnaire was built again")

    monkeypatch.setattr(Questionnaire, "__init__", built_again)
    entry = questionnaire.user_answers()[0].entry
    questionnaire.change(entry, False)
    assert questionnaire.answer_for(step.pair, step.question.id).value is False
    assert questionnaire.history == [("pair", tuple(step.pair), step.question.id)]
    assert questionnaire.undo() == ("pair", tuple(step.pair), step.question.id)
    assert questionnaire.answer_for(step.pair, step.question.id) is None
