"""What a ``--fix`` run intends to change: whole new texts per file, and what it left alone."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FileChange:
    """The new text of one file. ``old`` is the text the project read (``None``: a new file)."""

    path: str  # root-relative POSIX
    old: str | None
    new: str
    done: list[str]  # one line each: "added .env (DS101)"


@dataclass
class Plan:
    changes: dict[str, FileChange] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what was left as a finding, and why

    def add(self, change: FileChange) -> None:
        if change.old == change.new or not change.done:
            return
        if change.path in self.changes:
            # Never stack two fixers' edits in one plan: the second planned on the old text.
            # ``--fix`` plans again on what the first wrote; a diff shows the first only.
            self.note(f"{change.path}: more fixes apply after these; run --fix again to see them")
            return
        self.changes[change.path] = change

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)
