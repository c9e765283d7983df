"""`wa-review merge A.json B.json ... -o all.json`: join evidence files collected apart."""

from __future__ import annotations

from pathlib import Path

import click

from wa_review.merge import merge_evidence
from wa_review.model.evidence_file import load_evidence_file


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The evidence file to write.",
)
def merge(files: tuple[Path, ...], output: Path) -> None:
    """Join the evidence files of one review collected in parts (`collect --accounts-shard
    K/N` in a CI matrix or batch jobs). Refuses files that overlap (an account and Region in
    two of them) or that are not parts of one review (version, scope or organization differ).
    """
    merged = merge_evidence([(path, load_evidence_file(path)) for path in files])
    merged.save(output)
    click.echo(
        f"Wrote {output}: {len(merged.evidence)} findings from {len(merged.accounts)} "
        f"account(s) in {len(files)} files",
        err=True,
    )
