"""The guided questionnaire: triage, group questions, inference and what the user sees of it."""

import contextlib
import itertools

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from advisor.domain.model import Answer, Pair, Source
from advisor.engine.questionnaire import Questionnaire, QuestionStep, RolesStep, RoleStep, Verdict
from advisor.formats.answers import dump_answers, load_answers
from advisor.formats.inventory import inventory_from_data
from advisor.terminal.session import run_session
from tests.helpers import assert_valid_pod, container, inventory_dict, pods_of

DOWN = "\x1b[B"


def shop_like(roles=True):
    """web with two helpers, api with one, and a database."""
    extra = (
        (lambda helps: {"role": "sidecar", "complements": helps}) if roles else (lambda helps: {})
    )
    primary = {"role": "primary"} if roles else {}
    return inventory_from_data(
        inventory_dict(
            container("web", **primary),
            container("proxy", **extra("web")),
            container("agent", **extra("web")),
            container("api", **primary),
            container("logs", **extra("api")),
            container("db", **primary),
        ),
        "app.yaml",
    )


def answer_all(questionnaire, together_groups):
    """Answer every step as a user whose pods are ``together_groups``."""
    pod = {m: i for i, group in enumerate(together_groups) for m in group}

    def role(name):  # the first of each group is its primary, the others its helpers
        first = together_groups[pod[name]][0]
        return None if first == name else first

    steps = []
    while (step := questionnaire.next_step()) is not None:
        steps.append(step)
        if isinstance(step, RolesStep):  # change the first role shown wrong, else keep them
            wrong = [name for name, helps in step.roles if helps != role(name)]
            if wrong:
                questionnaire.answer_role(wrong[0], role(wrong[0]))
            else:
                questionnaire.confirm_roles(True)
        elif isinstance(step, RoleStep):
            questionnaire.answer_role(step.container, role(step.container))
        else:
            questionnaire.answer(step, len({pod[m] for m in step.members}) == 1)
    return steps


def test_roles_from_the_inventory_are_confirmed_on_one_screen(rules):
    step = Questionnaire(shop_like(), rules).next_step()
    assert isinstance(step, RolesStep)
    assert dict(step.roles) == {
        "web": None,
        "proxy": "web",
        "agent": "web",
        "api": None,
        "logs": "api",
        "db": None,
    }


def test_without_roles_each_container_is_asked_once(rules):
    questionnaire = Questionnaire(shop_like(roles=False), rules)
    questionnaire.confirm_roles(False)  # "No: ask me what each one is" on the roles screen
    steps = answer_all(questionnaire, [["web", "proxy", "agent"], ["api", "logs"], ["db"]])
    role_steps = [s.container for s in steps if isinstance(s, RoleStep)]
    assert role_steps == ["web", "proxy", "agent", "api", "logs", "db"]


def test_containers_of_different_applications_are_apart_without_a_question(rules):
    questionnaire = Questionnaire(shop_like(), rules)
    steps = answer_all(questionnaire, [["web", "proxy", "agent"], ["api", "logs"], ["db"]])
    asked_about = {frozenset(s.members) for s in steps if isinstance(s, QuestionStep)}
    assert frozenset(("proxy", "logs")) not in asked_about
    assert questionnaire.verdict(Pair.of("proxy", "logs")) is Verdict.APART
    assert "belongs with" in questionnaire.reason_apart(Pair.of("proxy", "logs"))


def test_an_application_with_its_helpers_is_asked_as_one_group(rules):
    questionnaire = Questionnaire(shop_like(), rules)
    questionnaire.confirm_roles(True)
    step = questionnaire.next_step()
    assert isinstance(step, QuestionStep)
    assert step.members == ("web", "proxy", "agent")
    assert step.text() == "Do web, proxy and agent have to run on the same host?"


def test_a_group_yes_answers_every_pair_in_it(rules):
    questionnaire = Questionnaire(shop_like(), rules)
    questionnaire.confirm_roles(True)
    questionnaire.answer(questionnaire.next_step(), True)
    answer = questionnaire.answer_for(Pair.of("proxy", "agent"), "same_host")
    assert answer.value is True and answer.source is Source.ASKED  # the user's, for the pair
    assert "web + proxy + agent" in answer.reason


def test_a_group_no_falls_back_to_each_helper_with_its_application(rules):
    questionnaire = Questionnaire(shop_like(), rules)
    questionnaire.confirm_roles(True)
    questionnaire.answer(questionnaire.next_step(), False)
    step = questionnaire.next_step()
    assert len(step.members) == 2 and "web" in step.members
    assert step.question.id == "same_host"


def test_naming_a_helper_answers_unified_whole_for_the_pair(rules):
    questionnaire = Questionnaire(shop_like(), rules)
    questionnaire.confirm_roles(True)
    answer = questionnaire.answer_for(Pair.of("web", "proxy"), "unified_whole")
    assert answer.value is True and answer.source is Source.INFERRED


def test_guided_and_exhaustive_reach_the_same_pods_with_fewer_questions(rules):
    from advisor.layout.advice import advise

    pods = [["web", "proxy", "agent"], ["api", "logs"], ["db"]]
    results = {}
    for exhaustive in (False, True):
        questionnaire = Questionnaire(shop_like(), rules, exhaustive=exhaustive)
        answer_all(questionnaire, pods)
        layout = advise(questionnaire).layout
        results[exhaustive] = (questionnaire.asked_count, sorted(p.members for p in layout.pods))
    assert results[False][1] == results[True][1]
    assert results[False][0] < results[True][0]


def test_transitive_yes_is_inferred_with_its_chain(rules):
    inventory = inventory_from_data(inventory_dict(*(container(n) for n in "abc")), "x.yaml")
    sheet = {
        Pair.of("a", "b"): {"scale_together": Answer(True)},
        Pair.of("b", "c"): {"scale_together": Answer(True)},
    }
    answer = Questionnaire(inventory, rules, sheet).answer_for(Pair.of("a", "c"), "scale_together")
    assert answer.value is True and answer.source is Source.INFERRED
    assert "a~b yes" in answer.reason and "b~c yes" in answer.reason


def test_a_yes_and_a_no_infer_a_no(rules):
    inventory = inventory_from_data(inventory_dict(*(container(n) for n in "abc")), "x.yaml")
    sheet = {
        Pair.of("a", "b"): {"scale_together": Answer(True)},
        Pair.of("b", "c"): {"scale_together": Answer(False)},
    }
    questionnaire = Questionnaire(inventory, rules, sheet)
    assert questionnaire.answer_for(Pair.of("a", "c"), "scale_together").value is False
    assert questionnaire.verdict(Pair.of("a", "c")) is Verdict.APART


def test_fits_node_is_not_inferred(rules):
    inventory = inventory_from_data(inventory_dict(*(container(n) for n in "abc")), "x.yaml")
    sheet = {
        Pair.of("a", "b"): {"fits_node": Answer(True)},
        Pair.of("b", "c"): {"fits_node": Answer(True)},
    }
    assert Questionnaire(inventory, rules, sheet).answer_for(Pair.of("a", "c"), "fits_node") is None


def contradicting_answers(rules):
    """a~b and b~c scale together, so a~c would too; the user said no for a~c."""
    inventory = inventory_from_data(inventory_dict(*(container(n) for n in "abc")), "x.yaml")
    sheet = {
        Pair.of("a", "b"): {"scale_together": Answer(True)},
        Pair.of("b", "c"): {"scale_together": Answer(True)},
        Pair.of("a", "c"): {"scale_together": Answer(False)},
    }
    return Questionnaire(inventory, rules, sheet)


