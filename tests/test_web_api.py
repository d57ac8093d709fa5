"""The HTTP API as a course platform calls it: the same reports and the same one-line errors
as the command line, through the real engine."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from triage import DISCLAIMER
from triage.cli import main
from triage.documents import read_document
from triage.library import case_files
from triage.limits import MAX_FILE_BYTES
from triage.web.app import create_app

from .conftest import CASES

JSON = {"content-type": "application/json"}
FRACTURE = {"id": "web", "findings": ["pathological fracture"], "receptors": {"er": "positive"}}


@pytest.fixture(scope="module")
def client(evaluator) -> TestClient:
    return TestClient(create_app(evaluator), raise_server_exceptions=False)


def test_assess_answers_byte_for_byte_what_run_prints_for_every_library_case(client):
    files = case_files([CASES])
    printed = CliRunner().invoke(main, ["run", "--format", "json", *map(str, files)])
    assert printed.exit_code == 0
    lines = printed.output.splitlines(keepends=True)
    assert len(lines) == len(files)
    for path, line in zip(files, lines, strict=True):
        answer = client.post("/api/assess", json=read_document(path))
        assert answer.status_code == 200, path
        assert answer.headers["content-type"] == "application/json"
        assert answer.text == line, path


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (b"{bad", 400, "malformed JSON: Expecting property name enclosed in double quotes"),
        (b'{"id": "x", "smell": "odd"}', 400, "unknown key 'smell'"),
        (b'{"id": "x", "findings": ["jawndyse"]}', 400, "findings: unknown finding 'jawndyse'"),
        (b'{"id": "x", "id": "y"}', 400, "key 'id' is given twice"),
        (b'{"findings": []}', 400, "missing required key 'id'"),
        (b'["a list"]', 400, "a case file must be a mapping of keys (this one is a list)"),
        (b'{"id": "x", "labs": {"calcium": "12 kg"}}', 400, "labs.calcium: unknown unit 'kg'"),
        (b"\xff\xfe", 400, "not UTF-8 text (byte 0)"),
    ],
)
def test_bad_case_gets_a_4xx_with_the_clis_one_line_message(client, body, status, message):
    answer = client.post("/api/assess", content=body, headers={"content-type": "application/json"})
    assert answer.status_code == status
    assert answer.json()["error"].startswith(message)
    assert "Traceback" not in answer.text


def test_the_api_error_is_the_line_the_cli_prints_after_the_file_name(client, tmp_path):
    path = tmp_path / "case.json"
    path.write_text('{"id": "x", "findings": ["sezzhurs"]}')
    printed = CliRunner().invoke(main, ["run", str(path)])
    assert printed.exit_code == 2
    answer = client.post("/api/assess", content=path.read_bytes(), headers=JSON)
    assert printed.output.strip() == f"error: {path}: {answer.json()['error']}"


def test_a_body_over_the_case_file_limit_is_413(client):
    body = json.dumps({"id": "x", "notes": "a" * MAX_FILE_BYTES}).encode()
    answer = client.post("/api/assess", content=body, headers=JSON)
    assert answer.status_code == 413
    assert answer.json() == {"error": f"the case is {len(body)} bytes; the limit is 256 KiB"}


def test_a_body_that_is_not_json_is_415(client):
    answer = client.post("/api/assess", content=b"id: x", headers={"content-type": "text/yaml"})
    assert answer.status_code == 415
    assert answer.json()["error"] == "Content-Type text/yaml: send the case as application/json"


def test_the_library_is_listed_and_each_case_served_as_its_file_gives_it(client):
    listed = client.get("/api/cases").json()
    assert len(listed) == len(case_files([CASES]))
    first = listed[0]
    assert client.get(f"/api/cases/{first['path']}").json() == read_document(CASES / first["path"])


@pytest.mark.parametrize(
    "path",
    [
        "../pyproject.toml",
        "bone/../../pyproject.toml",
        "%2e%2e/pyproject.toml",
        "/etc/passwd",
        "bone",
        "nothing.yaml",
    ],
)
def test_any_path_outside_the_library_is_404(client, path):
    answer = client.get(f"/api/cases/{path}")
    assert answer.status_code == 404
    assert "error" in answer.json()


def test_a_rule_is_shown_from_the_knowledge_base_and_an_unknown_one_is_404(client, kb):
    rule = client.get("/api/rules/site.bone.pathological-fracture").json()
    assert rule["quote"] == kb.rule("site.bone.pathological-fracture").quote
    missing = client.get("/api/rules/site.bone.fractur")
    assert missing.status_code == 404
    assert missing.json()["error"].startswith("unknown rule 'site.bone.fractur'")


def test_vocab_lists_the_words_the_page_offers(client, kb):
    vocab = client.get("/api/vocab").json()
    assert [f["id"] for f in vocab["findings"]] == [f.id for f in kb.findings]
    assert vocab["site_threshold"] == 0.5
    assert {lab["id"] for lab in vocab["labs"]} >= {"calcium", "alt", "bilirubin"}
    said = client.get("/api/vocab", params={"word": "yellow skin"}).json()
    assert said["finding"] == "jaundice"
    assert said["closest"][0]["id"] == "jaundice"
    mistyped = client.get("/api/vocab", params={"word": "jawndyse"}).json()
    assert mistyped["finding"] is None
    assert mistyped["closest"][0]["id"] == "jaundice"


def _interview(client, rounds: int) -> tuple[list[str], dict, dict]:
    """Answer the API's questions after "bone pain", yes and unknown in turn, for at most
    `rounds` questions: the keys asked, the case built and the last answer."""
    case = {"id": "quiz", "findings": ["bone pain"]}
    unknown: list[str] = []
    asked: list[str] = []
    for _ in range(rounds):
        answer = client.post("/api/interview", json={"case": case, "unknown": unknown}).json()
        assert answer["report"]["disclaimer"] == DISCLAIMER
        question = answer["question"]
        if question is None:
            break
        assert question["why"][0].startswith("I ask because")
        assert question["key"] not in asked
        asked.append(question["key"])
        if len(asked) % 2:
            case = question["yes"]
        else:
            unknown.append(question["key"])
    return asked, case, answer


def test_the_interview_asks_the_terminals_questions(client, evaluator):
    from triage.interview import Session

    asked, case, _ = _interview(client, rounds=3)
    # the first question is the one `triage interview` asks after the same entry
    session = Session(evaluator, "quiz")
    session.add(("finding", "bone pain"))
    assert asked[0] == session.next_question()[0].key
    # a clinician's order: what the entry left open first (is the bone pain severe and
    # increasing?), then the suspected site's own symptoms
    assert asked[0] == "unqualified:bone_pain"
    assert asked[1] in {"finding:pathological_fracture", "finding:spinal_cord_compression"}
    assert len(asked) == 3 and case["findings"][0] == "bone pain" and len(case["findings"]) > 1


@pytest.mark.slow  # a whole interview: each answer weighs every question left (2-3 s)
def test_the_interview_ends_with_the_report(client):
    _, case, answer = _interview(client, rounds=60)
    assert answer["question"] is None, "the interview never ended"
    final = client.post("/api/assess", json=case).json()
    assert final == answer["report"]


def test_the_interview_stops_after_at_most_12_questions_as_the_terminals_does(client):
    case = {"id": "quiz", "findings": ["bone pain"]}
    asked = client.post("/api/interview", json={"case": case, "asked": 11}).json()
    assert asked["question"] is not None and "note" not in asked
    last = client.post("/api/interview", json={"case": case, "asked": 12}).json()
    assert last["question"] is None
    assert last["note"] == "That was the last of 12 questions."
    assert last["report"] == client.post("/api/assess", json=case).json()
    bad = client.post("/api/interview", json={"case": case, "asked": -1})
    assert bad.status_code == 400 and "'asked'" in bad.json()["error"]


def test_the_interview_rejects_an_unknown_key_with_one_line(client):
    answer = client.post("/api/interview", json={"case": {"id": "x"}, "skipped": []})
    assert answer.status_code == 400
    assert answer.json() == {"error": "unknown key 'skipped'"}


def test_handout_and_graphs_are_the_clis_renderings(client, tmp_path):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(FRACTURE))
    for fmt, url in (
        ("markdown", "/api/handout"),
        ("dot", "/api/graph/dot"),
        ("mermaid", "/api/graph/mermaid"),
    ):
        printed = CliRunner().invoke(main, ["run", "--format", fmt, str(path)])
        assert client.post(url, json=FRACTURE).text == printed.output
    drawn = client.post("/api/graph/json", json=FRACTURE).json()
    assert {"fact": "site:bone", "label": "site:bone 0.80", "kind": "site"} in drawn["nodes"]
    assert client.post("/api/graph/svg", json=FRACTURE).status_code == 400


def test_every_answer_forbids_inline_scripts_and_the_page_carries_the_disclaimer(client):
    page = client.get("/")
    assert page.status_code == 200
    assert DISCLAIMER in page.text
    for answer in (page, client.get("/api/cases"), client.get("/api/nothing")):
        policy = answer.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert client.get("/api/nothing").json() == {"error": "no such page: /api/nothing"}


def test_the_openapi_description_uses_the_contracts_models(client):
    spec = client.get("/api/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert set(schemas["Case"]["properties"]) >= {"id", "findings", "labs", "receptors"}
    assert schemas["Case"]["additionalProperties"] is False
    assert "treatments" in schemas["Report"]["properties"]
    assert "/api/assess" in spec["paths"]


def test_the_command_line_does_not_load_the_web_stack():
    code = "import sys, triage.cli; print('starlette' in sys.modules, 'uvicorn' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False False"


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
        ("example.org", False),
    ],
)
def test_serve_warns_when_the_page_is_reachable_by_others(host, loopback):
    from triage.web.serve import is_loopback

    assert is_loopback(host) is loopback


@pytest.mark.slow
def test_triage_serve_starts_the_page_and_the_api_on_loopback():
    import socket
    import time

    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    triage = Path(sys.executable).parent / "triage"
    server = subprocess.Popen(
        [str(triage), "serve", "--port", str(port)], stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "triage serve did not answer in 30 s"
                time.sleep(0.2)
        assert DISCLAIMER in page.text
        assert "script-src 'self'" in page.headers["content-security-policy"]
    finally:
        server.terminate()
        _, printed = server.communicate(timeout=20)
    assert f"the page is at http://127.0.0.1:{port}/" in printed
    assert "reachable by others" not in printed


def test_why_not_answers_for_a_case(client):
    answer = client.post("/api/why-not/hormone_therapy", json={"id": "x", "findings": ["jaundice"]})
    assert answer.status_code == 200
    assert answer.json()["lines"]
    unknown = client.post("/api/why-not/hormone_therap", json={"id": "x"})
    assert unknown.status_code == 400
    assert "hormone_therapy" in unknown.json()["error"]


def test_a_bug_is_one_line_with_status_500_never_a_stack_trace(evaluator):
    class Broken(type(evaluator)):
        def evaluate(self, case):
            raise RuntimeError("a bug deep inside")

    broken = Broken.__new__(Broken)
    broken.__dict__.update(evaluator.__dict__)
    client = TestClient(create_app(broken), raise_server_exceptions=False)
    answer = client.post("/api/assess", json={"id": "x"})
    assert answer.status_code == 500
    assert answer.json() == {"error": "internal: RuntimeError (please report this input)"}


def test_the_page_script_never_builds_markup_from_text():
    script = (Path(create_app.__code__.co_filename).parent / "static" / "app.js").read_text()
    for risky in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert risky not in script
    assert "textContent" in script


def test_the_interview_does_not_ask_about_what_the_narrative_already_says(client):
    case = {"id": "story", "narrative": "She has been coughing up blood for a week."}
    report = client.post("/api/assess", json=case).json()
    assert [u["finding"] for u in report["understood"]] == ["hemoptysis"]
    asked = []
    unknown: list[str] = []
    for _ in range(60):
        question = client.post("/api/interview", json={"case": case, "unknown": unknown}).json()[
            "question"
        ]
        if question is None:
            break
        asked.append(question["key"])
        unknown.append(question["key"])
    assert asked, "a lung case has questions to ask"
    assert "finding:hemoptysis" not in asked
    # an answer keeps the narrative and adds to it
    first = client.post("/api/interview", json={"case": case}).json()["question"]
    assert first["yes"]["narrative"] == case["narrative"]


def test_a_body_sent_in_chunks_is_cut_at_the_limit(client):
    def chunks():
        yield b'{"id": "x", "notes": "'
        for _ in range(MAX_FILE_BYTES // 1024 + 1):
            yield b"a" * 1024
        yield b'"}'

    answer = client.post("/api/assess", content=chunks(), headers=JSON)
    assert answer.status_code == 413
    assert answer.json() == {"error": "the case is over the limit of 256 KiB"}


def test_api_opened_in_a_browser_lists_its_endpoints(client):
    for path in ("/api", "/api/"):
        answer = client.get(path)
        assert answer.status_code == 200
        index = answer.json()
        assert {"method": "POST", "path": "/api/assess"} in [
            {"method": e["method"], "path": e["path"]} for e in index["endpoints"]
        ]
        assert index["openapi"] == "/api/openapi.json"
        assert "not medical advice" in index["disclaimer"]
