"""The terminal session: prompts driven through a pipe, and the real command in a
pseudo-terminal, interrupted with Ctrl-C and resumed where it stopped."""

import os
import sys
import time

import kubernetes_validate
import pexpect
import pytest
import yaml
from helpers import K8S_VERSION, REPO, container, inventory_dict, pods_of
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from advisor.domain.model import Pair
from advisor.engine.questionnaire import Questionnaire
from advisor.formats.inventory import inventory_from_data
from advisor.terminal.session import run_session

AB = Pair.of("a", "b")


def two_containers():
    return inventory_from_data(inventory_dict(container("a"), container("b")), "app.yaml")


def session(keys, inventory, rules):
    """Run a session fed ``keys``; return the answers saved after each answer, and the
    exception that ended it (None when it finished)."""
    questionnaire = Questionnaire(inventory, rules, exhaustive=True)
    saved = []

    def save():
        saved.append(
            {
                pair: {q: a.value for q, a in answers.items()}
                for pair, answers in questionnaire.sheet.items()
            }
        )

    ended = None
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        try:
            run_session(questionnaire, save, input=pipe, output=DummyOutput(), review=False)
        except (KeyboardInterrupt, EOFError) as error:
            ended = error
    return saved, ended


def run_two_containers(keys, rules, save, **options):
    """An exhaustive session about a and b, fed ``keys``, without the review."""
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        run_session(
            Questionnaire(two_containers(), rules, exhaustive=True),
            save,
            input=pipe,
            output=DummyOutput(),
            review=False,
            **options,
        )


def test_whole_session_saves_after_every_answer(rules):
    saved, ended = session("yyyyy", two_containers(), rules)
    assert ended is None
    questions = ["same_host", "single_unit", "unified_whole", "scale_together", "fits_node"]
    assert saved == [{AB: dict.fromkeys(questions[: i + 1], True)} for i in range(5)]


def test_no_ends_the_session_for_a_pair(rules):
    saved, ended = session("yn", two_containers(), rules)
    assert ended is None
    assert saved == [
        {AB: {"same_host": True}},
        {AB: {"same_host": True, "single_unit": False}},
    ]


def test_session_walks_every_pair(rules):
    inventory = inventory_from_data(
        inventory_dict(container("a"), container("b"), container("c")), "app.yaml"
    )
    saved, ended = session("nnn", inventory, rules)
    assert ended is None
    assert saved[-1] == {
        Pair.of("a", "b"): {"same_host": False},
        Pair.of("a", "c"): {"same_host": False},
        Pair.of("b", "c"): {"same_host": False},
    }


def test_every_question_on_screen_is_announced_after_the_answer_before_it_was_saved(rules):
    # ask writes the answers file when the next question is drawn: each save must be
    # followed by a drawn prompt, or flushed at the end.
    events = []
    run_two_containers(
        "yyn",
        rules,
        lambda: events.append("saved"),
        after_prompt_drawn=lambda: events.append("drawn"),
    )
    assert events == ["drawn", "saved", "drawn", "saved", "drawn", "saved"]


def test_enter_alone_does_not_answer(rules):
    # questionary's confirm would take Enter as its default (yes); here it must do nothing.
    saved, _ = session("\rn", two_containers(), rules)
    assert saved[0] == {AB: {"same_host": False}}


def test_question_mark_does_not_answer(rules):
    saved, _ = session("?n", two_containers(), rules)
    assert saved[0] == {AB: {"same_host": False}}


def test_ctrl_c_stops_after_the_last_saved_answer(rules):
    saved, ended = session("yy\x03", two_containers(), rules)
    assert isinstance(ended, KeyboardInterrupt)
    assert saved[-1] == {AB: {"same_host": True, "single_unit": True}}


def test_ctrl_d_stops_the_session(rules):
    saved, ended = session("y\x04", two_containers(), rules)
    assert isinstance(ended, EOFError)
    assert saved == [{AB: {"same_host": True}}]


# --- the real command in a pseudo-terminal ------------------------------------------


