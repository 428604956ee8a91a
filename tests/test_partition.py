"""From answers to pods: cliques of together-pairs that meet every constraint as a whole,
as few as possible, and the same whatever order the input lists things in."""

import itertools
import subprocess
import sys
from unittest import mock

import yaml
from helpers import QUESTIONS, REPO, SHOP_ANSWERS, SHOP_INVENTORY, container, inventory_dict
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.domain.model import Answer, Pair
from advisor.engine.constraints import pod_conflict
from advisor.engine.questionnaire import Questionnaire
from advisor.formats.answers import load_answers
from advisor.formats.inventory import inventory_from_data, load_inventory
from advisor.formats.rules import load_rules
from advisor.layout import partition as partition_module
from advisor.layout.advice import advise
from advisor.layout.partition import plan_layout


def make_inventory(*containers, node=None):
    return inventory_from_data(inventory_dict(*containers, node=node), "app.yaml")


def why_apart(pair):
    return f"{pair.label()} was not answered together"


def pod_sets(layout):
    return {frozenset(p.members) for p in layout.pods}


def layout_from_answers(inventory, rules, sheet):
    return advise(Questionnaire(inventory, rules, sheet)).layout


def yes_to_all():
    return {q: Answer(True) for q in QUESTIONS}


# --- examples ------------------------------------------------------------------------


def test_shop_example_pods(rules):
    inventory = load_inventory(SHOP_INVENTORY)
    sheet = load_answers(SHOP_ANSWERS, inventory, rules)
    layout = layout_from_answers(inventory, rules, sheet)
    assert pod_sets(layout) == {
        frozenset({"web", "tls-proxy", "content-agent"}),
        frozenset({"api", "log-collector"}),
        frozenset({"db"}),
    }
    assert layout.tensions == ()


def test_pod_is_named_after_its_primary_and_lists_it_first(rules):
    inventory = load_inventory(SHOP_INVENTORY)
    layout = layout_from_answers(inventory, rules, load_answers(SHOP_ANSWERS, inventory, rules))
    web = layout.pod_of("tls-proxy")
    assert web.name == "web"
    assert web.members[0] == "web"


def test_together_chain_with_apart_ends_gives_two_pods_and_one_tension(rules):
    inventory = make_inventory(container("a"), container("b"), container("c"))
    sheet = {
        Pair.of("a", "b"): yes_to_all(),
        Pair.of("b", "c"): yes_to_all(),
        Pair.of("a", "c"): {"same_host": Answer(False)},
    }
    layout = layout_from_answers(inventory, rules, sheet)
    assert len(layout.pods) == 2
    (tension,) = layout.tensions
    assert tension.pair in (Pair.of("a", "b"), Pair.of("b", "c"))
    first, second = tension.pair
    assert layout.pod_of(first) != layout.pod_of(second)
    assert "a + c" in tension.reason


def test_unanswered_pairs_stay_apart(rules):
    inventory = make_inventory(container("a"), container("b"))
    sheet = {Pair.of("a", "b"): {"same_host": Answer(True)}}
    layout = layout_from_answers(inventory, rules, sheet)
    assert pod_sets(layout) == {frozenset({"a"}), frozenset({"b"})}
    assert layout.tensions == ()


def test_together_pair_binding_one_port_is_split(rules):
    inventory = make_inventory(container("a", ports=[80]), container("b", ports=[80]))
    layout = plan_layout(inventory, rules, [Pair.of("a", "b")], why_apart)
    assert len(layout.pods) == 2
    (tension,) = layout.tensions
    assert "80" in tension.reason


def test_two_primaries_answered_together_are_split(rules):
    inventory = make_inventory(container("a", role="primary"), container("b", role="primary"))
    layout = plan_layout(inventory, rules, [Pair.of("a", "b")], why_apart)
    assert len(layout.pods) == 2
    assert "primary" in layout.tensions[0].reason


