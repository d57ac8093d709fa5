"""`triage serve`: the classroom page and the HTTP API."""

from __future__ import annotations

import click


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(min=1))
@click.option("--open", "open_browser", is_flag=True, help="Open the page in a web browser.")
def serve(host: str, port: int, workers: int, open_browser: bool) -> None:
    """The classroom page and the HTTP API (/api/...; its description at /api/openapi.json)."""
    from triage.web.serve import serve as run_server  # the web stack loads only here

    run_server(host, port, workers, open_browser)
