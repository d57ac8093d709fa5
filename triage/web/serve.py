"""Running the application under uvicorn, on loopback unless told otherwise."""

from __future__ import annotations

import threading
import webbrowser

import click

from triage import DISCLAIMER

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def serve(host: str, port: int, workers: int, open_browser: bool) -> None:
    import uvicorn

    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    click.echo(f"triage: the page is at {url} (Ctrl+C stops it)", err=True)
    click.echo(DISCLAIMER, err=True)
    if host not in LOOPBACK:
        click.echo(
            f"note: listening on {host}: the page is reachable by others on the network", err=True
        )
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(
        "triage.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )
