"""Answers saved for an older inventory: ``ask`` keeps what still applies and drops the rest with
one warning; ``plan`` refuses the file, as it refuses any bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from advisor.cli import main
from advisor.domain.errors import InputError
from advisor.domain.model import Pair
from advisor.domain.rules import Rules
from advisor.formats.answers import load_answers, new_pairs
from advisor.formats.inventory import load_inventory

YES = "{same_host: yes, single_unit: yes, unified_whole: yes, scale_together: yes, fits_node: yes}"
OLD_ANSWERS = f"""version: 1
roles:
  web: primary
  oldname: helper of web
  db: primary
pairs:
  web + db: {{same_host: no}}
  web + oldname: {YES}
  gone + db: {{same_host: no}}
  web + oldname + db: {{same_host: no}}
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """web and db kept, oldname renamed to agent, gone removed."""
    (tmp_path / "app.yaml").write_text(
        "containers:\n"
        "  - {name: web, image: nginx}\n"
        "  - {name: db, image: postgres}\n"
        "  - {name: agent, image: fetcher}\n"
    )
    (tmp_path / "answers.yaml").write_text(OLD_ANSWERS)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_lenient_load_keeps_what_applies_and_lists_the_stale_keys(
    folder: Path, rules: Rules
) -> None:
    inventory = load_inventory(folder / "app.yaml")
    answers = load_answers(folder / "answers.yaml", inventory, rules, lenient=True)
    assert set(answers.pairs) == {Pair.of("web", "db")}
    assert answers.pairs[Pair.of("web", "db")]["same_host"].value is False
    assert answers.groups == {}
    assert answers.roles == {"web": None, "db": None}
    assert answers.stale == ["roles.oldname", "web + oldname", "gone + db", "web + oldname + db"]


def test_strict_load_refuses_the_first_stale_key(folder: Path, rules: Rules) -> None:
    inventory = load_inventory(folder / "app.yaml")
    with pytest.raises(InputError, match=r":4:3: roles.oldname: no container named 'oldname'"):
        load_answers(folder / "answers.yaml", inventory, rules)


def test_new_pairs_are_those_with_a_container_the_file_never_names(
    folder: Path, rules: Rules
) -> None:
    inventory = load_inventory(folder / "app.yaml")
    answers = load_answers(folder / "answers.yaml", inventory, rules, lenient=True)
    assert new_pairs(answers, inventory) == [Pair.of("web", "agent"), Pair.of("db", "agent")]


def test_plan_refuses_answers_for_an_older_inventory(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plan", "app.yaml", "--answers", "answers.yaml"]) == 2
    assert capsys.readouterr().err == (
        "pod-advisor: error: answers.yaml:4:3: roles.oldname: no container named 'oldname' "
        "in app.yaml; if it was removed or renamed, 'pod-advisor ask' drops its answers\n"
    )
    assert (folder / "answers.yaml").read_text() == OLD_ANSWERS


def test_ask_warns_once_and_drops_the_stale_answers_on_save(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "answers.yaml").write_text(
        OLD_ANSWERS + "  web + agent: {same_host: no}\n  db + agent: {same_host: no}\n"
    )
    code = main(["ask", "app.yaml", "--answers", "answers.yaml", "--exhaustive", "--out", "out"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert err == (
        "pod-advisor: warning: answers.yaml: 4 answers name containers no longer in app.yaml "
        "(roles.oldname, web + oldname, gone + db, web + oldname + db); they are dropped on "
        "the next save\n"
    )
    saved = yaml.safe_load((folder / "answers.yaml").read_text())
    assert set(saved["pairs"]) == {"web + db", "web + agent", "db + agent"}
    assert "oldname" not in (folder / "answers.yaml").read_text()
    assert (folder / "out" / "pods.yaml").exists()
    assert not (folder / "answers.yaml.lock").exists()


def test_ask_says_how_many_pairs_are_new(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["ask", "app.yaml", "--answers", "answers.yaml", "--exhaustive", "--out", "out"])
    err = capsys.readouterr().err.splitlines()
    assert code == 2  # questions are open and there is no terminal
    assert err[0].startswith("pod-advisor: warning: answers.yaml: 4 answers name containers")
    assert err[1] == "pod-advisor: app.yaml: 2 pairs are new since answers.yaml was saved"
    assert err[2].startswith("pod-advisor: error: ask needs a terminal")
    assert (folder / "answers.yaml").read_text() == OLD_ANSWERS
    assert not (folder / "out").exists()


def test_ask_is_quiet_when_the_inventory_did_not_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app.yaml").write_text(
        "containers:\n  - {name: web, image: nginx}\n  - {name: db, image: postgres}\n"
    )
    (tmp_path / "answers.yaml").write_text("version: 1\npairs:\n  web + db: {same_host: no}\n")
    assert main(["ask", "app.yaml", "--answers", "answers.yaml", "--exhaustive"]) == 0
    assert capsys.readouterr().err == ""


def test_a_session_stopped_during_the_roles_has_no_new_pairs(
    folder: Path, rules: Rules, capsys: pytest.CaptureFixture[str]
) -> None:
    # Stopped after the first role: the other containers are not asked about yet, not new.
    (folder / "answers.yaml").write_text(
        "version: 1\nasked: 2\nroles:\n  web: primary\n  db: helper of web\n"
        "pairs:\n  web + db:\n    unified_whole: {answer: yes, source: inferred, "
        "reason: db was named a helper of web}\n"
    )
    inventory = load_inventory(folder / "app.yaml")
    answers = load_answers(folder / "answers.yaml", inventory, rules, lenient=True)
    assert new_pairs(answers, inventory) == []
    assert main(["ask", "app.yaml", "--answers", "answers.yaml", "--out", "out"]) == 2
    err = capsys.readouterr().err
    assert "new since" not in err and err.startswith("pod-advisor: error: ask needs a terminal")
