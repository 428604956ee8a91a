"""explain: why a pair shares a pod or not, and the whole layout with its tensions."""

import pytest
from layout_helpers import FOUR_YES, YES, advice_for, box, triangle, write

from advisor.cli import main
from advisor.domain.errors import AdvisorError
from advisor.layout.explain import explain_pair, render_layout, render_pair


def fits_screen(text):
    lines = text.splitlines()
    return len(lines) <= 24 and all(len(line) <= 80 for line in lines)


def test_together_pair_shares_a_pod_and_lists_every_answer(tmp_path):
    advice = advice_for(tmp_path, [box("web"), box("proxy")], {"web + proxy": YES})
    explanation = explain_pair(advice, "web", "proxy")
    assert explanation.same_pod
    assert [a.value for a in explanation.answers] == [True] * 5
    text = render_pair(explanation)
    assert "share pod" in text and "all five answers are yes" in text
    assert "fits_node" in text
    assert fits_screen(text)


def test_computed_answer_shows_its_reason(tmp_path):
    node = {"cpu": "4"}
    containers = [box("web", resources={"cpu": "1"}), box("proxy", resources={"cpu": "1"})]
    advice = advice_for(tmp_path, containers, {"web + proxy": FOUR_YES}, node)
    fits = explain_pair(advice, "web", "proxy").answers[-1]
    assert (fits.question, fits.value, fits.source) == ("fits_node", True, "computed")
    assert "2 of 4 CPU" in (fits.reason or "")


def test_apart_by_answer_names_the_first_no(tmp_path):
    pairs = {"web + db": {"same_host": "yes", "single_unit": "yes", "scale_together": "no"}}
    advice = advice_for(tmp_path, [box("web"), box("db")], pairs)
    explanation = explain_pair(advice, "db", "web")
    assert not explanation.same_pod
    assert "first no is scale_together (asked)" in explanation.because
    text = render_pair(explanation)
    assert "not needed after a no" in text
    assert fits_screen(text)


@pytest.mark.parametrize(
    ("containers", "node", "because", "fix"),
    [
        (
            [box("a", ports=[8080]), box("b", ports=[8080])],
            None,
            "port 8080/TCP is bound by both a and b",
            "change port 8080/TCP of a or of b",
        ),
        (
            [box("a", resources={"cpu": "3"}), box("b", resources={"cpu": "2.5"})],
            {"cpu": "4"},
            "CPU requests add up to 5.5 of the node's 4",
            "lower the CPU requests of a, b by 1.5",
        ),
        (
            [box("a", role="primary"), box("b", role="primary")],
            None,
            "a and b are both primary applications",
            "mark a or b as role: sidecar",
        ),
    ],
    ids=["port", "capacity", "two-primaries"],
)
def test_apart_by_constraint_names_it_and_what_to_change(tmp_path, containers, node, because, fix):
    advice = advice_for(tmp_path, containers, {"a + b": YES}, node)
    explanation = explain_pair(advice, "a", "b")
    assert not explanation.same_pod
    assert because in explanation.because
    assert explanation.fix is not None and fix in explanation.fix
    assert fits_screen(render_pair(explanation))


def test_tension_pair_names_the_third_container_and_the_fix(tmp_path):
    advice = triangle(tmp_path)
    assert len(advice.layout.tensions) == 1
    tension = advice.layout.tensions[0]
    explanation = explain_pair(advice, *tension.pair)
    assert not explanation.same_pod
    assert "split by a third container" in explanation.because
    third = ({"a", "b", "c"} - set(tension.pair)).pop()
    assert third in explanation.because
    assert explanation.fix is not None
    assert "answer yes for a + c's scale_together, or no for one of" in explanation.fix
    assert fits_screen(render_pair(explanation))


def test_tension_fix_offers_only_changes_that_resolve_it(tmp_path):
    advice = triangle(tmp_path)
    fix = explain_pair(advice, *advice.layout.tensions[0].pair).fix
    assert fix is not None
    withdrawals = fix.split("no for one of ")[1].split(", ")
    assert sorted(withdrawals) == ["a + b", "b + c"]


def test_unanswered_pair_says_so(tmp_path):
    advice = advice_for(tmp_path, [box("a"), box("b")], {"a + b": {"same_host": "yes"}})
    explanation = explain_pair(advice, "a", "b")
    assert "not answered" in explanation.because
    assert (
        explanation.fix == "answer single_unit, unified_whole, scale_together, fits_node for a + b"
    )


