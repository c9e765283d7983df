"""Where wa-review writes a file the user asked for (a report, an export, evidence): never over
an existing file unless told to, never into a folder that does not exist unless told to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wa_review.errors import UsageError


@dataclass(frozen=True, slots=True)
class OutputCheck:
    """What writing to `path` would do beyond creating one file (each needs the user's yes)."""

    path: Path
    replaces: bool
    """A file is already there."""
    missing_folder: Path | None
    """The nearest folder on the way that does not exist (it and those below it would be made)."""

    @property
    def needs_yes(self) -> bool:
        return self.replaces or self.missing_folder is not None

    def questions(self) -> list[str]:
        """What the user is asked to agree to, in plain lines."""
        lines = []
        if self.missing_folder is not None:
            lines.append(f"The folder {self.missing_folder} does not exist: it will be created.")
        if self.replaces:
            lines.append(f"{self.path} already exists: it will be replaced.")
        return lines


def check_output(path: Path) -> OutputCheck:
    """Look at `path` before writing; refuses a folder (a file name is needed)."""
    if path == Path() or path.is_dir():
        raise UsageError(
            f"'{path}' is a folder: the output needs a file name.",
            hint="Give a path such as reports/review.md.",
        )
    missing: Path | None = None
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise UsageError(
                    f"Cannot write {path}: {parent} is a file, not a folder.",
                    hint="Choose another path.",
                )
            break
        missing = parent
    return OutputCheck(path, path.exists(), missing)


def prepare_output(path: Path, *, force: bool, create_folder: bool = False) -> OutputCheck:
    """Refuse to replace a file without `force`, or to create a folder without `create_folder`
    (the error names the file or the folder and the option that allows it)."""
    found = check_output(path)
    if found.replaces and not force:
        raise UsageError(
            f"{path} already exists; nothing was written.",
            hint="Add --force to replace it, or choose another file with -o.",
        )
    if found.missing_folder is not None and not create_folder:
        raise UsageError(
            f"The folder {found.missing_folder} does not exist; nothing was written.",
            hint=f"Create it first (mkdir -p {path.parent}) or choose another path with -o.",
        )
    return found