def test_the_users_answer_wins_over_an_inference_and_is_reported(rules):
    questionnaire = contradicting_answers(rules)
    assert questionnaire.answer_for(Pair.of("a", "c"), "scale_together") == Answer(False)
    assert [(p, q) for p, q, _ in questionnaire.contradictions] == [
        (Pair.of("a", "c"), "scale_together")
    ]


@pytest.mark.parametrize("keep_mine, expected", [(True, False), (False, True)])
def test_the_user_chooses_which_contradicting_answer_stands(rules, keep_mine, expected):
    questionnaire = contradicting_answers(rules)
    questionnaire.resolve_contradiction(Pair.of("a", "c"), "scale_together", keep_mine)
    assert questionnaire.contradictions == []
    assert questionnaire.answer_for(Pair.of("a", "c"), "scale_together").value is expected


def test_the_bound_on_questions_left_shrinks_to_zero(rules):
    questionnaire = Questionnaire(shop_like(), rules)
    bounds = [questionnaire.progress().at_most_left]
    pods = [["web", "proxy", "agent"], ["api", "logs"], ["db"]]
    pod = {m: i for i, g in enumerate(pods) for m in g}
    while (step := questionnaire.next_step()) is not None:
        if isinstance(step, RolesStep):
            questionnaire.confirm_roles(True)
        else:
            questionnaire.answer(step, len({pod[m] for m in step.members}) == 1)
        bounds.append(questionnaire.progress().at_most_left)
    assert bounds == sorted(bounds, reverse=True)
    assert bounds[-1] == 0
    assert all(later < earlier for earlier, later in itertools.pairwise(bounds))


def test_roles_groups_and_count_survive_the_answers_file(rules, tmp_path):
    inventory = shop_like(roles=False)
    questionnaire = Questionnaire(inventory, rules)
    for name, helps in (("web", None), ("proxy", "web"), ("agent", "web")):
        questionnaire.answer_role(name, helps)
    path = tmp_path / "answers.yaml"
    path.write_text(dump_answers(questionnaire.answers_file(), inventory, rules))
    saved = load_answers(path, inventory, rules)
    assert saved.roles == {"web": None, "proxy": "web", "agent": "web"}
    assert saved.asked == 3
    resumed = Questionnaire(inventory, rules, saved)
    screen = resumed.next_step()  # the roles on one screen again, the given ones as given
    assert isinstance(screen, RolesStep)
    given = dict(zip((name for name, _ in screen.roles), screen.evidence, strict=True))
    assert [n for n, why in given.items() if why == "your answer"] == ["web", "proxy", "agent"]
    resumed.confirm_roles(False)  # declined: the roles not given are asked one by one
    assert isinstance(resumed.next_step(), RoleStep)
    assert resumed.next_step().container == "api"


def test_a_group_answer_is_saved_under_the_group_and_read_back(rules, tmp_path):
    inventory = shop_like()
    questionnaire = Questionnaire(inventory, rules)
    questionnaire.confirm_roles(True)
    questionnaire.answer(questionnaire.next_step(), True)
    text = dump_answers(questionnaire.answers_file(), inventory, rules)
    assert "web + proxy + agent:" in text
    path = tmp_path / "answers.yaml"
    path.write_text(text)
    saved = load_answers(path, inventory, rules)
    assert saved.groups == {("agent", "proxy", "web"): {"same_host": Answer(True)}}


