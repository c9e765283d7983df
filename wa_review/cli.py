"""The `wa-review` command line: a thin index of commands; the TUI is imported only when it runs."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from typing import Any

import click

from wa_review import __version__
from wa_review.errors import WaReviewError

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
)


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name, module, _ in COMMANDS if _module_exists(module)]

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
    """Guided, evidence-backed Well-Architected review of serverless security boundaries (SEC2)."""
    if ctx.invoked_subcommand is None:
        review = cli.get_command(ctx, "review")
        if review is None:
            click.echo(ctx.get_help())
            return
        ctx.invoke(review)


def main(argv: list[str] | None = None) -> Any:
    """Entry point: turns WaReviewError into a clear message and its exit code."""
    try:
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
