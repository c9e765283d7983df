"""`wa-review demo`: the review on the embedded sample account, offline, in one command."""

from __future__ import annotations

from pathlib import Path

import click

from wa_review.errors import UsageError


@click.command()
@click.option(
    "--headless",
    is_flag=True,
    help="No terminal UI: write every report and the WA Tool PDF into DIR.",
)
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write: reports and PDF with --headless (default reports/demo), "
    "the review session otherwise (default wa-review-demo). Created if missing.",
)
@click.option("--force", is_flag=True, help="With --headless: replace the files already in DIR.")
def demo(headless: bool, out_dir: Path | None, force: bool) -> None:
    """Review the sample serverless airline account (no AWS account needed)."""
    if out_dir is None:
        out_dir = Path("reports/demo") if headless else Path("wa-review-demo")
    if headless:
        from wa_review.demo.headless import existing_outputs, run_headless

        there = existing_outputs(out_dir)
        if there and not force:
            names = ", ".join(p.name for p in there)
            raise UsageError(
                f"{out_dir} already holds {names}; nothing was written.",
                hint="Add --force to replace them, or choose another folder with -o.",
            )

        outputs = run_headless(out_dir, echo=click.echo)
        click.echo(f"Done: {len(outputs.reports)} reports and the WA Tool PDF are in {out_dir}")
        return
    from wa_review.demo.server import running_demo_account
    from wa_review.demo.watool import running_demo_watool
    from wa_review.tui.demo_app import make_demo_app
    from wa_review.tui.keymap import default_keymap_path, load_keymap

    keymap = load_keymap(default_keymap_path(), required=False)  # before the account is built

    click.echo("Building the sample account in a local AWS emulator (moto on 127.0.0.1)...")
    out_dir.mkdir(parents=True, exist_ok=True)
    # The push goes to the WA Tool emulator on 127.0.0.1, never to AWS.
    with running_demo_account() as account, running_demo_watool() as watool:
        app = make_demo_app(account, watool, out_dir / "review.yaml", keymap=keymap)
        app.run()
        saved = app.session_file()
        if saved is not None:  # where to find the review again
            click.echo(f"Review session: {saved} (resume: wa-review review --session {saved})")
