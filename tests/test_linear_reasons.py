"""Reasons linear in the answers: a pod joined by a chain (or a random tangle) of
together-answers is explained by the answers given, one line each, not by a chain per pair;
``explain A B`` derives the one chain it needs."""

import itertools
import random

import yaml
from layout_helpers import YES, advice_for, box

from advisor.domain.model import Pair
from advisor.exporters.layout import dump_layout
from advisor.exporters.report import render_report
from advisor.layout.explain import explain_pair, render_layout, render_pair

NODE = {"cpu": "64", "memory": "64Gi"}


def small(name):
    return box(name, resources={"cpu": "10m", "memory": "16Mi"})


def names(count):
    return [f"c{i:03d}" for i in range(count)]


def chain_advice(tmp_path, count):
    """``count`` containers, each answered together (all five yes) with the next."""
    members = names(count)
    pairs = {f"{a} + {b}": YES for a, b in itertools.pairwise(members)}
    folder = tmp_path / f"chain{count}"
    folder.mkdir()
    return advice_for(folder, [small(n) for n in members], pairs, NODE)


def random_advice(tmp_path, count, seed):
    """``count`` containers and ``count`` random pairs of them answered together."""
    members = names(count)
    rng = random.Random(seed)
    chosen: set[Pair] = set()
    while len(chosen) < count:
        chosen.add(Pair.of(*rng.sample(members, 2)))
    pairs = {f"{a} + {b}": YES for a, b in sorted(chosen)}
    folder = tmp_path / f"random{count}"
    folder.mkdir()
    return advice_for(folder, [small(n) for n in members], pairs, NODE)


def sizes(advice):
    return {
        "layout.yaml": len(dump_layout(advice).encode()),
        "report.md": len(render_report(advice).encode()),
        "explain": len(render_layout(advice).encode()),
    }


def assert_at_most_doubles(small_sizes, large_sizes):
    """Twice the answers, at most about twice the bytes (a chain per pair is eight times)."""
    for output, size in small_sizes.items():
        assert large_sizes[output] <= 2.2 * size, (output, size, large_sizes[output])


def test_outputs_grow_linearly_along_a_chain_of_together_answers(tmp_path):
    short, long = chain_advice(tmp_path, 40), chain_advice(tmp_path, 80)
    assert len(short.layout.pods) == len(long.layout.pods) == 1
    assert_at_most_doubles(sizes(short), sizes(long))


def test_outputs_grow_linearly_with_random_together_answers(tmp_path):
    fewer, more = random_advice(tmp_path, 60, seed=1), random_advice(tmp_path, 120, seed=2)
    assert max(len(p.members) for p in more.layout.pods) > 40  # one large pod, at least
    assert_at_most_doubles(sizes(fewer), sizes(more))


def test_outputs_grow_linearly_when_a_chain_is_packed_into_several_pods(tmp_path):
    node = {"cpu": "64", "memory": "256Mi"}  # 16 containers a pod
    short, long = (
        advice_for(_folder(tmp_path, n), [small(c) for c in names(n)], _chain(n), node)
        for n in (64, 128)
    )
    assert (len(short.layout.pods), len(long.layout.pods)) == (4, 8)
    assert_at_most_doubles(sizes(short), sizes(long))


def test_outputs_grow_linearly_when_two_of_a_chain_bind_one_port(tmp_path):
    def advice(count):
        containers = [small(c) for c in names(count)]
        for k in (3, count - 3):  # two of the chain bind port 80: they cannot share a pod
            containers[k] = containers[k] | {"ports": [80]}
        return advice_for(_folder(tmp_path, count), containers, _chain(count), NODE)

    short, long = advice(60), advice(120)
    assert [len(p.members) for p in long.layout.pods] == [119, 1]
    # The two answers given across the split, not the 118 pairs across.
    assert [t.pair for t in long.layout.tensions] == [
        Pair.of("c116", "c117"),
        Pair.of("c117", "c118"),
    ]
    assert all(
        "port 80/TCP is bound by both c003 and c117" in t.reason for t in long.layout.tensions
    )
    assert_at_most_doubles(sizes(short), sizes(long))


def _folder(tmp_path, count):
    folder = tmp_path / f"packed{count}"
    folder.mkdir()
    return folder


def _chain(count):
    return {f"{a} + {b}": YES for a, b in itertools.pairwise(names(count))}


