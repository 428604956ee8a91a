"""The session's prompts look exactly like questionary's own select and confirm: every screen
they draw while a user answers, on an emulated terminal (pyte), characters, colours and
cursor alike. (They are rebuilt for speed, see advisor/choose.py and advisor/yesno.py.)"""

import io

import pyte
import questionary
from prompt_toolkit.application import Application
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output

from advisor.terminal.choose import ChoicePrompt
from advisor.terminal.screen import prompt_style as _prompt_style
from advisor.terminal.yesno import YesNoPrompt

ROWS, COLUMNS = 24, 100


class _Terminal(io.StringIO):
    """What prompt_toolkit writes to, drawn on a pyte screen; answers the cursor position
    requests a real terminal answers (prompt_toolkit learns the rows below the prompt so)."""

    def __init__(self, pipe):
        super().__init__()
        self.screen = pyte.Screen(COLUMNS, ROWS)
        self._stream = pyte.Stream(self.screen)
        self._pipe = pipe

    def write(self, text):
        self._stream.feed(text)
        if "\x1b[6n" in text:
            cursor = self.screen.cursor
            self._pipe.send_text(f"\x1b[{cursor.y + 1};{cursor.x + 1}R")
        return len(text)

    def isatty(self):
        return True

    def fileno(self):
        raise io.UnsupportedOperation

    def drawn(self):
        """The screen: each line's characters with their colour and weight, and the cursor."""
        lines = []
        for y in range(ROWS):
            row = self.screen.buffer[y]
            cells = [row[x] for x in range(COLUMNS)]
            lines.append([(c.data, c.fg, c.bold, c.reverse) for c in cells])
        return lines, (self.screen.cursor.y, self.screen.cursor.x)

    def text(self):
        return "\n".join(line.rstrip() for line in self.screen.display).rstrip()


def screens(ask, keys):
    """The distinct screens drawn while ``ask(input, output, watch)`` runs one question; the
    user types ``keys`` once the prompt knows the rows below it (its toolbar drawn). A list
    of keys is typed one item per screen: each once the one before has changed the screen."""
    pending = [keys] if isinstance(keys, str) else list(keys)
    with create_pipe_input() as pipe:
        terminal = _Terminal(pipe)
        output = Vt100_Output(terminal, get_size=lambda: Size(ROWS, COLUMNS), term="xterm")
        shots = []
        typed_at = []  # how many screens there were as each item was typed

        def after_render(app):
            shot = terminal.drawn()
            if not shots or shots[-1] != shot:
                shots.append(shot)
            waiting = typed_at and typed_at[-1] == len(shots)
            if pending and app.renderer.height_is_known and not waiting:
                typed_at.append(len(shots))
                pipe.send_text(pending.pop(0))

        def watch(app: Application) -> None:
            app.after_render += after_render

        answer = ask(pipe, output, watch)
    return answer, shots, terminal.text()


def test_the_list_prompt_draws_what_questionary_select_draws():
    choices = ["a primary application", "a helper of db", "a helper of cache"]

    def theirs(pipe, output, watch):
        question = questionary.select(
            "What is web?",
            choices,
            default="a helper of db",
            instruction="(pick one)",
            style=_prompt_style(),
            input=pipe,
            output=output,
        )
        watch(question.application)
        return question.unsafe_ask()

    def ours(pipe, output, watch):
        prompt = ChoicePrompt(_prompt_style(), lambda: None, pipe, output)
        watch(prompt._app)
        return prompt.ask(
            "What is web?", choices, default="a helper of db", instruction="(pick one)"
        )

    answer, expected, text = screens(theirs, "\x1b[B\r")  # down, then Enter
    assert answer == "a helper of cache"
    assert text == "? What is web? a helper of cache"
    assert screens(ours, "\x1b[B\r") == (answer, expected, text)


def test_the_list_prompt_filters_as_questionary_select_filters():
    """Eleven choices filter as you type: a filter that keeps none, erased, then one that
    keeps ten, the pointer moved among them."""
    choices = ["a primary application"] + [f"a helper of app-{i}" for i in range(10)]
    # A filter that keeps none, erased; one that keeps the helpers; down twice; Enter.
    keys = ["z", "z", "\x7f", "\x7f", "a", "p", "p", "-", "\x1b[B", "\x1b[B", "\r"]

    def theirs(pipe, output, watch):
        question = questionary.select(
            "What is web?",
            choices,
            instruction="(type to filter)",
            use_search_filter=True,
            use_jk_keys=False,
            style=_prompt_style(),
            input=pipe,
            output=output,
        )
        watch(question.application)
        return question.unsafe_ask()

    def ours(pipe, output, watch):
        prompt = ChoicePrompt(_prompt_style(), lambda: None, pipe, output)
        watch(prompt._app)
        return prompt.ask("What is web?", choices, instruction="(type to filter)")

    answer, expected, text = screens(theirs, keys)
    assert answer == "a helper of app-2"
    assert len(expected) == len(keys) + 1  # a screen for every key, and the first
    assert screens(ours, keys) == (answer, expected, text)


def test_the_yes_no_prompt_draws_what_questionary_confirm_draws():
    """Asked, with its toolbar at the foot of the terminal; answered, the answer alone."""

    def theirs(**options):
        def ask(pipe, output, watch):
            question = questionary.confirm(
                "Must web and db run on the same host?",
                style=_prompt_style(),
                input=pipe,
                output=output,
                bottom_toolbar=" pair 1/3 · at most 9 left",
                **options,
            )
            watch(question.application)
            return question.unsafe_ask()

        return ask

    def ours(pipe, output, watch):
        prompt = YesNoPrompt(_prompt_style(), print, lambda: None, pipe, output)
        watch(prompt._app)
        return prompt.ask(
            "Must web and db run on the same host?", "pair 1/3 · at most 9 left", None, False
        )

    answer, shots, text = screens(ours, "y")
    assert answer is True
    assert text == "? Must web and db run on the same host? Yes"
    # questionary's confirm keeps an instruction given to it once answered, and shows
    # "(Y/n)" without one: the question is compared with the first, the answer with the second.
    _, asked, _ = screens(theirs(instruction="(y/n) "), "y")
    _, answered, _ = screens(theirs(), "y")
    assert shots[:-1] == asked[:-1]
    last_row = "".join(cell[0] for cell in shots[-2][0][-1])
    assert last_row.strip() == "pair 1/3 · at most 9 left"  # the toolbar, at the foot
    assert shots[-1] == answered[-1]
