"""The classroom page as a student and a teacher use it, end to end in headless Chromium:
the real server, the real engine, the real page.

Needs Debian's `chromium` (apt-get install chromium) and Playwright for Python (the dev
extra); the accessibility check also needs npm (it installs axe-core from the npm registry
into tests/.node/, outside git). Without them the tests skip and say why. With
TRIAGE_SCREENSHOTS=DIR (`make docs`) they also save screenshots of the main views there.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from triage import DISCLAIMER
from triage.render import denied

pytestmark = pytest.mark.slow

CHROMIUM = os.environ.get("TRIAGE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NODE_DIR = Path(__file__).parent / ".node"
SCREENSHOTS = os.environ.get("TRIAGE_SCREENSHOTS")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(evaluator) -> Iterator[str]:
    """`triage serve`'s application under uvicorn, on a free loopback port."""
    import uvicorn

    from triage.web.app import create_app

    port = _free_port()
    config = uvicorn.Config(create_app(evaluator), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        if time.monotonic() > deadline:
            pytest.fail("the server did not start within 20 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/"
    running.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install -y chromium (as .ci/run does)")
    sync_api = pytest.importorskip(
        "playwright.sync_api",
        reason="Playwright for Python is not installed (pip install -e '.[dev]')",
    )
    # generous waits: the machine may be shared with other work (these test behaviour, not speed)
    sync_api.expect.set_options(timeout=15_000)
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(20_000)
    opened = context.new_page()
    problems: list[str] = []
    opened.on("pageerror", lambda error: problems.append(str(error)))
    opened.on(
        "console",
        lambda message: (
            problems.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    opened.problems = problems
    yield opened
    context.close()
    assert not problems, f"script errors in the page: {problems}"


def open_page(page, server: str, fragment: str = "") -> None:
    page.goto(server + fragment)
    page.wait_for_selector("body[data-ready=true]", timeout=20_000)


# The page's policy forbids eval, so waits go through locators, never wait_for_function.


def report_of(page) -> None:
    """Wait until the report shows the case as it is now."""
    from playwright.sync_api import expect

    page.wait_for_timeout(350)  # past the debounce of the last change
    expect(page.locator("#status")).not_to_have_text("Updating…", timeout=10_000)


def question_number(page, number: int) -> None:
    from playwright.sync_api import expect

    expect(page.locator("#question")).to_have_text(re.compile(rf"^Q{number}\. "))


def shot(page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"))


def treatment_statuses(page) -> dict[str, str]:
    rows = page.locator("table.treatments tbody tr")
    return {
        # the status, without its basis ("indicated (suspected)": waits on the tests)
        rows.nth(i).locator("th").inner_text().strip(): rows.nth(i)
        .locator(".status")
        .inner_text()
        .split(" (")[0]
        for i in range(rows.count())
    }


def api(server: str, path: str, body: dict | None = None) -> dict:
    import httpx

    if body is None:
        return httpx.get(server + path.lstrip("/")).json()
    return httpx.post(server + path.lstrip("/"), json=body).json()


def test_a_case_entered_by_clicks_gets_its_report_and_explanation(page, server):
    from playwright.sync_api import expect

    open_page(page, server)
    assert page.locator("#disclaimer").inner_text() == DISCLAIMER
    page.click("summary:text-is('Bone')")
    page.check("label:text-is('Pathological fracture')")
    page.select_option("#er", "positive")
    report_of(page)
    assert page.locator("ul.sites button.fact").first.inner_text().startswith("Bone")
    assert treatment_statuses(page)["Hormone therapy"].startswith("indicated")
    page.click("ul.sites button.fact >> nth=0")
    chain = page.locator("#chain")
    assert "site.bone.pathological-fracture" in chain.inner_text()
    assert page.locator("#article mark").inner_text() == "Pathological fracture"
    expect(page.locator("#graph svg text", has_text="site:bone")).to_have_count(1)
    shot(page, "explanation")


SENTENCE = (
    "She has been coughing up blood for a week. No headaches. A cough last winter cleared up."
)


def test_a_typed_sentence_is_read_and_reported(page, server):
    open_page(page, server)
    page.click("#sentence")
    page.keyboard.type(SENTENCE, delay=10)
    report_of(page)
    expected = api(server, "/api/assess", {"id": "page", "narrative": SENTENCE})
    # what each part of the sentence was read as, in the order written
    read = page.locator("ul.understood li").all_inner_texts()
    assert len(read) == len(expected["understood"]) == 3
    names = {f["id"]: f["name"] for f in api(server, "/api/vocab")["findings"]}
    for line, item in zip(read[:2], expected["understood"][:2], strict=True):
        assert line.startswith(item["text"])
        name = names[item["finding"]]  # denied: "no lump ...", never "no A lump"
        assert f"read as {name if item['present'] else denied(name)}" in line
    # a complaint that is over is shown in the reader's own words, as the terminal shows it
    assert read[2] == "A cough last winter cleared up: past and over, not counted (Chronic cough)"
    assert page.locator("ul.sites button.fact").first.inner_text().startswith("Lung")
    assert page.locator("ul.sites li").count() == len(expected["sites"])
    # each treatment's reason is the rule's statement, as the terminal gives it: no fact ids
    reasons = page.locator("table.treatments tbody tr td:last-child").all_inner_texts()
    statements = api(server, "/api/vocab")["statements"]
    assert reasons and all(reason in statements.values() for reason in reasons)
    assert not any(re.search(r"\b(receptor|finding|site):", reason) for reason in reasons)
    shot(page, "sentence")


def test_a_library_case_opens_by_link_with_the_apis_report(page, server):
    open_page(page, server, "#library=liver/liver-er-positive-conflict.yaml")
    report_of(page)
    case = api(server, "/api/cases/liver/liver-er-positive-conflict.yaml")
    expected = api(server, "/api/assess", case)
    assert page.locator("#report .case-title").inner_text() == case["title"]
    names = {t["id"]: t["name"] for t in api(server, "/api/vocab")["treatments"]}
    sites = {s["id"]: s["name"] for s in api(server, "/api/vocab")["sites"]}
    assert treatment_statuses(page) == {
        names[t["id"]]: t["status"].replace("_", " ") for t in expected["treatments"]
    }
    # whether each rests on confirmed sites or waits on suspected ones
    waits = [
        f"{t['basis']}: waits on {', '.join(sites[s] for s in t['pending'])}"
        if t.get("pending")
        else t["basis"]
        for t in expected["treatments"]
        if "basis" in t
    ]
    assert waits and page.locator("table.treatments .basis").all_inner_texts() == waits
    assert page.locator("#library").input_value() == "liver/liver-er-positive-conflict.yaml"
    shot(page, "library-case")


def test_a_shared_url_reopens_the_same_case(page, server, browser):
    open_page(page, server)
    page.click("summary:text-is('Brain')")
    page.check("label:text-is('Convulsions')")
    page.fill("#lab-calcium", "3.6")
    page.select_option("#pr", "negative")
    report_of(page)
    page.click("#share")
    url = page.locator("#share-url").input_value()
    before = page.locator("#report").inner_text()

    other = browser.new_context().new_page()
    open_page(other, url)
    report_of(other)
    assert other.locator("#report").inner_text() == before
    assert other.locator("[data-finding=convulsions]").is_checked()
    assert other.locator("#lab-calcium").input_value() == "3.6"
    assert other.locator("#pr").input_value() == "negative"
    other.context.close()


def test_the_interview_runs_to_its_end_with_why_and_back(page, server):
    from playwright.sync_api import expect

    open_page(page, server)
    page.click("summary:text-is('Bone')")
    page.check("label:text-is('Severe and increasing bone pain')")
    report_of(page)
    page.click("#interview-start")
    question = page.locator("#question")
    question_number(page, 1)
    first = question.inner_text()
    page.click("#why")
    assert page.locator("#why-text").inner_text().startswith("I ask because")
    shot(page, "interview")
    page.click("[data-answer=yes]")
    question_number(page, 2)
    page.click("#back")
    question_number(page, 1)
    assert question.inner_text() == first
    answers = ["yes", "no", "unknown"]
    for turn in range(80):
        text = question.inner_text()
        if text.endswith("The report is final."):  # nothing would change it, or 12 asked
            break
        page.click(f"[data-answer={answers[turn % 3]}]")
        expect(question).not_to_have_text(text)
    else:
        pytest.fail("the interview never ended")
    assert page.locator("[data-answer=yes]").is_disabled()
    # the page's report is the report of the case the answers built
    state = json.loads(page.evaluate("decodeURIComponent(location.hash.slice('#case='.length))"))
    expected = api(server, "/api/assess", state)
    assert page.locator("ul.sites li").count() == len(expected["sites"])


def test_a_keyboard_alone_enters_a_case_and_opens_an_explanation(page, server):
    open_page(page, server)

    def tab_to(check: str, limit: int = 200) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(check):
                return
        pytest.fail(f"Tab never reached: {check}")

    tab_to("document.activeElement.id === 'sentence'")
    page.keyboard.type("pathological fracture")
    report_of(page)
    tab_to("document.activeElement.id === 'interview-start'")
    page.keyboard.press("Enter")
    question_number(page, 1)
    tab_to("document.activeElement.dataset.answer === 'no'")
    page.keyboard.press("Enter")
    question_number(page, 2)
    tab_to("document.activeElement.dataset.fact === 'site:bone'")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.textContent") == "How: Bone"


HOSTILE_TITLE = '<script>window.hacked = 1</script><img src=x onerror="window.hacked = 2">'
HOSTILE_FINDING = "\"quoted\" 'and' <b>bold</b> " + "x" * 150


def test_hostile_text_is_shown_as_text_never_as_markup(page, server):
    open_page(page, server)
    page.fill("#title", HOSTILE_TITLE)
    page.fill("#add-finding", HOSTILE_FINDING)
    page.keyboard.press("Enter")
    page.fill("#sentence", "<script>window.hacked = 3</script>" + "y" * 400)
    report_of(page)
    assert page.evaluate("window.hacked") is None
    assert page.locator("main img, main b, main script").count() == 0
    chips = page.locator("#chips").inner_text()
    assert HOSTILE_FINDING in chips
    assert page.locator("#error").inner_text().startswith("error: ")
    # the long words wrap: the page does not grow sideways
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # a valid case with the same title shows it, as text, in the report
    page.click("#chips button >> nth=0")
    page.fill("#sentence", "")
    report_of(page)
    assert page.locator("#report .case-title").inner_text() == HOSTILE_TITLE
    page.click("#print")
    page.wait_for_selector("#print-view:not([hidden]) #handout h3")
    assert HOSTILE_TITLE in page.locator("#handout h3").inner_text()
    assert page.locator("#handout img, #handout script, #handout a").count() == 0
    assert page.evaluate("window.hacked") is None


def test_the_print_view_shows_the_handout(page, server):
    open_page(page, server, "#library=bone/bone-er-positive-bone-pain.yaml")
    report_of(page)
    page.click("#print")
    page.wait_for_selector("#print-view:not([hidden]) #handout h3")
    handout = page.locator("#handout").inner_text()
    assert "bone-er-positive-bone-pain" in handout
    assert DISCLAIMER in handout
    assert page.locator("#disclaimer").is_visible()
    shot(page, "handout")
    page.click("#print-close")
    assert page.locator("#main").is_visible()


def _axe_script() -> Path:
    script = NODE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if script.exists():
        return script
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed: it fetches axe-core for the accessibility check")
    NODE_DIR.mkdir(exist_ok=True)
    done = subprocess.run(
        [
            npm,
            "install",
            "--no-save",
            "--no-audit",
            "--no-fund",
            "--prefix",
            str(NODE_DIR),
            "axe-core@4",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0 or not script.exists():
        pytest.fail(f"npm install axe-core failed: {done.stderr.strip()[-500:]}")
    return script


def test_axe_finds_no_serious_or_critical_violation_on_any_view(browser, server):
    script = _axe_script()
    # The page forbids scripts from anywhere but itself; axe is injected by the test only.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1400, "height": 1000})
    page = context.new_page()

    def violations(view: str) -> list[str]:
        page.add_script_tag(path=str(script))
        found = page.evaluate("axe.run(document).then((r) => r.violations)")
        return [
            f"{view}: {v['id']} ({v['impact']}): {v['help']} at {v['nodes'][0]['target']}"
            for v in found
            if v["impact"] in ("serious", "critical")
        ]

    problems: list[str] = []
    open_page(page, server, "#library=liver/liver-er-positive-conflict.yaml")
    report_of(page)
    page.click("summary:text-is('Liver')")
    problems += violations("report")
    page.click("ul.sites button.fact >> nth=0")
    page.wait_for_selector("#graph svg")
    problems += violations("explanation")
    page.click("#interview-start")
    question_number(page, 1)
    page.click("#why")
    problems += violations("interview")
    page.click("#print")
    page.wait_for_selector("#print-view:not([hidden]) #handout h3")
    problems += violations("print view")
    page.click("#print-close")
    page.fill("#add-finding", "fractur")
    page.keyboard.press("Enter")
    report_of(page)
    problems += violations("error")
    context.close()
    assert not problems, "\n".join(problems)
