"""One escaping step per output kind: whatever a case file's text holds, each output shows it
as text and still parses."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from triage import escape

from . import conftest

# Hostile text: terminal sequences, line breaks, markup of every output kind, lone surrogates.
HOSTILE = [
    "PASS\rFAIL",
    "a\x1b[2J\x1b]0;owned\x07b",  # clear screen, OSC window title
    "\x9b31m C1 CSI",
    "line\u2028separator\u2029paragraph",
    "\u202eevil\u202c",
    "bad \ud800 half",
    "x\n## heading\n| a | b |\n<script>alert(1)</script>",
    "![img](https://evil.example/x.png) [link](javascript:alert(1))",
    "https://evil.example www.evil.example mail@evil.example <https://x.example>",
    "&lt;b&gt; &#60;script&#62;",
    "[bold red]red[/] \\[x] trailing\\",
    '"quoted" \\N \\G #quot; `code` #9829; <b>',
    "\x00\x01\x7f\ufffe\uffff",
]
any_text = st.text(st.characters(), max_size=40)
budget = conftest.budget(300)


@pytest.mark.parametrize("text", HOSTILE)
def test_terminal_text_has_no_control_character_and_one_line(text):
    shown = escape.terminal(text)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in shown)
    assert len(shown.splitlines()) <= 1
    shown.encode("utf-8")  # never a UnicodeEncodeError on a UTF-8 terminal


def test_terminal_escapes_are_visible_and_named():
    assert escape.terminal("PASS\rFAIL") == "PASS\\rFAIL"
    assert escape.terminal("a\x1bb\n\t") == "a\\x1bb\\n\\t"
    assert escape.terminal("\x9b\u2028\ud800") == "\\x9b\\u2028\\ud800"
    assert escape.terminal("café ✓ 東京") == "café ✓ 東京"  # printable text is left alone


def test_terminal_markup_is_shown_not_obeyed():
    assert escape.terminal_markup("[bold]x[/bold]") == "\\[bold]x\\[/bold]"
    assert escape.terminal_markup("a\\[b]") == "a\\\\\\[b]"
    assert escape.terminal_markup("ends\\") == "ends\\\\"
    assert escape.terminal_markup("[1, 2]") == "[1, 2]"  # cannot be a tag: rich shows it


def test_terminal_markup_renders_as_the_text_with_rich():
    rich_text = pytest.importorskip("rich.text")
    for text in [*HOSTILE, "[link=https://x]y[/link]", "\\[bold]", "a\\"]:
        shown = rich_text.Text.from_markup(escape.terminal_markup(text), emoji=False).plain
        assert shown == escape.terminal(text)


@budget
@given(any_text)
def test_any_text_is_one_visible_encodable_line(text):
    for shown in (escape.terminal(text), escape.markdown(text), escape.cut(text, 10)):
        assert len(shown.splitlines()) <= 1
        shown.encode("utf-8")


def _markdown_tokens(source: str):
    for token in MarkdownIt("gfm-like").parse(source):  # GFM: tables, bare URLs as links
        yield token
        yield from token.children or []


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_text_is_plain_text_in_a_paragraph_a_heading_and_a_table(text):
    cell = escape.markdown(text)
    source = f"# Case: {cell}\n\nsome {cell} text\n\n| a | b |\n|---|---|\n| {cell} | x |\n"
    tokens = list(_markdown_tokens(source))
    kinds = {t.type for t in tokens}
    assert not kinds & {"html_inline", "html_block", "link_open", "image", "code_inline"}
    assert [t.tag for t in tokens if t.type == "heading_open"] == ["h1"]
    assert sum(t.type == "tr_open" for t in tokens) == 2  # the header row and one row
    assert sum(t.type == "td_open" for t in tokens) == 2  # the escaped pipes split nothing
    shown = "".join(t.content for t in tokens if t.type == "text")
    assert escape.visible(text) in shown


@budget
@given(any_text)
def test_any_markdown_text_renders_as_itself(text):
    tokens = list(_markdown_tokens(f"x {escape.markdown(text)} x\n"))
    assert not {t.type for t in tokens} & {"html_inline", "html_block", "link_open", "image"}
    shown = "".join(t.content for t in tokens if t.type in ("text", "softbreak"))
    assert shown.strip() == f"x {escape.visible(text)} x".strip()


def test_markdown_code_spans_cannot_be_ended_by_backticks():
    assert escape.markdown_code("a`b") == "``a`b``"
    assert escape.markdown_code("`x`") == "`` `x` ``"
    for text in HOSTILE:
        tokens = list(_markdown_tokens(f"- {escape.markdown_code(text)}\n"))
        (code,) = [t for t in tokens if t.type == "code_inline"]
        assert code.content == escape.visible(text)


@pytest.mark.parametrize("text", HOSTILE)
def test_html_text_has_no_markup(text):
    shown = escape.html(text)
    assert not set(shown) & set("<>\"'")
    assert "&" not in shown.replace("&amp;", "").replace("&lt;", "").replace("&gt;", "").replace(
        "&quot;", ""
    ).replace("&#x27;", "")
    shown.encode("utf-8")


@budget
@given(st.recursive(st.none() | st.booleans() | st.floats() | any_text, st.lists, max_leaves=8))
def test_a_json_line_always_parses_to_one_line_and_keeps_the_text(value):
    line = escape.json_line({"v": value, "id": "\ud800\u2028"})
    assert len(line.splitlines()) == 1
    line.encode("utf-8")
    assert "\u2028" not in line and "\u2029" not in line
    parsed = json.loads(line)
    if "error" not in parsed:  # NaN and infinities are not JSON: described instead
        assert parsed["id"] == "\ud800\u2028"


def test_json_line_never_raises():
    loop: list = []
    loop.append(loop)
    assert "error" in json.loads(escape.json_line(loop))
    assert "error" in json.loads(escape.json_line({"x": float("nan")}))
    assert json.loads(escape.json_line({"x": {1, 2}.__class__}))["x"] == "<class 'set'>"


def test_serialized_json_is_made_line_safe_without_changing_its_value():
    raw = json.dumps({"t": "a\u2028b\ud800"}, ensure_ascii=False)
    assert json.loads(escape.json_text(raw)) == {"t": "a\u2028b\ud800"}
    assert "\u2028" not in escape.json_text(raw)


@budget
@given(any_text)
def test_any_text_survives_an_xml_writer_and_parser(text):
    element = ET.Element("case", name=escape.xml_chars(text))
    element.text = escape.xml_chars(text)
    parsed = ET.fromstring(ET.tostring(element, encoding="unicode"))
    assert parsed.get("name") == escape.xml_chars(text)
    hand_written = f'<case name="{escape.xml(text)}">{escape.xml(text)}</case>'
    assert ET.fromstring(hand_written).get("name") == escape.xml_chars(text)


def test_xml_forbidden_characters_become_visible():
    assert escape.xml_chars("a\x01b\x1b\uffff\ud800") == "a\\x01b\\x1b\\uffff\\ud800"
    assert escape.xml_chars("tab\tnl\n ok é") == "tab\tnl\n ok é"


@pytest.mark.parametrize("text", HOSTILE)
def test_dot_and_mermaid_labels_are_one_quoted_string(text):
    dot = escape.dot(text)
    assert dot.startswith('"') and dot.endswith('"') and len(dot.splitlines()) == 1
    body = dot[1:-1]
    # every quote and backslash inside is escaped: the string cannot end early
    assert body.replace("\\\\", "").replace('\\"', "").count('"') == 0
    mermaid = escape.mermaid(text)
    assert mermaid.count('"') == 2 and len(mermaid.splitlines()) == 1
    assert not set(mermaid[1:-1]) & set("<>`|")


def test_dot_labels_show_backslashes_not_graphviz_escapes():
    assert escape.dot('a\\Nb"c') == '"a\\\\Nb\\"c"'
    assert escape.mermaid('say "hi" #9829;') == '"say #34;hi#34; #35;9829;"'


def test_long_values_are_cut_for_error_messages():
    assert escape.cut("short") == "short"
    long = "x" * 2_000_000
    shown = escape.cut(long, 40)
    assert shown == "x" * 40 + "... (2000000 characters)"
    assert escape.cut("a\nb", 10) == "a\\nb"
