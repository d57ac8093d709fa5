"""Running the application under uvicorn, on loopback unless told otherwise."""

from __future__ import annotations

import ipaddress
import os
import threading
import webbrowser

import click

from triage import DISCLAIMER
from triage.knowledge import CACHE_ENV


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach an address (localhost, 127.x.x.x, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False


def serve(host: str, port: int, workers: int, open_browser: bool) -> None:
    import uvicorn

    # The server writes no files: each worker reads the rules itself (a fraction of a second
    # at start) rather than writing the knowledge cache; a cache folder set by the user stays.
    os.environ.setdefault(CACHE_ENV, "")
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    click.echo(f"triage: the page is at {url} (Ctrl+C stops it)", err=True)
    click.echo(DISCLAIMER, err=True)
    if not is_loopback(host):
        click.echo(
            f"note: listening on {host}: the page and the API are reachable by others on the"
            " network",
            err=True,
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
