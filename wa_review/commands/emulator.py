"""`wa-review emulator`: the local WA Tool, so anyone can try `push` without an AWS account."""

from __future__ import annotations

import threading

import click


@click.command("emulator")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    help="Port on 127.0.0.1 [default: any free].",
)
def emulator(port: int) -> None:
    """Run the WA Tool emulator on 127.0.0.1 until Ctrl-C (it keeps workloads in memory).

    The first line printed is its URL. Point push at it:

        AWS_ENDPOINT_URL_WELLARCHITECTED=<URL> wa-review push review.yaml --create
    """
    from wa_review.watool.emulator import WaToolEmulator

    with WaToolEmulator(port=port) as running:
        click.echo(running.url)
        click.echo(
            f"WA Tool emulator on {running.url} (loopback only; Ctrl-C stops it). Try:\n"
            f"  AWS_ENDPOINT_URL_WELLARCHITECTED={running.url} AWS_ACCESS_KEY_ID=x "
            "AWS_SECRET_ACCESS_KEY=x wa-review push REVIEW --create",
            err=True,
        )
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            click.echo("WA Tool emulator stopped.", err=True)