def spawn_ask(inventory, answers, out, cwd):
    child = pexpect.spawn(
        sys.executable,
        [
            "-m",
            "advisor",
            "ask",
            str(inventory),
            "--exhaustive",
            "--answers",
            str(answers),
            "--out",
            str(out),
        ],
        cwd=str(cwd),
        # No terminal emulator answers prompt_toolkit's cursor position requests here;
        # without this it waits for each answer in turn.
        env={**os.environ, "TERM": "xterm", "PYTHONPATH": str(REPO), "PROMPT_TOOLKIT_NO_CPR": "1"},
        dimensions=(40, 120),
        encoding="utf-8",
        timeout=10,
    )
    return child


def answer(child, prompt, key):
    child.expect_exact(prompt)
    child.send(key)


def saved_pairs(path):
    data = yaml.safe_load(path.read_text())
    return {
        key: {q: (v["answer"] if isinstance(v, dict) else v) for q, v in answers.items()}
        for key, answers in (data.get("pairs") or {}).items()
    }


def test_interrupt_and_resume_in_a_terminal(write_yaml, tmp_path):
    inventory = write_yaml(
        inventory_dict(
            container("web", role="primary", ports=[8080]),
            container("proxy", role="sidecar", ports=[8443]),
            container("db", ports=[5432]),
        ),
        "shop.yaml",
    )
    answers = tmp_path / "answers.yaml"
    out = tmp_path / "out"

    child = spawn_ask(inventory, answers, out, tmp_path)
    answer(child, "Do web and proxy have to run on the same host?", "y")
    child.expect_exact("Should web and proxy be managed as a single unit?")
    # While the next question waits, the answer before it reaches the file.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not (
        answers.exists() and saved_pairs(answers) == {"web + proxy": {"same_host": True}}
    ):
        time.sleep(0.05)
    assert saved_pairs(answers) == {"web + proxy": {"same_host": True}}
    child.send("y")
    child.expect_exact("Do web and proxy form a unified whole")
    child.sendcontrol("c")
    child.expect_exact("To continue: pod-advisor ask")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert saved_pairs(answers) == {"web + proxy": {"same_host": True, "single_unit": True}}
    assert not out.exists()

    child = spawn_ask(inventory, answers, out, tmp_path)
    answer(child, "Do web and proxy form a unified whole", "y")
    assert "same host" not in child.before and "single unit" not in child.before
    answer(child, "Do web and proxy have to be scaled together?", "y")
    answer(child, "Can a single node meet the combined resource needs of web and proxy?", "y")
    answer(child, "Do web and db have to run on the same host?", "n")
    answer(child, "Do proxy and db have to run on the same host?", "n")
    answer(child, "Must web and proxy see or signal each other's processes?", "y")
    answer(child, "All questions are answered.", "\r")  # the review: write the layout
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before

    pairs = saved_pairs(answers)
    assert pairs["web + proxy"] == dict.fromkeys(
        ["same_host", "single_unit", "unified_whole", "scale_together", "fits_node"], True
    )
    assert pairs["web + db"] == {"same_host": False}
    assert pairs["proxy + db"] == {"same_host": False}
    manifests = list(yaml.safe_load_all((out / "pods.yaml").read_text()))
    assert sorted(
        sorted(c["name"] for c in m["spec"]["containers"]) for m in pods_of(manifests)
    ) == [
        ["db"],
        ["proxy", "web"],
    ]
    for manifest in manifests:
        kubernetes_validate.validate(manifest, K8S_VERSION, strict=True)


