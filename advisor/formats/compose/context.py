"""What every service of a compose file needs to know about the file it comes from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Context:
    """The file's name, folder, project, variables and lines (of each file, when several
    are merged), and the warnings so far."""

    source: str
    folder: Path
    project: str
    variables: dict[str, str]
    lines: list[str]
    warnings: list[str] = field(default_factory=list)
    files: dict[str, list[str]] = field(default_factory=dict)  # lines of each file merged
    other_files: dict[str, Any] = field(default_factory=dict)  # services of extends' files
    bases: dict[tuple[str, str], Any] = field(default_factory=dict)  # extends resolved

    def line_at(self, where: tuple[int, int]) -> str | None:
        """The line a mark points at, in the file it names (``merge.FileMark``)."""
        source = getattr(where, "source", self.source)
        lines = self.lines if source == self.source and not self.files else self.files.get(source)
        return lines[where[0] - 1] if lines and 0 < where[0] <= len(lines) else None

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)