def test_a_terminal_session_confirms_roles_picks_a_role_and_answers_a_group(rules):
    inventory = inventory_from_data(
        inventory_dict(container("web"), container("proxy"), container("agent")), "app.yaml"
    )
    questionnaire = Questionnaire(inventory, rules)
    saved = []
    with create_pipe_input() as pipe:
        # Then three group questions answered yes and fits_node yes.
        # Then the pod's process question (no) and the review: write.
        # The roles screen: "Change proxy", a helper of web; "Change agent", a helper of
        # web; then Enter keeps them (web a primary).
        pipe.send_text(DOWN * 2 + "\r" + DOWN * 3 + "\r" + DOWN * 3 + "\r" + DOWN * 3 + "\r")
        pipe.send_text("\r" + "yyyy" + "n" + "\r")
        pipe.close()  # more questions than keys: Ctrl-D, not a wait
        run_session(
            questionnaire,
            lambda: saved.append(questionnaire.asked_count),
            input=pipe,
            output=DummyOutput(),
        )
    assert saved == list(range(1, len(saved) + 1))  # saved after every answer
    assert questionnaire.application_of("agent") == "web"
    assert questionnaire.verdict(Pair.of("proxy", "agent")) is Verdict.TOGETHER


def test_roles_answered_in_the_session_name_the_pods_and_shape_the_manifests(rules):
    """Without roles in the inventory, the ones the user gives count as if it had them: the
    pod is named after its primary application, and native sidecars are its helpers."""
    from advisor.exporters.kubernetes import ExportOptions, manifests
    from advisor.layout.advice import advise

    questionnaire = Questionnaire(shop_like(roles=False), rules)
    answer_all(questionnaire, [["web", "proxy", "agent"], ["api", "logs"], ["db"]])
    advice = advise(questionnaire)
    assert sorted(pod.name for pod in advice.layout.pods) == ["api", "db", "web"]
    web = next(pod for pod in advice.layout.pods if pod.name == "web")
    assert web.members[0] == "web"  # the primary first, though "agent" sorts before it
    (pod,) = [
        m
        for m in pods_of(manifests(advice, ExportOptions(native_sidecars=True)))
        if m["metadata"]["name"] == "web"
    ]
    assert [c["name"] for c in pod["spec"]["containers"]] == ["web"]
    assert sorted(c["name"] for c in pod["spec"]["initContainers"]) == ["agent", "proxy"]
    (deployment,) = [m for m in manifests(advice) if m["metadata"]["name"] == "web"]
    assert_valid_pod(deployment)


def test_after_a_group_no_its_pairs_come_before_the_next_application(rules):
    """One application at a time: a no to a group opens its pairs, asked next, while the
    application is still in mind; the next application's group comes after."""
    sidecar = {"role": "sidecar"}
    inventory = inventory_from_data(
        inventory_dict(
            container("web", role="primary"),
            container("proxy", complements="web", **sidecar),
            container("agent", complements="web", **sidecar),
            container("api", role="primary"),
            container("logs", complements="api", **sidecar),
            container("audit", complements="api", **sidecar),
        ),
        "app.yaml",
    )
    questionnaire = Questionnaire(inventory, rules)
    questionnaire.confirm_roles(True)
    step = questionnaire.next_step()
    assert isinstance(step, QuestionStep) and set(step.members) == {"web", "proxy", "agent"}
    questionnaire.answer(step, False)
    following = questionnaire.next_step()
    assert isinstance(following, QuestionStep) and len(following.members) == 2
    assert set(following.members) <= {"web", "proxy", "agent"}


def test_back_from_a_role_list_opened_on_the_roles_screen_undoes_nothing(rules):
    data = inventory_dict(container("web"), container("proxy"))
    questionnaire = Questionnaire(inventory_from_data(data, "app.yaml"), rules)
    with create_pipe_input() as pipe:
        # "Change proxy": a helper of web (after primary, job, node agent); then "Change
        # web" and back (up from the first entry wraps to it); then Enter keeps the roles.
        pipe.send_text(DOWN * 2 + "\r" + DOWN * 3 + "\r" + DOWN + "\r" + "\x1b[A\r" + "\r")
        pipe.close()  # more questions than keys: Ctrl-D, not a wait
        with contextlib.suppress(EOFError):
            run_session(questionnaire, lambda: None, input=pipe, output=DummyOutput())
    assert questionnaire.application_of("proxy") == "web"  # the change before stands
    assert questionnaire.own_answers().roles == {"proxy": "web", "web": None}
