"""Saying "n" to "Are these roles right?" is an answer like any other: it is saved
(``inventory_roles: declined``), so a session stopped at the role list resumes there, and
the count of answers saved that the stop prints is true."""

from __future__ import annotations

import os
import re
import sys

import pexpect
import pytest
import yaml

from advisor.domain.errors import InputError
from advisor.engine.questionnaire import Questionnaire, RolesStep, RoleStep
from advisor.formats.answers import dump_own_answers, load_answers
from advisor.formats.inventory import inventory_from_data
from tests.helpers import REPO, container, inventory_dict

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def with_roles():
    return inventory_dict(
        container("shop", role="primary"),
        container("proxy", role="sidecar", complements="shop"),
        container("db", role="primary"),
    )


def test_a_declined_confirmation_is_saved_and_read_back(rules, tmp_path) -> None:
    inventory = inventory_from_data(with_roles(), "app.yaml")
    questionnaire = Questionnaire(inventory, rules)
    assert isinstance(questionnaire.next_step(), RolesStep)
    questionnaire.confirm_roles(False)
    text = dump_own_answers(questionnaire.own_answers(), inventory, rules)
    assert "inventory_roles: declined\n" in text
    (tmp_path / "answers.yaml").write_text(text)
    resumed = Questionnaire(
        inventory, rules, load_answers(tmp_path / "answers.yaml", inventory, rules)
    )
    step = resumed.next_step()
    assert isinstance(step, RoleStep) and step.container == "shop"


def test_going_back_over_a_declined_confirmation_asks_it_again(rules) -> None:
    questionnaire = Questionnaire(inventory_from_data(with_roles(), "app.yaml"), rules)
    questionnaire.confirm_roles(False)
    questionnaire.undo()
    assert isinstance(questionnaire.next_step(), RolesStep)
    assert not questionnaire.own_answers().roles_declined


def test_inventory_roles_takes_only_declined(rules, write_yaml) -> None:
    inventory = inventory_from_data(with_roles(), "app.yaml")
    path = write_yaml("version: 1\ninventory_roles: maybe\n", "answers.yaml")
    with pytest.raises(InputError, match=r"inventory_roles.*can only be 'declined', not 'maybe'"):
        load_answers(path, inventory, rules)


def test_no_then_ctrl_d_at_the_role_list_resumes_at_the_role_list(write_yaml, tmp_path) -> None:
    write_yaml(with_roles(), "app.yaml")

    def session():
        return pexpect.spawn(
            sys.executable,
            ["-m", "advisor", "ask", "app.yaml", "--answers", "answers.yaml", "--out", "out"],
            cwd=str(tmp_path),
            env={
                **os.environ,
                "TERM": "xterm",
                "PYTHONPATH": str(REPO),
                "PROMPT_TOOLKIT_NO_CPR": "1",
            },
            dimensions=(40, 120),
            encoding="utf-8",
            timeout=20,
        )

    child = session()
    child.expect_exact("Are these roles right?")
    child.expect_exact("No: ask me what each one is")
    child.send("\x1b[A\r")  # up from "Yes" wraps to the last entry: no, ask each
    child.expect_exact("What is shop?")
    child.sendcontrol("d")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "Stopped; 1 answer is saved in answers.yaml." in ANSI.sub("", child.before)
    assert yaml.safe_load((tmp_path / "answers.yaml").read_text())["inventory_roles"] == "declined"
    child = session()
    assert child.expect_exact(["What is shop?", "Are these roles right?"]) == 0
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
