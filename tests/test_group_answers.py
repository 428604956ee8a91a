"""An answer given for a group is the user's answer for every pair in it, everywhere: the
engine, explain, report.md, layout.yaml and the saved answers file."""

import contextlib
import tempfile
from pathlib import Path

import yaml
from layout_helpers import FOUR_YES, advice_for, box

from advisor.domain.model import Pair, Source
from advisor.exporters.layout import layout_document
from advisor.exporters.report import render_report
from advisor.formats.answers import dump_answers, load_answers
from advisor.layout.explain import explain_pair, render_pair

GROUP = "web + proxy + agent"


def group_advice(tmp_path, pairs=None):
    """web with two helpers, every question answered once for the three of them."""
    cpu = {"resources": {"cpu": "1"}}
    containers = [box("web", ports=[80], **cpu), box("proxy", **cpu), box("agent", **cpu)]
    advice = advice_for(tmp_path, containers, {GROUP: FOUR_YES, **(pairs or {})}, {"cpu": "4"})
    return advice


def test_every_pair_of_a_group_has_the_users_answer_naming_the_group(tmp_path):
    questionnaire = group_advice(tmp_path).questionnaire
    for pair in (Pair.of("web", "proxy"), Pair.of("web", "agent"), Pair.of("proxy", "agent")):
        for question in FOUR_YES:
            answer = questionnaire.answer_for(pair, question)
            assert (answer.value, answer.source) == (True, Source.ASKED)
            assert GROUP in answer.reason


def test_explain_calls_a_group_answer_the_users_and_names_the_group_key(tmp_path):
    text = render_pair(explain_pair(group_advice(tmp_path), "proxy", "web"))
    assert "inferred" not in text and "~" not in text
    assert f"same_host       yes asked: your answer for the group {GROUP}" in text


def test_the_report_and_layout_count_group_answers_as_given_by_the_user(tmp_path):
    advice = group_advice(tmp_path)
    counts = layout_document(advice)["counts"]
    # 4 questions x 3 pairs, all the user's; fits_node computed for each pair.
    assert counts["answers given"] == 12
    assert counts["answers inferred"] == 0
    assert counts["answers computed"] == 3
    report = render_report(advice)
    assert "12 answers given, 3 answers computed, 0 answers inferred" in report
    reasons = layout_document(advice)["pods"][0]["why"]
    # One line for the group answer, not one per pair (nothing inferred).
    assert reasons == [
        f"{GROUP}: your answer for the group, yes to {', '.join(FOUR_YES)}; "
        "fits_node computed from their requests"
    ]


def test_the_saved_file_keeps_a_group_answer_under_its_group_key_only(tmp_path):
    advice = group_advice(tmp_path)
    questionnaire = advice.questionnaire
    text = dump_answers(questionnaire.answers_file(), questionnaire.inventory, questionnaire.rules)
    document = yaml.safe_load(text)
    assert document["pairs"][GROUP] == {q: True for q in FOUR_YES}
    # No pair repeats the group's answers (they would read back as the pair's own).
    for key, answers in document["pairs"].items():
        if key != GROUP:
            assert all(isinstance(a, dict) and a["source"] != "asked" for a in answers.values())
    path = tmp_path / "saved.yaml"
    path.write_text(text)
    again = load_answers(path, questionnaire.inventory, questionnaire.rules)
    assert not any(a.source is Source.ASKED for p in again.pairs.values() for a in p.values())


def test_a_pairs_own_answer_comes_before_its_groups(tmp_path):
    advice = group_advice(tmp_path, {"web + proxy": {"scale_together": "no"}})
    answer = advice.questionnaire.answer_for(Pair.of("web", "proxy"), "scale_together")
    assert (answer.value, answer.source, answer.reason) == (False, Source.ASKED, None)


def shop_questionnaire(tmp_path, group_answer, reask):
    """web with two helpers answered as a group, the pairs ``reask`` asked again (--ask)."""
    from advisor.engine.questionnaire import Questionnaire
    from advisor.formats.inventory import load_inventory
    from advisor.formats.rules import load_rules

    cpu = {"resources": {"cpu": "1"}}
    containers = [box("web", role="primary", **cpu)]
    containers += [box(n, role="sidecar", complements="web", **cpu) for n in ("proxy", "agent")]
    path = tmp_path / "app.yaml"
    path.write_text(yaml.safe_dump({"node": {"cpu": "4"}, "containers": containers}))
    roles = {"web": None, "proxy": "web", "agent": "web"}
    from advisor.domain.answers import AnswersFile

    answers = AnswersFile(groups={("agent", "proxy", "web"): group_answer}, roles=roles)
    return Questionnaire(load_inventory(path), load_rules(), answers, reask=reask)