def test_capacity_is_summed_over_the_whole_pod(rules):
    # Each pair fits the node (2 of 2.5 CPU); all three together (3) do not.
    inventory = make_inventory(
        container("a", resources={"cpu": 1}),
        container("b", resources={"cpu": 1}),
        container("c", resources={"cpu": 1}),
        node={"cpu": "2.5"},
    )
    asked = {q: Answer(True) for q in QUESTIONS if q != "fits_node"}
    sheet = {Pair.of(x, y): dict(asked) for x, y in ["ab", "bc", "ac"]}
    questionnaire = Questionnaire(inventory, rules, sheet)
    assert len(questionnaire.together().every_pair()) == 3  # fits_node computed yes for every pair
    layout = advise(questionnaire).layout
    assert len(layout.pods) == 2
    for pod in layout.pods:
        members = [inventory.container(n) for n in pod.members]
        assert pod_conflict(members, inventory.node, rules) is None
    # the one container left out was answered together with both others
    assert len(layout.tensions) == 2
    assert all("CPU" in t.reason for t in layout.tensions)


def test_shop_layout_does_not_depend_on_listing_order(rules, write_yaml):
    data = yaml.safe_load(SHOP_INVENTORY.read_text())
    data["containers"].reverse()
    answers = yaml.safe_load(SHOP_ANSWERS.read_text())
    answers["pairs"] = {
        " + ".join(reversed(key.split(" + "))): value
        for key, value in reversed(list(answers["pairs"].items()))
    }
    inventory = load_inventory(write_yaml(data, "app.yaml"))
    sheet = load_answers(write_yaml(answers, "answers.yaml"), inventory, rules)
    reordered = layout_from_answers(inventory, rules, sheet)

    original_inventory = load_inventory(SHOP_INVENTORY)
    original = layout_from_answers(
        original_inventory, rules, load_answers(SHOP_ANSWERS, original_inventory, rules)
    )
    assert reordered.pods == original.pods


# --- properties on small random graphs ------------------------------------------------

RULES = load_rules()
NAMES = ["ant", "bee", "cat", "dog", "eel", "fox", "gnu"]


@st.composite
def applications(draw):
    """A small inventory (as data) and the pairs answered together."""
    count = draw(st.integers(min_value=1, max_value=7))
    names = draw(st.permutations(NAMES))[:count]
    containers = []
    for name in names:
        entry = container(name)
        ports = draw(st.lists(st.sampled_from([80, 443, 8080]), max_size=2, unique=True))
        if ports:
            entry["ports"] = ports
        role = draw(st.sampled_from([None, "primary", "sidecar"]))
        if role:
            entry["role"] = role
        cpu = draw(st.sampled_from([None, "500m", "1", "1500m"]))
        if cpu:
            entry["resources"] = {"cpu": cpu}
        containers.append(entry)
    node = draw(st.sampled_from([None, {"cpu": "2"}, {"cpu": "3"}]))
    all_pairs = [Pair.of(a, b) for a, b in itertools.combinations(names, 2)]
    together = draw(st.lists(st.sampled_from(all_pairs), unique=True)) if all_pairs else []
    return inventory_dict(*containers, node=node), together


def set_partitions(items):
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for partition in set_partitions(rest):
        for i in range(len(partition)):
            yield [*partition[:i], [first, *partition[i]], *partition[i + 1 :]]
        yield [[first], *partition]


def valid_pod(names, edges, inventory):
    if any(Pair.of(a, b) not in edges for a, b in itertools.combinations(names, 2)):
        return False
    members = [inventory.container(n) for n in names]
    return pod_conflict(members, inventory.node, RULES) is None


