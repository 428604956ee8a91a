"""What every service of a compose file needs to know about the file it comes from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Context:
    """The file's name, folder, project, variables and lines, and the warnings so far."""

    source: str
    folder: Path
    project: str
    variables: dict[str, str]
    lines: list[str]
    warnings: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)