def answer_pair_until_done(questionnaire, pair, answers):
    while (step := questionnaire.next_step()) is not None and step.pair == pair:
        questionnaire.answer(step, answers.get(step.question.id, True))


def test_asking_a_pair_again_asks_its_group_answers_but_not_what_the_roles_answer(tmp_path):
    from advisor.domain.answers import Answer

    group = {q: Answer(True) for q in FOUR_YES}
    pair = Pair.of("web", "proxy")
    questionnaire = shop_questionnaire(tmp_path, group, [pair])
    asked = []
    while (step := questionnaire.next_step()) is not None:
        asked.append(step.question.id)
        questionnaire.answer(step, True)
    # unified_whole: the roles answer it (proxy helps web); fits_node: the requests do.
    assert sorted(asked) == ["same_host", "scale_together", "single_unit"]


def test_a_pairs_new_no_narrows_the_group_yes_it_contradicts(tmp_path):
    from advisor.domain.answers import Answer

    group = {q: Answer(True) for q in FOUR_YES}
    pair = Pair.of("web", "proxy")
    questionnaire = shop_questionnaire(tmp_path, group, [pair])
    answer_pair_until_done(questionnaire, pair, {"scale_together": False})
    assert questionnaire.narrowed == [
        "your scale_together yes for web + proxy + agent now holds for its other pairs only"
    ]
    saved = questionnaire.answers_file()
    assert "scale_together" not in saved.groups[("agent", "proxy", "web")]
    for other in (Pair.of("web", "agent"), Pair.of("proxy", "agent")):
        answer = saved.pairs[other]["scale_together"]
        assert (answer.value, answer.source) == (True, Source.ASKED)
    assert saved.pairs[pair]["scale_together"].value is False


def test_a_group_no_goes_once_each_pair_of_the_group_says_yes(tmp_path):
    from advisor.domain.answers import Answer

    group = {"same_host": Answer(False)}
    questionnaire = shop_questionnaire(tmp_path, group, [])
    while (step := questionnaire.next_step()) is not None:
        questionnaire.answer(step, True)
    kept = questionnaire.answers_file().groups.get(("agent", "proxy", "web"), {})
    assert "same_host" not in kept  # (the pairs' yes answers say it; the rest still hold)


def test_a_group_of_two_applications_keeps_each_helper_with_its_own_primary(tmp_path):
    from advisor.cli import main

    (tmp_path / "app.yaml").write_text(
        "containers:\n"
        "  - {name: web, image: nginx, role: primary}\n"
        "  - {name: api, image: api, role: primary}\n"
        "  - {name: h1, image: h, role: sidecar, complements: web}\n"
        "  - {name: h2, image: h, role: sidecar, complements: web}\n"
    )
    yes = dict.fromkeys(["same_host", "single_unit", "unified_whole", "scale_together"], "yes")
    group = {"web + api + h1 + h2": {**yes, "fits_node": "yes"}}
    (tmp_path / "answers.yaml").write_text(yaml.safe_dump({"version": 1, "pairs": group}))
    out = tmp_path / "out"
    arguments = ["plan", str(tmp_path / "app.yaml"), "--answers", str(tmp_path / "answers.yaml")]
    assert main([*arguments, "--out", str(out)]) == 0
    layout = yaml.safe_load((out / "layout.yaml").read_text())
    assert {p["name"]: p["containers"] for p in layout["pods"]} == {
        "api": ["api"],
        "web": ["web", "h1", "h2"],
    }
    tensions = {t["pair"]: t["reason"] for t in layout["tensions"]}
    assert tensions["api + h1"] == (
        "h1 helps web, not api: a helper shares a pod with its own primary only"
    )


