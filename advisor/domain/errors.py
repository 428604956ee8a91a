"""The one error root: everything a user can cause ends up as an ``AdvisorError``.

Library code raises these; only ``cli.main`` turns them into a message and an exit code.
"""

from __future__ import annotations


class AdvisorError(Exception):
    """Base of every error the tool reports to a user as one line."""


class InputError(AdvisorError):
    """A file or argument the user gave is wrong; the message names the file and the place."""

    def __init__(
        self, source: str, message: str, line: int | None = None, column: int | None = None
    ) -> None:
        self.source = source
        self.line = line
        self.column = column
        self.detail = message
        super().__init__(self.render())

    def render(self) -> str:
        """``file:line:col: message``, leaving out the parts that are unknown."""
        place = self.source
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        # One line, whatever a file name or a quoted value holds.
        return printable(f"{place}: {_cut_long_words(self.detail)}")


def printable(text: str, keep: str = "") -> str:
    """``text`` with every character that is not printable (ESC, BEL, backspace, a line
    break...) but those in ``keep`` written as its Python escape (``\\x1b``): what comes
    from a file reaches a terminal as text, never as a control sequence."""
    return "".join(c if c.isprintable() or c in keep else repr(c)[1:-1] for c in text)


def printable_lines(text: str) -> str:
    """``printable``, keeping the line breaks of a text of several lines."""
    return printable(text, keep="\n")


MAX_WORD = 80  # characters of one value (a run without spaces) that a message shows
MAX_DETAIL = 1000  # characters of a message after the file and place


def _cut_long_words(detail: str) -> str:
    """``detail`` with each run of more than ``MAX_WORD`` characters cut in its middle (a
    100,000-character key would otherwise make a 200 KB line), and at most ``MAX_DETAIL``."""
    words = [
        word if len(word) <= MAX_WORD else f"{word[: MAX_WORD - 23]}...{word[-20:]}"
        for word in detail.split(" ")
    ]
    text = " ".join(words)
    return text if len(text) <= MAX_DETAIL else text[: MAX_DETAIL - 3] + "..."


class MissingAnswersError(AdvisorError):
    """Batch mode with ``--strict`` found pairs that nobody answered."""


class OutputError(AdvisorError):
    """An output file or folder could not be written."""
