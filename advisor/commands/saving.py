"""The answers file of an ``ask`` session: the instant the user answers, before the prompt
shows the answer as given and before the engine works out what follows, the user's own
answers with it (all a session needs to resume); once the engine has taken it, again if it
changed more (a group answer it narrowed); when the session ends or stops, those with what
follows from them (computed and inferred answers, with their reasons).

Every write happens in the session's own process and is atomic (``files.write_atomically``:
a temporary file, fsynced, renamed): an answer acknowledged on screen is on disk, whatever
ends the process next. A file in which nothing changed is left as it is, comments and all.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from advisor.commands.notices import warn

if TYPE_CHECKING:
    from advisor.commands.load import Loaded
    from advisor.domain.answers import AnswersFile
    from advisor.engine.questionnaire import Questionnaire


class SessionFile:
    """Writes a session's answers to ``path`` (the real file: a link is written through) as
    the session goes; ``shown`` is how the user named it."""

    def __init__(self, questionnaire: Questionnaire, loaded: Loaded, path: Path, shown: Path):
        self.path = path
        self.shown = shown
        self._questionnaire = questionnaire
        self._loaded = loaded
        # The user's answers as the file holds them now.
        self._on_disk = self._own_text()
        self._written = False

    def save_given(self, answers: AnswersFile) -> None:
        """The instant the user answers: write ``answers``, the user's own with the new one
        (``Questionnaire.given``), unless the file holds them."""
        self._save_own(self._own_text(answers))

    def save_own_answers(self) -> None:
        """After an answer: write the user's own answers, unless the file holds them."""
        self._save_own(self._own_text())

    def _save_own(self, text: str) -> None:
        if text != self._on_disk:
            self._write(text, sync_folder=False)
            self._on_disk = text

    def save_all(self, finished: bool) -> None:
        """When the session ends (``finished``) or stops: write the answers with what follows
        from them, unless nothing changed since the file was read. Once the session is
        finished, a pair asked again (--ask) holds only what the session said about it."""
        from advisor.formats.answers import dump_answers

        dropping = finished and self._loaded.dropped  # answers about containers now gone
        if not self._written and not dropping and self._own_text() == self._on_disk:
            return
        questionnaire = self._questionnaire
        answers = questionnaire.answers_file()
        answers.hidden = self._loaded.hidden  # entries for services a profile leaves out
        if not finished:
            self._keep_reasked(answers)
        self._write(dump_answers(answers, questionnaire.inventory, questionnaire.rules))

    def _own_text(self, answers: AnswersFile | None = None) -> str:
        """The answers file of ``answers``, the user's own (the questionnaire's by default)."""
        from advisor.formats.answers import dump_own_answers

        questionnaire = self._questionnaire
        if answers is None:
            answers = questionnaire.own_answers()
        answers.hidden = self._loaded.hidden  # entries for services a profile leaves out
        self._keep_reasked(answers)
        return dump_own_answers(answers, questionnaire.inventory, questionnaire.rules)

    def _keep_reasked(self, answers: AnswersFile) -> None:
        """The file's old answers of the pairs asked again, each until the session answers
        its question again (an inference does not replace the user's own answer)."""
        from advisor.domain.model import Source

        for pair, old in self._loaded.reasked.items():
            now = answers.pairs.get(pair, {})
            kept = {q: a for q, a in old.items() if q not in now or now[q].source != Source.ASKED}
            if kept:
                answers.pairs[pair] = {**now, **kept}

    def _write(self, text: str, sync_folder: bool = True) -> None:
        from advisor.formats.answercomments import holds_comments
        from advisor.formats.files import write_atomically

        if not self._written:
            try:
                before = self.path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                before = ""
            if holds_comments(before):
                warn(
                    f"{self.shown}: the comments in this file are not "
                    "kept: ask rewrites it with your answers"
                )
        write_atomically(self.path, text, sync_folder)
        self._written = True
