"""The API's OpenAPI description, its schemas generated from the contract's own models."""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic.json_schema import models_json_schema

from triage import __version__
from triage.case import Case
from triage.report import Report

REF = "#/components/schemas/{model}"


def _json(schema: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": REF.format(model=schema)}}},
    }


def _text(media: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {media: {"schema": {"type": "string"}}}}


ERROR = _json("Error", "Bad input: the one-line message the command line prints")
CASE_BODY = {"required": True, **_json("Case", "A case: the case file's keys, as JSON")}


def _post(summary: str, ok: dict[str, Any], body: dict[str, Any] = CASE_BODY) -> dict[str, Any]:
    return {
        "post": {
            "summary": summary,
            "requestBody": body,
            "responses": {
                "200": ok,
                "400": ERROR,
                "413": ERROR,
                "415": ERROR,
            },
        }
    }


def _get(summary: str, ok: dict[str, Any], parameters: list[str] = ()) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": [
                {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                for name in parameters
            ],
            "responses": {"200": ok, "404": ERROR},
        }
    }


@cache
def openapi() -> dict[str, Any]:
    """The OpenAPI 3.1 description of the API."""
    _, schemas = models_json_schema(
        [(Case, "validation"), (Report, "serialization")], ref_template=REF
    )
    components = dict(schemas.get("$defs", {}))
    components["Error"] = {
        "type": "object",
        "properties": {"error": {"type": "string"}},
        "required": ["error"],
    }
    components["InterviewRequest"] = {
        "type": "object",
        "properties": {
            "case": {"$ref": REF.format(model="Case")},
            "unknown": {"type": "array", "items": {"type": "string"}},
            "asked": {
                "type": "integer",
                "minimum": 0,
                "description": "questions answered so far: at the interview's most, none more",
            },
        },
        "required": ["case"],
        "additionalProperties": False,
    }
    json_any = {"description": "JSON", "content": {"application/json": {"schema": {}}}}
    interview_body = {"required": True, **_json("InterviewRequest", "The case so far")}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "triage",
            "version": __version__,
            "description": "A rule-based teaching assistant for metastatic breast cancer. "
            "Educational use only: never medical advice.",
        },
        "paths": {
            "/api/assess": _post(
                "The report of a case (as `triage run --format json` prints it)",
                _json("Report", "The report"),
            ),
            "/api/handout": _post(
                "The report as a Markdown handout", _text("text/markdown", "Markdown")
            ),
            "/api/graph/{format}": _post(
                "The explanation graph: dot, mermaid, or json (nodes and edges)",
                _text("text/plain", "The graph"),
            )
            | {
                "parameters": [
                    {
                        "name": "format",
                        "in": "path",
                        "required": True,
                        "schema": {"enum": ["dot", "mermaid", "json"]},
                    }
                ]
            },
            "/api/why-not/{target}": _post(
                "Why a site, test or treatment is (not) concluded", json_any
            ),
            "/api/interview": _post(
                "The next question for the case so far (with why and the case after each "
                "answer), or none; and the report",
                json_any,
                interview_body,
            ),
            "/api/vocab": _get("Findings, labs, history flags, sites, tests, treatments", json_any),
            "/api/rules/{rule_id}": _get("One rule of the knowledge base", json_any, ["rule_id"]),
            "/api/cases": _get("The shipped case library", json_any),
            "/api/cases/{path}": _get("One case of the shipped library", json_any, ["path"]),
            "/api/article": _get("The source article", _text("text/plain", "The article")),
        },
        "components": {"schemas": components},
    }
