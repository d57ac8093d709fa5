"""The ASGI application of `triage serve`: the page's files and the JSON API.

Every answer comes from `triage.web.api.Service`; this module reads requests (content type,
size, UTF-8) and turns the project's errors into 4xx answers carrying the CLI's one line.
"""

from __future__ import annotations

import json
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from triage import DISCLAIMER
from triage.errors import TriageError
from triage.evaluation import Evaluator
from triage.limits import MAX_FILE_BYTES, size_text
from triage.web.api import NotFound, Service, parse_json, parse_json_case
from triage.web.openapi import openapi

STATIC = Path(__file__).parent / "static"

# No inline script or style, nothing from elsewhere: the page is its own files only.
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class BadRequest(TriageError):
    """A request the API cannot read, with the HTTP status that says why."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class SecurityHeaders:
    """Adds the Content-Security-Policy and its companions to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def error(message: str, status: int, choices: list[str] | None = None) -> JSONResponse:
    body: dict[str, object] = {"error": message}
    if choices:
        body["choices"] = choices  # text that could mean several findings: their ids
    return JSONResponse(body, status_code=status)


async def body_text(request: Request) -> str:
    """The request's JSON text: checked for its content type, size and encoding."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        shown = kind or "none"
        raise BadRequest(f"Content-Type {shown}: send the case as application/json", 415)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_FILE_BYTES:
        raise BadRequest(
            f"the case is {declared} bytes; the limit is {size_text(MAX_FILE_BYTES)}", 413
        )
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_FILE_BYTES:  # a body without a true length: read no further
            raise BadRequest(f"the case is over the limit of {size_text(MAX_FILE_BYTES)}", 413)
        chunks.append(chunk)
    raw = b"".join(chunks)
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"not UTF-8 text (byte {exc.start})") from None


def json_text(text: str) -> Response:
    return Response(text, media_type="application/json")


def create_app(evaluator: Evaluator | None = None) -> Starlette:
    """The application: the API under /api/, the page at /."""
    service = Service(evaluator)

    async def index(request: Request) -> Response:
        return FileResponse(STATIC / "index.html", headers={"cache-control": "no-cache"})

    async def assess(request: Request) -> Response:
        return json_text(service.assess(parse_json_case(await body_text(request))))

    async def handout(request: Request) -> Response:
        text = service.handout(parse_json_case(await body_text(request)))
        return PlainTextResponse(text, media_type="text/markdown; charset=utf-8")

    async def graph(request: Request) -> Response:
        graph_format = request.path_params["format"]
        text = service.graph(parse_json_case(await body_text(request)), graph_format)
        media = "application/json" if graph_format == "json" else "text/plain; charset=utf-8"
        return Response(text, media_type=media)

    async def why_not(request: Request) -> Response:
        case = parse_json_case(await body_text(request))
        return json_text(service.why_not(case, request.path_params["target"]))

    async def interview(request: Request) -> Response:
        answer = service.interview(parse_json(await body_text(request)))
        return json_text(json.dumps(answer))

    async def vocab(request: Request) -> Response:
        word = request.query_params.get("word")
        if word is not None:
            return JSONResponse(service.word(word))
        return JSONResponse(service.vocab)

    async def rule(request: Request) -> Response:
        return json_text(service.rule(request.path_params["rule_id"]))

    async def cases(request: Request) -> Response:
        return JSONResponse(service.cases)

    async def library_case(request: Request) -> Response:
        return JSONResponse(service.library_case(request.path_params["name"]))

    async def article(request: Request) -> Response:
        return PlainTextResponse(service.article())

    async def openapi_json(request: Request) -> Response:
        return JSONResponse(openapi())

    async def api_index(request: Request) -> Response:
        """What the API offers, for a newcomer who opens /api: each endpoint in a line."""
        described = openapi()
        endpoints = [
            {"method": method.upper(), "path": path, "summary": operation["summary"]}
            for path, operations in described["paths"].items()
            for method, operation in operations.items()
            if isinstance(operation, dict) and "summary" in operation
        ]
        return JSONResponse(
            {
                "description": described["info"]["description"],
                "endpoints": endpoints,
                "openapi": "/api/openapi.json",
                "disclaimer": DISCLAIMER,
            }
        )

    async def triage_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, TriageError)
        status = 404 if isinstance(exc, NotFound) else getattr(exc, "status", 400)
        return error(str(exc), status, list(getattr(exc, "choices", None) or []))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        messages = {404: f"no such page: {request.url.path}", 405: "method not allowed"}
        return error(messages.get(exc.status_code, exc.detail), exc.status_code)

    async def internal_error(request: Request, exc: Exception) -> Response:
        # A bug in triage: one line, as the CLI prints it, never a stack trace.
        return error(f"internal: {type(exc).__name__} (please report this input)", 500)

    routes = [
        Route("/", index),
        Route("/api/assess", assess, methods=["POST"]),
        Route("/api/handout", handout, methods=["POST"]),
        Route("/api/graph/{format}", graph, methods=["POST"]),
        Route("/api/why-not/{target}", why_not, methods=["POST"]),
        Route("/api/interview", interview, methods=["POST"]),
        Route("/api/vocab", vocab),
        Route("/api/rules/{rule_id}", rule),
        Route("/api/cases", cases),
        Route("/api/cases/{name:path}", library_case),
        Route("/api/article", article),
        Route("/api/openapi.json", openapi_json),
        Route("/api", api_index),
        Route("/api/", api_index),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={
            TriageError: triage_error,
            HTTPException: http_error,
            Exception: internal_error,
        },
    )
    app.add_middleware(SecurityHeaders)
    return app