def test_long_names_still_fit_one_screen(tmp_path):
    names = [n * 30 for n in "abc"]
    pairs = {
        f"{names[0]} + {names[1]}": FOUR_YES,
        f"{names[1]} + {names[2]}": FOUR_YES,
        f"{names[0]} + {names[2]}": {**FOUR_YES, "scale_together": "no"},
    }
    node = {"cpu": "4", "memory": "8Gi"}
    resources = {"cpu": "500m", "memory": "512Mi"}
    advice = advice_for(tmp_path, [box(n, resources=resources) for n in names], pairs, node)
    assert advice.layout.tensions
    for tension in advice.layout.tensions:
        assert fits_screen(render_pair(explain_pair(advice, *tension.pair)))


def test_unknown_name_is_one_line_naming_the_argument_and_close_matches(tmp_path):
    advice = advice_for(tmp_path, [box("web"), box("db")], {})
    with pytest.raises(AdvisorError) as error:
        explain_pair(advice, "web", "dbb")
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith("B: no container named 'dbb'")
    assert "did you mean db?" in message


def test_layout_lists_pods_reasons_and_tensions_with_fixes(tmp_path):
    text = render_layout(triangle(tmp_path))
    assert "pod " in text and "all five answers yes" in text
    assert "Tensions" in text and "fix: answer yes for a + c's scale_together" in text
    assert all(len(line) <= 80 for line in text.splitlines())


def test_cli_explain_pair_after_answers_option(tmp_path, capsys):
    inventory, answers = write(tmp_path, [box("web"), box("proxy")], {"web + proxy": YES})
    code = main(["explain", str(inventory), "--answers", str(answers), "web", "proxy"])
    assert code == 0
    assert capsys.readouterr().out.startswith("web + proxy: share pod")


def test_cli_explain_unknown_name_exits_2_with_one_line(tmp_path, capsys):
    inventory, answers = write(tmp_path, [box("web"), box("proxy")], {})
    code = main(["explain", str(inventory), "--answers", str(answers), "web", "proxi"])
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "did you mean proxy?" in err


def test_port_tension_fix_names_the_port_and_the_answers_still_missing(tmp_path):
    containers = [box("a", ports=[80]), box("b"), box("c", ports=[80])]
    advice = advice_for(tmp_path, containers, {"a + b": YES, "b + c": YES})
    (tension,) = advice.layout.tensions
    fix = explain_pair(advice, *tension.pair).fix
    assert fix is not None
    assert fix.count("change port 80/TCP of a or of c") == 1
    # a + c's transitive answers follow from a + b and b + c: only fits_node is missing
    assert "and answer yes for a + c's fits_node" in fix


def test_capacity_tension_fix_says_which_requests_to_lower(tmp_path):
    containers = [box(n, resources={"cpu": "2"}) for n in "abc"]
    pairs = {p: FOUR_YES for p in ("a + b", "b + c", "a + c")}
    advice = advice_for(tmp_path, containers, pairs, node={"cpu": "5"})
    assert advice.layout.tensions
    for tension in advice.layout.tensions:
        fix = explain_pair(advice, *tension.pair).fix
        assert fix is not None
        assert fix.startswith("lower the CPU requests of a, b, c by 1 in all")


def test_tension_fix_in_a_large_group_still_offers_withdrawals(tmp_path):
    """Past REPLAN_LIMIT containers the fix comes from a local check instead of replanning."""
    helpers = [f"h{i:02d}" for i in range(12)]
    pairs = {"a + b": YES, "b + c": YES, "a + c": {**YES, "scale_together": "no"}}
    pairs.update({f"c + {h}": YES for h in helpers})
    advice = advice_for(tmp_path, [box(n) for n in ("a", "b", "c", *helpers)], pairs)
    fix = explain_pair(advice, "b", "c").fix
    assert fix is not None
    assert fix.startswith("answer yes for a + c's scale_together, or yes for b + h00's")
    assert fix.endswith("or no for one of b + c, a + b, c + h00")