def fresh_shop(tmp_path, api=False):
    """web with two helpers (roles in the inventory), nothing answered yet; with ``api``,
    an application with one helper after it."""
    from advisor.engine.questionnaire import Questionnaire
    from advisor.formats.inventory import load_inventory
    from advisor.formats.rules import load_rules

    cpu = {"resources": {"cpu": "1"}}
    containers = [box("web", role="primary", **cpu)]
    containers += [box(n, role="sidecar", complements="web", **cpu) for n in ("proxy", "agent")]
    if api:
        containers += [box("api", role="primary"), box("log", role="sidecar", complements="api")]
    path = tmp_path / "app.yaml"
    path.write_text(yaml.safe_dump({"node": {"cpu": "4"}, "containers": containers}))
    return Questionnaire(load_inventory(path), load_rules())


def test_back_after_a_pair_yes_dropped_the_group_no_restores_it_exactly(tmp_path):
    from advisor.engine.questionnaire import QuestionStep, RolesStep

    questionnaire = fresh_shop(tmp_path)
    group_no = False
    while True:
        step = questionnaire.next_step()
        if isinstance(step, RolesStep):
            questionnaire.confirm_roles(True)
            continue
        assert isinstance(step, QuestionStep)
        if len(step.members) == 3:
            no = step.question.id == "scale_together"
            group_no |= no
            questionnaire.answer(step, not no)
            continue
        before = questionnaire.own_answers()
        questionnaire.answer(step, True)
        if questionnaire.narrowed:  # the last pair's yes: each pair is yes
            break
    assert group_no
    assert questionnaire.narrowed == [
        "your scale_together no for web + proxy + agent is dropped: each pair is yes"
    ]
    assert "scale_together" not in questionnaire.own_answers().groups[("agent", "proxy", "web")]
    undone = questionnaire.undo()
    assert undone == ("pair", tuple(sorted(step.members)), "scale_together")
    assert questionnaire.own_answers() == before  # the group no is back, the pair yes gone
    again = questionnaire.next_step()
    assert (again.members, again.question.id) == (step.members, "scale_together")


def test_back_in_a_session_asks_the_pair_again_and_saves_the_group_no_it_restores(tmp_path):
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from advisor.terminal.session import run_session

    questionnaire = fresh_shop(tmp_path, api=True)
    saved, asked = [], []

    def save():
        saved.append(questionnaire.own_answers())
        step = questionnaire.next_step()
        asked.append(None if step is None else (step.members, step.question.id))

    # the roles (Enter keeps them); the group: same_host, single_unit yes, scale_together
    # no; both pairs yes (the group no is dropped); at api + log, back; the last pair
    # again, no this time; api + log: no.
    with create_pipe_input() as pipe:
        pipe.send_text("\r" + "yyn" + "yy" + "b" + "n" + "n")
        pipe.close()  # more questions than keys: Ctrl-D, not a wait
        with contextlib.suppress(EOFError):
            run_session(questionnaire, save, input=pipe, output=DummyOutput(), review=False)
    group = ("agent", "proxy", "web")
    assert "scale_together" not in saved[5].groups.get(group, {})  # dropped by the pair yes
    assert saved[6].groups[group]["scale_together"].value is False  # back: restored, saved
    assert saved[6] == saved[4] and asked[6] == asked[4]  # as before that pair's yes
    assert asked[6][1] == "scale_together" and len(asked[6][0]) == 2
    assert saved[7].groups[group]["scale_together"].value is False
    assert asked[7][0] == ("api", "log")


def reloaded(questionnaire):
    """A new questionnaire from what ``questionnaire`` saves, as the next ``ask`` reads it."""
    from advisor.engine.questionnaire import Questionnaire

    inventory, rules = questionnaire.inventory, questionnaire.rules
    text = dump_answers(questionnaire.answers_file(), inventory, rules)
    with tempfile.TemporaryDirectory() as folder:
        saved = Path(folder) / "saved.yaml"
        saved.write_text(text)
        return Questionnaire(inventory, rules, load_answers(saved, inventory, rules))


