"""An answers file against compose profiles: entries naming a service that a profile
leaves out of this run are kept in the file and ignored, with one note naming the profile."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from advisor.cli import main
from advisor.commands.load import load_session
from advisor.commands.saving import SessionFile
from advisor.engine.questionnaire import QuestionStep

COMPOSE = """\
services:
  web: {image: nginx}
  db: {image: postgres:16}
  debugger: {image: busybox, profiles: [debug]}
"""
ANSWERS = """\
version: 1
roles:
  debugger: helper of web
pairs:
  web + debugger: {same_host: yes}
  web + db: {same_host: no}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "compose.yaml").write_text(COMPOSE)
    (tmp_path / "answers.yaml").write_text(ANSWERS)
    return tmp_path


def test_plan_without_the_profile_ignores_its_answers_with_a_note(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["plan", str(project / "compose.yaml"), "--answers", str(project / "answers.yaml")])
    err = capsys.readouterr().err
    assert code == 0, err
    notes = [line for line in err.splitlines() if "kept, not used this run" in line]
    assert notes == [
        f"pod-advisor: {project / 'answers.yaml'}: answers naming debugger kept, not used this "
        "run: it runs only with the profile debug (--profile debug)"
    ]


def test_plan_with_the_profile_uses_them(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = str(project / "answers.yaml")
    assert (
        main(["plan", str(project / "compose.yaml"), "--answers", answers, "--profile", "debug"])
        == 0
    )
    assert "kept, not used" not in capsys.readouterr().err


def test_a_name_in_no_service_at_all_is_still_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "answers.yaml").write_text("version: 1\npairs:\n  web + nobody: {same_host: no}\n")
    assert (
        main(["plan", str(project / "compose.yaml"), "--answers", str(project / "answers.yaml")])
        == 2
    )
    assert "no container named 'nobody'" in capsys.readouterr().err


def test_an_ask_session_without_the_profile_saves_the_hidden_answers_back(project: Path) -> None:
    path = project / "answers.yaml"
    questionnaire, loaded = load_session(
        project / "compose.yaml", path, False, exhaustive=True, reask=["web + db"], lenient=True
    )
    session = SessionFile(questionnaire, loaded, path, path)
    step = questionnaire.next_step()
    while not isinstance(step, QuestionStep):  # past the roles, to the first question
        questionnaire.confirm_roles(True)
        step = questionnaire.next_step()
    questionnaire.answer(step, True)
    session.save_own_answers()
    saved = yaml.safe_load(path.read_text())
    assert saved["pairs"]["web + debugger"] == {"same_host": True}
    assert saved["roles"]["debugger"] == "helper of web"
    assert saved["pairs"]["web + db"]["same_host"] is True


def test_explain_names_the_profile_of_a_service_it_leaves_out(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["explain", str(project / "compose.yaml"), "web", "debugger"]) == 2
    err = capsys.readouterr().err.splitlines()[-1]
    assert err == (
        "pod-advisor: error: B: 'debugger' runs only with the profile debug: "
        "add --profile debug to explain it"
    )
    compose, profile = str(project / "compose.yaml"), ["--profile", "debug"]
    assert main(["explain", compose, "web", "debugger", *profile]) == 0