def test_many_blockers_are_grouped_and_one_pair_still_fits_a_screen(tmp_path):
    helpers = [f"helper-number-{i:02d}" for i in range(12)]
    pairs = {"a + b": YES, "b + c": YES, "a + c": {**YES, "scale_together": "no"}}
    pairs.update({f"c + {h}": {"same_host": "no"} for h in helpers})
    pairs.update({f"{x} + {h}": YES for x in "ab" for h in helpers})
    pairs.update({f"{x} + {y}": YES for i, x in enumerate(helpers) for y in helpers[i + 1 :]})
    advice = advice_for(tmp_path, [box(n) for n in ("a", "b", "c", *helpers)], pairs)
    explanation = explain_pair(advice, "b", "c")
    assert explanation.fix is not None
    assert explanation.fix.count("'s same_host, fits_node") == 1  # twelve pairs, one list
    assert fits_screen(render_pair(explanation))


def test_inferred_answer_shows_where_it_came_from(tmp_path):
    pairs = {"a + c": YES, "b + c": {"same_host": "no"}}
    advice = advice_for(tmp_path, [box("a"), box("b"), box("c")], pairs)
    explanation = explain_pair(advice, "a", "b")
    same_host = explanation.answers[0]
    assert (same_host.value, same_host.source) == (False, "inferred")
    assert same_host.reason  # the chain of answers it follows from
    assert f"first no is same_host (inferred: {same_host.reason})" in explanation.because
    assert same_host.reason.split()[0] in render_pair(explanation)


def test_a_name_cut_short_means_the_one_container_it_begins(tmp_path):
    advice = advice_for(tmp_path, [box("web"), box("log-collector")], {})
    explanation = explain_pair(advice, "web", "log")
    assert (explanation.a, explanation.b) == ("web", "log-collector")


def test_a_name_cut_short_that_begins_two_is_offered_both(tmp_path):
    containers = [box("web"), box("log-collector"), box("log-rotator")]
    advice = advice_for(tmp_path, containers, {})
    with pytest.raises(AdvisorError, match="did you mean log-collector, log-rotator"):
        explain_pair(advice, "web", "log")


def test_explain_reads_the_answers_file_ask_saves_by_default(tmp_path, capsys, monkeypatch):
    _, answers = write(tmp_path, [box("a"), box("b")], {"a + b": YES})
    answers.rename(tmp_path / "app.answers.yaml")  # where ask saves it for app.yaml
    monkeypatch.chdir(tmp_path)
    assert main(["explain", "app.yaml", "a", "b"]) == 0
    assert capsys.readouterr().out.startswith("a + b: share pod a")


def test_help_says_what_inventory_can_be(capsys):
    with pytest.raises(SystemExit):
        main(["plan", "--help"])
    assert "docker-compose file, Kubernetes manifests" in " ".join(capsys.readouterr().out.split())


def test_a_pair_split_by_the_users_no_says_which_answer_to_change_and_how(tmp_path):
    pairs = {"web + db": {"same_host": "yes", "single_unit": "yes", "scale_together": "no"}}
    advice = advice_for(tmp_path, [box("web"), box("db")], pairs)
    explanation = explain_pair(advice, "db", "web", "pod-advisor ask app.yaml", "answers.yaml")
    assert explanation.fix == (
        "answer yes to scale_together for web + db (key 'web + db' in answers.yaml), "
        "e.g. pod-advisor ask app.yaml --ask 'web + db'"
    )
    assert "To change it: answer yes to scale_together" in render_pair(explanation)


def test_an_inferred_no_names_the_users_no_it_follows_from(tmp_path):
    yes_but_scale = {**YES, "scale_together": "no"}
    pairs = {"a + b": YES, "b + c": yes_but_scale}
    advice = advice_for(tmp_path, [box("a"), box("b"), box("c")], pairs)
    fix = explain_pair(advice, "a", "c").fix
    assert fix is not None and "follows from b + c's" in fix
    assert fix.endswith("--ask 'b + c'") and "key 'b + c'" in fix


def test_explain_from_the_command_line_names_the_answers_file_in_the_fix(tmp_path, capsys):
    pairs = {"web + db": {"same_host": "no"}}
    inventory, answers = write(tmp_path, [box("web"), box("db")], pairs)
    assert main(["explain", str(inventory), "--answers", str(answers), "web", "db"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert f"answer yes to same_host for web + db (key 'web + db' in {answers})" in text
    assert f"pod-advisor ask {inventory} --answers {answers} --ask 'web + db'" in text