def test_a_pods_reasons_name_each_answer_given_once_then_the_other_pairs(tmp_path):
    advice = chain_advice(tmp_path, 4)
    (pod,) = advice.layout.pods
    document_why = next(p["why"] for p in _pods(advice) if p["name"] == pod.name)
    assert document_why == [
        "c000 + c001: all five answers yes",
        "c001 + c002: all five answers yes",
        "c002 + c003: all five answers yes",
        "the other 3 pairs: all five answers yes, inferred along the yes answers above "
        "(same_host, single_unit, unified_whole, scale_together), fits_node computed from "
        "their requests",
    ]


def test_explain_a_b_derives_the_one_chain_between_them(tmp_path):
    text = " ".join(render_pair(explain_pair(chain_advice(tmp_path, 4), "c000", "c003")).split())
    assert "share pod c000" in text
    assert "scale_together yes inferred: from c000~c001 yes, c001~c002 yes, c002~c003 yes" in text


def test_a_chain_is_one_clique_for_the_layout_not_every_pair(tmp_path):
    advice = chain_advice(tmp_path, 30)
    together = advice.answered_together()
    assert together.cliques == (tuple(names(30)),)
    assert together.pairs == ()
    assert len(together.every_pair()) == 30 * 29 // 2


def test_a_pair_of_a_class_a_constraint_parts_is_left_out_of_its_clique(tmp_path):
    # a ~ b ~ c all yes, but a and c bind one port: a + c is apart, the rest together.
    containers = [small("a") | {"ports": [80]}, small("b"), small("c") | {"ports": [80]}]
    advice = advice_for(tmp_path, containers, {"a + b": YES, "b + c": YES}, NODE)
    together = advice.answered_together()
    assert together.cliques == (("a", "b", "c"),)
    assert together.parted == {Pair.of("a", "c")}
    assert together.every_pair() == [Pair.of("a", "b"), Pair.of("b", "c")]
    assert len(advice.layout.pods) == 2 and len(advice.layout.tensions) == 1


def test_a_class_whose_fits_node_the_facts_cannot_answer_is_listed_pair_by_pair(tmp_path):
    # c gives no requests: a + c's fits_node is open, so a + c is not together.
    containers = [small("a"), small("b"), box("c")]
    advice = advice_for(tmp_path, containers, {"a + b": YES, "b + c": YES}, NODE)
    together = advice.answered_together()
    assert together.cliques == ()
    assert together.pairs == (Pair.of("a", "b"), Pair.of("b", "c"))


def _pods(advice):
    return yaml.safe_load(dump_layout(advice))["pods"]


def test_a_clique_too_large_for_the_node_is_packed_naming_the_given_answers_it_splits(tmp_path):
    members = names(30)  # 30 x 16Mi in pods of at most 256Mi: 2 pods
    pairs = {f"{a} + {b}": YES for a, b in itertools.pairwise(members)}
    node = {"cpu": "64", "memory": "256Mi"}
    advice = advice_for(tmp_path, [small(n) for n in members], pairs, node)
    assert [len(p.members) for p in advice.layout.pods] == [16, 14]
    (tension,) = advice.layout.tensions
    assert tension.pair == Pair.of("c015", "c016")  # the answer given across the split
    assert "a class of 30 containers answered together" in tension.reason
    assert "224 pairs across them" in tension.reason  # 16 x 14, named once
    assert advice.layout.exact  # the summed requests need two pods at least
    text = " ".join(render_pair(explain_pair(advice, "c001", "c029")).split())
    assert "do not share a pod" in text and "a class of 30 containers" in text


def test_a_part_joined_by_a_long_chain_names_its_length_and_explain_lists_it(tmp_path):
    containers = [small(c) for c in names(12)]
    for k in (3, 8):  # c008 cannot join c003's pod: c007 + c009 are joined through it only
        containers[k] = containers[k] | {"ports": [80]}
    advice = advice_for(tmp_path, containers, _chain(12), NODE)
    why = next(p["why"] for p in _pods(advice) if p["name"] == "c000")
    joining = next(line for line in why if line.startswith("c000 + c009:"))
    assert "scale_together inferred (along a chain of 9 answers: explain c000 c009 lists it)" in (
        " ".join(joining.split())
    )
    text = " ".join(render_pair(explain_pair(advice, "c000", "c009")).split())
    assert "c007~c008 yes, c008~c009 yes" in text