def test_keeping_a_pair_answer_against_a_group_answer_narrows_it_and_is_settled(tmp_path):
    from advisor.domain.answers import Answer

    group = {q: Answer(True) for q in FOUR_YES}
    questionnaire = shop_questionnaire(tmp_path, group, [])
    pair = Pair.of("web", "agent")
    questionnaire.change(("pair", tuple(pair), "scale_together"), False)
    questionnaire = reloaded(questionnaire)  # the hand-written file: pair no, group yes
    [(conflict, question_id, _)] = questionnaire.contradictions
    assert (conflict, question_id) == (pair, "scale_together")
    assert questionnaire.against_group(pair, question_id)
    questionnaire.resolve_contradiction(pair, question_id, keep_mine=True)
    assert questionnaire.narrowed == [
        "your scale_together yes for web + proxy + agent now holds for its other pairs only"
    ]
    saved = questionnaire.answers_file()
    assert "scale_together" not in saved.groups[("agent", "proxy", "web")]
    assert saved.pairs[pair]["scale_together"].value is False
    assert saved.pairs[pair]["scale_together"].reason == "kept against your group answer"
    again = reloaded(questionnaire)
    assert again.contradictions == []  # settled: the next ask does not ask it again
    assert again.asked_count == questionnaire.asked_count
    assert again.answer_for(pair, "scale_together").value is False


def test_taking_the_group_answer_over_the_pairs_is_settled_too(tmp_path):
    from advisor.domain.answers import Answer

    group = {q: Answer(True) for q in FOUR_YES}
    questionnaire = shop_questionnaire(tmp_path, group, [])
    pair = Pair.of("web", "agent")
    questionnaire.change(("pair", tuple(pair), "scale_together"), False)
    questionnaire = reloaded(questionnaire)
    questionnaire.resolve_contradiction(pair, "scale_together", keep_mine=False)
    again = reloaded(questionnaire)
    assert again.contradictions == []
    assert again.answer_for(pair, "scale_together").value is True


def test_an_answer_kept_against_the_inference_is_not_asked_about_again(tmp_path):
    from advisor.domain.answers import Answer

    yes = {"scale_together": Answer(True)}
    questionnaire = shop_questionnaire(tmp_path, {}, [])
    pairs = {Pair.of("web", "proxy"): yes, Pair.of("proxy", "agent"): yes}
    pairs[Pair.of("web", "agent")] = {"scale_together": Answer(False)}
    for pair, answers in pairs.items():
        value = answers["scale_together"].value
        questionnaire.change(("pair", tuple(pair), "scale_together"), value)
    questionnaire = reloaded(questionnaire)
    [(pair, question_id, _)] = questionnaire.contradictions
    assert not questionnaire.against_group(pair, question_id)
    questionnaire.resolve_contradiction(pair, question_id, keep_mine=True)
    assert reloaded(questionnaire).contradictions == []


def test_asking_again_skips_the_pairs_the_roles_put_in_two_applications(tmp_path):
    from advisor.engine.questionnaire import Questionnaire

    shop = fresh_shop(tmp_path, api=True)
    shop.confirm_roles(True)
    crossing, inside = Pair.of("web", "log"), Pair.of("web", "proxy")
    questionnaire = Questionnaire(
        shop.inventory, shop.rules, shop.own_answers(), reask=[crossing, inside]
    )
    assert questionnaire.reask_left() == [inside]  # web + log: apart by the roles whatever
    asked = set()
    while (step := questionnaire.next_step()) is not None:
        asked.add(tuple(sorted(step.members)))
        questionnaire.answer(step, True)
    assert ("log", "web") not in asked


def test_a_yes_of_the_users_across_two_applications_is_a_tension_by_the_roles(tmp_path):
    from advisor.domain.answers import Answer
    from advisor.engine.questionnaire import Questionnaire
    from advisor.layout.advice import advise

    shop = fresh_shop(tmp_path, api=True)
    shop.confirm_roles(True)
    answers = shop.own_answers()
    yes = {q: Answer(True) for q in [*FOUR_YES, "fits_node"]}
    answers.pairs[Pair.of("web", "log")] = dict(yes)
    questionnaire = Questionnaire(shop.inventory, shop.rules, answers)
    assert Pair.of("web", "log") not in questionnaire.together().every_pair()  # apart, by the roles
    assert Pair.of("web", "log") in questionnaire.together(across_roles=True).every_pair()
    tensions = advise(questionnaire).layout.tensions
    assert [(t.pair, t.by_roles) for t in tensions] == [(Pair.of("web", "log"), True)]
