"""Helpers for the explain, report and diagram tests: small inventories written to tmp_path."""

import yaml

from advisor.engine.questionnaire import Questionnaire
from advisor.formats.answers import load_answers
from advisor.formats.inventory import load_inventory
from advisor.formats.rules import load_rules
from advisor.layout.advice import Advice, advise

ASKED = ("same_host", "single_unit", "unified_whole", "scale_together")
YES = {q: "yes" for q in (*ASKED, "fits_node")}
FOUR_YES = {q: "yes" for q in ASKED}  # fits_node left for the node's capacity to decide


def box(name, **fields):
    """One inventory container entry as a user would write it."""
    return {"name": name, "image": "example/app:1", **fields}


def write(tmp_path, containers, pairs, node=None):
    """Write an inventory and an answers file; return their paths."""
    inventory = {"name": "demo", "containers": containers}
    if node is not None:
        inventory["node"] = node
    inventory_path = tmp_path / "app.yaml"
    answers_path = tmp_path / "answers.yaml"
    inventory_path.write_text(yaml.safe_dump(inventory, sort_keys=False))
    answers_path.write_text(yaml.safe_dump({"version": 1, "pairs": pairs}, sort_keys=False))
    return inventory_path, answers_path


def advice_for(tmp_path, containers, pairs, node=None) -> Advice:
    """The advice for an inline inventory and answers, loaded as the CLI loads them."""
    inventory_path, answers_path = write(tmp_path, containers, pairs, node)
    rules = load_rules()
    inventory = load_inventory(inventory_path)
    return advise(Questionnaire(inventory, rules, load_answers(answers_path, inventory, rules)))


def triangle(tmp_path):
    """a + b and b + c together, a + c apart at scale_together: one wish cannot be kept."""
    pairs = {"a + b": YES, "b + c": YES, "a + c": {**YES, "scale_together": "no"}}
    return advice_for(tmp_path, [box("a"), box("b"), box("c")], pairs)
