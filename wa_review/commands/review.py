"""`wa-review review` (and `wa-review` alone): the guided review in the terminal."""

from __future__ import annotations

import gc
from pathlib import Path

import click

from wa_review.aws.ratelimit import RateLimits
from wa_review.commands.aws_options import (
    OrgSelection,
    aws_options,
    check_options,
    org_options,
    to_aws_options,
    to_check_config,
)


@click.command()
@aws_options
@click.option(
    "--evidence",
    "evidence_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Review this evidence file (from 'wa-review collect') instead of collecting.",
)
@click.option(
    "--session",
    "session_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Review session file (YAML): resumed if it exists, created otherwise.",
)
@click.option(
    "--keymap",
    "keymap_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Your own keys (YAML: binding id -> keys). Default: $WA_REVIEW_KEYMAP or "
    "~/.config/wa-review/keymap.yaml if it exists.",
)
@check_options
@org_options
def review(
    profile: str | None,
    regions: tuple[str, ...],
    role_arns: tuple[str, ...],
    endpoint_url: str | None,
    quotas: RateLimits | None,
    stacks: tuple[str, ...],
    tags: tuple[tuple[str, str], ...],
    access_analyzer: bool,
    evidence_path: Path | None,
    session_path: Path | None,
    trusted: tuple[str, ...],
    org_id: str | None,
    keymap_path: Path | None,
    org: OrgSelection,
) -> None:
    """Open the review app: collect evidence, walk the four practices, export, push."""
    # Textual is imported only here, so headless commands never load it.
    from wa_review.tui.app import make_app
    from wa_review.tui.keymap import default_keymap_path, load_keymap

    keymap = load_keymap(keymap_path or default_keymap_path(), required=keymap_path is not None)

    # Everything imported so far (Textual, boto3's models, pydantic) lives as long as the app:
    # freezing it keeps full garbage collections short while thousands of rows are loaded.
    gc.freeze()

    app = make_app(
        evidence_path=evidence_path,
        session_path=session_path,
        aws_options=org.applied_to(
            to_aws_options(
                profile, regions, role_arns, endpoint_url, quotas, access_analyzer=access_analyzer
            )
        ),
        stacks=stacks,
        tags=tags,
        check_config=to_check_config(trusted, org_id),
        keymap=keymap,
    )
    app.run()
    saved = app.session_file()
    if saved is not None:  # where to find the review again
        click.echo(f"Review session: {saved} (resume: wa-review review --session {saved})")