def brute_force(inventory, together):
    """(fewest pods, most together-pairs honoured among those) over every set partition."""
    edges = set(together)
    best = None
    for partition in set_partitions([c.name for c in inventory.containers]):
        if all(valid_pod(group, edges, inventory) for group in partition):
            honoured = sum(len(g) * (len(g) - 1) // 2 for g in partition)
            key = (len(partition), -honoured)
            best = key if best is None or key < best else best
    return best[0], -best[1]


@settings(max_examples=150, deadline=None)
@given(applications())
def test_every_pod_is_a_valid_clique_and_the_pod_count_is_minimal(app):
    data, together = app
    inventory = inventory_from_data(data, "app.yaml")
    layout = plan_layout(inventory, RULES, together, why_apart)

    placed = [name for pod in layout.pods for name in pod.members]
    assert sorted(placed) == sorted(c.name for c in inventory.containers)
    edges = set(together)
    for pod in layout.pods:
        for a, b in itertools.combinations(pod.members, 2):
            assert Pair.of(a, b) in edges
        members = [inventory.container(n) for n in pod.members]
        assert pod_conflict(members, inventory.node, RULES) is None
    fewest, _ = brute_force(inventory, together)
    assert len(layout.pods) == fewest


@settings(max_examples=150, deadline=None)
@given(applications())
def test_tensions_are_exactly_the_together_pairs_left_apart(app):
    data, together = app
    inventory = inventory_from_data(data, "app.yaml")
    layout = plan_layout(inventory, RULES, together, why_apart)
    split = {p for p in together if layout.pod_of(p.first) != layout.pod_of(p.second)}
    assert {t.pair for t in layout.tensions} == split
    assert len(layout.tensions) == len(split)
    _, most_honoured = brute_force(inventory, together)
    assert len(together) - len(split) == most_honoured


@settings(max_examples=100, deadline=None)
@given(applications(), st.randoms(use_true_random=False))
def test_layout_does_not_depend_on_input_order(app, random):
    data, together = app
    inventory = inventory_from_data(data, "app.yaml")
    layout = plan_layout(inventory, RULES, together, why_apart)

    shuffled = dict(data, containers=random.sample(data["containers"], len(data["containers"])))
    shuffled_pairs = random.sample(together, len(together))
    again = plan_layout(inventory_from_data(shuffled, "app.yaml"), RULES, shuffled_pairs, why_apart)
    assert again == layout


@st.composite
def answered_as_pods(draw):
    """A small inventory and together-answers that form cliques, most of them valid pods: the
    case the layout recognises without the graph."""
    data, _ = draw(applications())
    names = [c["name"] for c in data["containers"]]
    group_of = {name: draw(st.integers(min_value=0, max_value=2)) for name in names}
    together = [
        Pair.of(a, b) for a, b in itertools.combinations(names, 2) if group_of[a] == group_of[b]
    ]
    return data, together


@settings(max_examples=150, deadline=None)
@given(answered_as_pods())
def test_groups_answered_together_are_laid_out_as_the_search_lays_them_out(app):
    data, together = app
    inventory = inventory_from_data(data, "app.yaml")
    layout = plan_layout(inventory, RULES, together, why_apart)
    with mock.patch.object(partition_module, "_pods_as_answered", return_value=None):
        searched = plan_layout(inventory, RULES, together, why_apart)
    assert layout == searched


def test_groups_answered_together_need_no_graph_library(tmp_path):
    # networkx is a fifth of a second of plan; the layout of answered pods does without it.
    script = (
        "import sys\n"
        "from advisor.formats.inventory import inventory_from_data\n"
        "from advisor.formats.rules import load_rules\n"
        "from advisor.domain.model import Pair\n"
        "from advisor.layout.partition import plan_layout\n"
        "data = {'name': 'a', 'containers': [{'name': n, 'image': 'i'} for n in 'abc']}\n"
        "inventory = inventory_from_data(data, 'app.yaml')\n"
        "layout = plan_layout(inventory, load_rules(), [Pair.of('a', 'b')], str)\n"
        "assert len(layout.pods) == 2\n"
        "print(sorted(m for m in sys.modules if m.startswith('networkx')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout


# --- large groups: a bounded search, then a greedy layout that still honours the answers ---


def chain(count):
    """Containers c0000 ... and a together-answer for each neighbouring pair only."""
    names = [f"c{i:04d}" for i in range(count)]
    inventory = make_inventory(*(container(n) for n in names))
    return inventory, [Pair.of(a, b) for a, b in itertools.pairwise(names)]


def assert_valid_layout(layout, inventory, together):
    """Every container in one pod, every pod a valid clique, every split wish a tension."""
    placed = [name for pod in layout.pods for name in pod.members]
    assert sorted(placed) == sorted(c.name for c in inventory.containers)
    edges = set(together)
    for pod in layout.pods:
        assert all(Pair.of(a, b) in edges for a, b in itertools.combinations(pod.members, 2))
        members = [inventory.container(n) for n in pod.members]
        assert pod_conflict(members, inventory.node, RULES) is None
    split = {p for p in edges if layout.pod_of(p.first) != layout.pod_of(p.second)}
    assert [t.pair for t in layout.tensions] == sorted(split)
    assert all(t.reason for t in layout.tensions)
    assert layout.lower_bound <= len(layout.pods)


def test_a_chain_of_a_thousand_containers_is_laid_out_in_pairs():
    # The search once recursed once per container of a group: past Python's limit here.
    inventory, together = chain(1000)
    layout = plan_layout(inventory, RULES, together, why_apart)
    assert_valid_layout(layout, inventory, together)
    assert not layout.exact
    assert (len(layout.pods), layout.gap) == (500, 0)  # pairs from one end: the fewest
    assert len(layout.tensions) == 499


def test_the_search_budget_is_shared_by_the_groups(monkeypatch):
    # Five chains of six, 13 steps of search each: a budget of 30 settles two of them and
    # leaves the others to the greedy layout.
    monkeypatch.setattr(partition_module, "LAYOUT_SEARCH_STEPS", 30)
    monkeypatch.setattr(partition_module, "EXACT_SEARCH_STEPS", 20)
    names = [f"g{g}c{i}" for g in range(5) for i in range(6)]
    inventory = make_inventory(*(container(n) for n in names))
    together = [Pair.of(f"g{g}c{i}", f"g{g}c{i + 1}") for g in range(5) for i in range(5)]
    searched = []
    solve = partition_module._solve_exactly

    def counting(nodes, *args):
        solved = solve(nodes, *args)
        searched.append(solved is not None)
        return solved

    monkeypatch.setattr(partition_module, "_solve_exactly", counting)
    layout = plan_layout(inventory, RULES, together, why_apart)
    assert_valid_layout(layout, inventory, together)
    assert not layout.exact
    assert searched == [True, True, False, False, False]


@settings(max_examples=150, deadline=None)
@given(applications(), st.integers(min_value=0, max_value=40))
def test_a_layout_on_any_budget_honours_every_answer_or_names_a_tension(app, steps):
    data, together = app
    inventory = inventory_from_data(data, "app.yaml")
    with mock.patch.object(partition_module, "LAYOUT_SEARCH_STEPS", steps):
        layout = plan_layout(inventory, RULES, together, why_apart)
    assert_valid_layout(layout, inventory, together)
    fewest, _ = brute_force(inventory, together)
    assert layout.lower_bound <= fewest <= len(layout.pods)


@settings(max_examples=100, deadline=None)
@given(applications(), st.randoms(use_true_random=False))
def test_a_greedy_layout_does_not_depend_on_input_order(app, random):
    data, together = app
    inventory = inventory_from_data(data, "app.yaml")
    with mock.patch.object(partition_module, "LAYOUT_SEARCH_STEPS", 0):
        layout = plan_layout(inventory, RULES, together, why_apart)
        shuffled = dict(data, containers=random.sample(data["containers"], len(data["containers"])))
        pairs = random.sample(together, len(together))
        again = plan_layout(inventory_from_data(shuffled, "app.yaml"), RULES, pairs, why_apart)
    assert again == layout
