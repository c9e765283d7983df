"""Errors a user can act on: each carries a hint and the exit code the CLI uses."""

from __future__ import annotations

# The exit code of a command whose findings matched its `--fail-on` gate (a CI step fails on it).
# It is distinct from every error code below, so a pipeline can tell "findings" from "broken".
EXIT_FINDINGS = 8

# Ctrl-C: the shell's convention (128 + SIGINT).
EXIT_INTERRUPTED = 130


class WaReviewError(Exception):
    """Base error: `message` says what failed, `hint` says what to do next."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


class UsageError(WaReviewError):
    """The command line or an input file is wrong."""

    exit_code = 2


class InputFileError(UsageError):
    """A file we were given cannot be read or does not validate (names the file and field)."""


class CredentialsError(WaReviewError):
    """No usable AWS credentials, or the profile/role cannot be used."""

    exit_code = 3


class ScopeError(WaReviewError):
    """The workload scope (stacks, tags) cannot be resolved."""

    exit_code = 4


class ReadOnlyViolation(WaReviewError):
    """A mutating AWS call was attempted during collection; the guard refused it."""

    exit_code = 5


class WaToolError(WaReviewError):
    """The Well-Architected Tool refused or did not match what we expected."""

    exit_code = 6
