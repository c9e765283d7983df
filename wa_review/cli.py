"""The `wa-review` command line: a thin index of commands; the TUI is imported only when it runs."""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import sys
from typing import Any

import click

from wa_review import __version__
from wa_review.errors import UsageError, WaReviewError

# (command name, module, attribute): modules are imported lazily so `wa-review --help`
# and headless commands never pay for Textual or moto.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("collect", "wa_review.commands.collect", "collect"),
    ("policy", "wa_review.commands.policy", "policy"),
    ("validate", "wa_review.commands.validate", "validate"),
    ("assess", "wa_review.commands.assess", "assess"),
    ("report", "wa_review.commands.report", "report"),
    ("diff", "wa_review.commands.diff", "diff"),
    ("push", "wa_review.commands.push", "push"),
    ("review", "wa_review.commands.review", "review"),
    ("demo", "wa_review.commands.demo", "demo"),
    ("iam-policy", "wa_review.commands.iam_policy", "iam_policy"),
    ("merge", "wa_review.commands.merge", "merge"),
    ("emulator", "wa_review.commands.emulator", "emulator"),
)


# The order a reviewer meets the commands in; a command not named here follows, in COMMANDS order.
ORDER = (
    "demo",
    "review",
    "collect",
    "assess",
    "report",
    "push",
    "diff",
    "policy",
    "iam-policy",
    "validate",
)
# One line per command for `wa-review --help`, so listing them imports none of their modules
# (boto3, the collectors, Textual); a command not named here shows its own short help.
SUMMARY = {
    "demo": "Review the sample airline account (no AWS account needed).",
    "review": "Open the review app: collect, decide, export, push.",
    "collect": "Collect SEC2 evidence read-only and write an evidence file.",
    "assess": "Suggest an answer per practice from an evidence file.",
    "report": "Write a report of a review session (md, html, json, csv, ...).",
    "push": "Push the answer to the WA Tool, after showing the diff.",
    "diff": "Compare the findings of two evidence files or reviews.",
    "policy": "Judge AWS resource policies offline (no AWS calls).",
    "iam-policy": "Print the least-privilege IAM policy wa-review needs.",
    "validate": "Validate questionnaire YAML: structure, ids, check ids.",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        names = [name for name, module, _ in COMMANDS if _module_exists(module)]
        return sorted(names, key=lambda n: ORDER.index(n) if n in ORDER else len(ORDER))

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows: list[tuple[str, str]] = []
        limit = formatter.width - 6 - max((len(n) for n in self.list_commands(ctx)), default=0)
        for name in self.list_commands(ctx):
            summary = SUMMARY.get(name)
            if summary is None:
                command = self.get_command(ctx, name)
                summary = command.get_short_help_str(limit) if command else ""
            rows.append((name, summary))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        for name, module, attr in COMMANDS:
            if name == cmd_name and _module_exists(module):
                command = getattr(importlib.import_module(module), attr)
                assert isinstance(command, click.Command)
                return command
        return None


def _module_exists(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


@click.group(cls=LazyGroup, invoke_without_command=True)
@click.version_option(__version__, prog_name="wa-review")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Guided, evidence-backed Well-Architected review of serverless security boundaries (SEC2).

    Run `wa-review` alone to open the review (the same as `wa-review review`); try
    `wa-review demo` first, on a sample account.
    """
    if ctx.invoked_subcommand is None:
        review = cli.get_command(ctx, "review")
        if review is None:
            click.echo(ctx.get_help())
            return
        ctx.invoke(review)


# Where the log goes (tracebacks of a failed check, a crashed collector). Unset: nowhere, since
# the screen is for messages a reviewer can act on and a dry run writes no file.
LOG_ENV = "WA_REVIEW_LOG"


def configure_logging() -> None:
    """Keep wa-review's log off the screen: into $WA_REVIEW_LOG if set, else dropped."""
    logger = logging.getLogger("wa_review")
    if logger.handlers:  # configured already (tests, a second call)
        return
    # A handler of our own, even one that drops everything, keeps Python's last-resort
    # handler from printing records (and their tracebacks) on stderr.
    path = os.environ.get(LOG_ENV)
    if not path:
        logger.addHandler(logging.NullHandler())
        return
    try:
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError as err:
        raise UsageError(
            f"Cannot write the log file {path}: {err.strerror or err}",
            hint=f"Point {LOG_ENV} at a file in a folder that exists, or unset it.",
        ) from err
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)


def main(argv: list[str] | None = None) -> Any:
    """Entry point: turns WaReviewError into a clear message and its exit code."""
    try:
        configure_logging()
        result = cli.main(args=argv, prog_name="wa-review", standalone_mode=False)
        if isinstance(result, int) and result:  # commands may return an exit code
            sys.exit(result)
        return result
    except WaReviewError as err:
        click.echo(f"error: {err.message}", err=True)
        if err.hint:
            click.echo(f"hint: {err.hint}", err=True)
        sys.exit(err.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as err:
        err.show()
        sys.exit(err.exit_code)
