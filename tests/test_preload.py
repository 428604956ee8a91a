"""``ask`` reads the application in a child process while the terminal's modules load: what
comes back is the questionnaire reading in line gives, and bad input fails as in line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import SHOP_ANSWERS, SHOP_INVENTORY, corpus_folder

from advisor.commands.ask import load_for_asking as _load_for_asking
from advisor.domain.errors import InputError
from advisor.formats.answers import dump_answers
from advisor.terminal import preload
from advisor.terminal.preload import BackgroundLoad


def described(questionnaire):
    """What a session shows and saves: the first step, the progress, the answers file."""
    return (
        questionnaire.next_step(),
        questionnaire.progress(),
        dump_answers(questionnaire.answers_file(), questionnaire.inventory, questionnaire.rules),
    )


def inputs():
    yield SHOP_INVENTORY, SHOP_ANSWERS, False
    yield SHOP_INVENTORY, Path("none.answers.yaml"), True
    corpus = corpus_folder()
    if corpus is not None:  # compose files bring links, volumes and namespaces
        for compose in sorted(corpus.glob("*.yaml"))[::4]:
            yield compose, Path("none.answers.yaml"), False


@pytest.mark.parametrize(("inventory", "answers", "exhaustive"), list(inputs()))
def test_the_questionnaire_read_in_the_background_is_the_one_read_in_line(
    inventory, answers, exhaustive, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    children = []
    real_start = preload._start
    monkeypatch.setattr(preload, "_start", lambda load: children.append(1) or real_start(load))
    in_line = _load_for_asking(inventory, answers, exhaustive, [])
    loading = BackgroundLoad(lambda: _load_for_asking(inventory, answers, exhaustive, []))
    background = loading.result()
    assert children == [1]  # it did come from a child
    assert described(background) == described(in_line)


def test_bad_input_fails_with_the_message_of_reading_in_line(tmp_path):
    broken = tmp_path / "app.yaml"
    broken.write_text("containers:\n  - name: web\n    image: [\n")
    with pytest.raises(InputError) as in_line:
        _load_for_asking(broken, tmp_path / "a.yaml", False, [])
    loading = BackgroundLoad(lambda: _load_for_asking(broken, tmp_path / "a.yaml", False, []))
    with pytest.raises(InputError) as background:
        loading.result()
    assert str(background.value) == str(in_line.value)


def test_warnings_of_the_child_are_printed_once_by_the_parent(tmp_path, capsys):
    app = tmp_path / "app.yaml"
    app.write_text("containers:\n  - {name: web, image: nginx}\n  - {name: db, image: postgres}\n")
    answers = tmp_path / "answers.yaml"
    answers.write_text("version: 1\npairs:\n  web + gone: {same_host: no}\n")
    loading = BackgroundLoad(lambda: _load_for_asking(app, answers, False, []))
    assert capsys.readouterr().err == ""  # the child's stderr is handed back, not printed
    loading.result()
    assert capsys.readouterr().err.count("no longer in") == 1


def test_a_child_left_unread_is_let_go(tmp_path):
    loading = BackgroundLoad(lambda: "x" * 1_000_000)  # more than a pipe holds
    pid = loading._child[0]
    loading.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already waited for: no zombie left


def test_without_fork_it_reads_in_line(monkeypatch):
    monkeypatch.delattr(os, "fork")
    loading = BackgroundLoad(lambda: os.getpid())
    assert loading.result() == os.getpid()