def test_a_long_list_shows_a_screenful_of_choices_and_shrinks_to_what_the_filter_keeps():
    from advisor.terminal.choose import LIST_ROWS, ChoicePrompt
    from advisor.terminal.promptapp import QUESTIONARY_STYLE

    with create_pipe_input() as pipe:
        prompt = ChoicePrompt(QUESTIONARY_STYLE, lambda: None, pipe, DummyOutput())
        (window,) = [
            w for w in prompt._app.layout.find_all_windows() if w.content is prompt._control
        ]
        heights = []
        prompt._app.after_render += lambda _: heights.append(
            window.preferred_height(120, 500).preferred
        )
        pipe.send_text("app-0042\r")  # type to filter, then pick
        picked = prompt.ask("What is web?", [f"a helper of app-{i:04d}" for i in range(1000)])
        assert picked == "a helper of app-0042"
        assert heights[0] == LIST_ROWS  # a screenful, not 1,000 rows
        assert min(heights) == 1  # only what the filter keeps
        # The next question on the same prompt starts with no filter and the whole list.
        heights.clear()
        pipe.send_text("\r")
        picked = prompt.ask("What is db?", [f"a helper of app-{i:04d}" for i in range(1000)])
    assert picked == "a helper of app-0000"
    assert heights[0] == LIST_ROWS


def test_the_collector_waits_for_a_question_on_screen_and_is_restored_after(rules):
    import gc

    enabled_while_saving = []
    run_two_containers("yn", rules, lambda: enabled_while_saving.append(gc.isenabled()))
    assert enabled_while_saving == [False, False]
    assert gc.isenabled()


def test_a_long_list_formats_only_the_rows_on_screen_and_they_follow_the_pointer():
    from advisor.terminal.choose import LIST_ROWS, ChoiceList

    def rows(control):
        return "".join(text for _, text, *_ in control.rows()).split("\n")

    control = ChoiceList()
    control.start([f"c{i}" for i in range(1000)])
    assert len(rows(control)) == LIST_ROWS and rows(control)[0].endswith(" c0")
    for _ in range(30):
        control.move(1)
    assert rows(control)[-1] == " » c30" and rows(control)[0].endswith(" c19")
    for _ in range(25):
        control.move(-1)
    assert rows(control)[0] == " » c5" and len(rows(control)) == LIST_ROWS
    for character in "c99":  # c99 and c990 to c999: 11 choices, all on screen
        control.type(character)
    assert rows(control) == [" » c99"] + [f"   c{i}" for i in range(990, 1000)]


def printed_until_stopped(questionnaire, keys):
    """Everything a session writes to a 120-column terminal, fed ``keys`` ending in Ctrl-C."""
    import io

    from prompt_toolkit.data_structures import Size
    from prompt_toolkit.output.vt100 import Vt100_Output

    screen = io.StringIO()
    output = Vt100_Output(screen, get_size=lambda: Size(40, 120), term="xterm")
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        with pytest.raises(KeyboardInterrupt):
            run_session(questionnaire, lambda: None, input=pipe, output=output)
    return screen.getvalue()


def test_a_long_inventory_lists_a_screenful_of_roles_and_sums_up_the_rest(rules):
    from advisor.terminal.roles import ROLES_SHOWN

    entries = []
    for k in range(15):  # 15 applications of one primary and one helper
        entries.append(container(f"app{k}", role="primary"))
        entries.append(container(f"app{k}-log", role="sidecar", complements=f"app{k}"))
    questionnaire = Questionnaire(inventory_from_data(inventory_dict(*entries), "big.yaml"), rules)
    # Stopped at the first question: are these roles right?
    shown = printed_until_stopped(questionnaire, "\x03")
    assert "app9-log  helper of app9" in shown  # the 20th container
    assert "app10 " not in shown  # the 21st
    assert f"and {30 - ROLES_SHOWN} more as big.yaml gives them: 5 primary applications, " in shown
    assert "5 helpers" in shown and "Are these roles right?" in shown


def test_back_is_offered_only_once_there_is_an_answer_to_take_back(rules):
    questionnaire = Questionnaire(two_containers(), rules, exhaustive=True)
    shown = printed_until_stopped(questionnaire, "y\x03")  # stopped at the second question
    first = shown.index("Do a and b have to run on the same host?")
    second = shown.index("Should a and b be managed as a single unit?")
    assert "(y/n, ? why)" in shown[first:second] and "b back" not in shown[first:second]
    assert "(y/n, ? why, b back)" in shown[second:]
