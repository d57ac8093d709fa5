"""Text from a case file (a title, an id, a file name, a typed word) made safe for each kind of
output it reaches: one function per output kind, used by every renderer.

Whatever the text holds, it cannot move the cursor, retitle or recolour a terminal, start a
heading, a table row, a link or raw HTML in Markdown, break a JSON line or an XML file, or end a
DOT or Mermaid label. What cannot be shown is shown as a visible escape in Python's spelling
(`\\x1b`, `\\r`, `\\u2028`), so a reader sees that it is there. Every function takes any `str`,
lone surrogates included, and never raises.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

# What a terminal acts on or a reader cannot see: the C0 and C1 controls and DEL (ESC starts
# colour, cursor and OSC title sequences; \r returns to the line's start), Unicode's line and
# paragraph separators, the bidirectional overrides and isolates that reorder what is shown,
# and lone surrogates (which cannot be written as UTF-8 at all).
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (a file name), as Python reads it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str) -> str:
    """The text with every control, separator, bidirectional override and lone surrogate
    written as a visible escape: one line, printable, encodable as UTF-8."""
    return _INVISIBLE.sub(_escape_char, text)


def terminal(text: str) -> str:
    """Text for a terminal line: nothing in it can act on the terminal or start a new line."""
    return visible(text)


# A rendering library's markup (rich: `[bold]`, `[/]`, `[link=...]`): an opening bracket that
# could start a tag gets a backslash, and backslashes just before it are doubled, as rich's own
# `rich.markup.escape` does; a bracket that cannot start a tag is shown as it is by rich.
_MARKUP_TAG = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])")


def terminal_markup(text: str) -> str:
    """Text for a terminal line written through rich-style markup: `[bold]` in a title is
    shown, not obeyed. (Emoji codes such as `:warning:` are the renderer's to switch off.)"""
    escaped = _MARKUP_TAG.sub(lambda m: f"{m.group(1)}{m.group(1)}\\{m.group(2)}", visible(text))
    if escaped.endswith("\\") and not escaped.endswith("\\\\"):
        escaped += "\\"  # a trailing backslash would escape the markup that follows
    return escaped


# CommonMark lets any ASCII punctuation be escaped with a backslash and shows the character.
# Escaping all that can start markup (emphasis, code, links, images, raw HTML, entities,
# headings, lists, tables, strikethrough, maths) leaves plain text; escaping ':', '.' and '@'
# also keeps bare URLs, `www.` names and e-mail addresses from becoming links (GFM autolinks).
# '-', '+' and '1)' only start markup (a list item) at the start of a line, and '(' only after
# a ']' (escaped): "ER-positive" and "ALT (SGPT)" stay as they are.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#.!|~:@&$^=])|^(\s*\d*)([-+)])")


def markdown(text: str) -> str:
    """Text for a line of Markdown (a heading, a paragraph, a table cell): shown exactly as
    written, never markup, never a link or image, never more than one line."""
    return _MARKDOWN_SPECIAL.sub(_markdown_escape, visible(text))


def _markdown_escape(match: re.Match[str]) -> str:
    if match.group(1) is not None:
        return "\\" + match.group(1)
    return f"{match.group(2)}\\{match.group(3)}"


def markdown_code(text: str) -> str:
    """Text for a Markdown code span, delimiters included: backticks in it cannot end it.
    Not for a table cell (GFM splits a row at a '|' even inside code)."""
    text = visible(text)
    runs = [len(run) for run in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}
_HTML_SPECIAL = re.compile("[&<>\"']")


def html(text: str) -> str:
    """Text for HTML, in an element or a quoted attribute."""
    return _HTML_SPECIAL.sub(lambda m: _HTML[m.group()], visible(text))


# Lone surrogates cannot be written as UTF-8; U+2028, U+2029 and NEL (U+0085) end a line for
# JavaScript or for readers that split on Unicode line breaks (Python's str.splitlines), and the
# C1 controls act on some terminals (json.dumps already escapes C0). Inside a JSON string each
# may be written as a \u escape, which every JSON reader turns back into the same text.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def json_text(text: str) -> str:
    """Serialized JSON (from json.dumps or pydantic) made safe to write as one line of UTF-8:
    the same value for any JSON reader."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def json_line(obj: Any) -> str:
    """`obj` as one line of JSON, UTF-8 encodable, no raw U+2028/2029; never raises: what JSON
    cannot hold (NaN, a cycle, an unknown type) is written as its description."""
    try:
        text = json.dumps(obj, ensure_ascii=False, allow_nan=False, default=str)
    except (ValueError, TypeError, RecursionError) as exc:
        text = json.dumps({"error": f"not representable as JSON: {cut(str(exc), 200)}"})
    return json_text(text)


# XML 1.0 allows tab, newline, carriage return and U+0020-U+D7FF, U+E000-U+FFFD and
# U+10000-U+10FFFF; nothing else may appear, not even as a character reference. Written as the
# characters it forbids (the same set: the C0 controls but those three, the surrogates, U+FFFE
# and U+FFFF), compiled when first needed: the class of what it allows takes 17 ms to compile,
# a tenth of a cold start, and only the JUnit report writes XML.
_XML_FORBIDDEN = "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]"
_XML_SPECIAL = re.compile("[&<>\"'\t\n\r]")
_XML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"}
_XML |= {char: f"&#{ord(char)};" for char in "\t\n\r"}  # kept as they are, in attributes too


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def xml_chars(text: str) -> str:
    """Text an XML writer (ElementTree) can put in an element or attribute and an XML parser
    can read back: each character XML 1.0 forbids becomes a visible escape."""
    return _compiled(_XML_FORBIDDEN).sub(_escape_char, text)


def xml(text: str) -> str:
    """Text for XML written by hand, in an element or a quoted attribute."""
    return _XML_SPECIAL.sub(lambda m: _XML[m.group()], xml_chars(text))


def dot(text: str) -> str:
    """A Graphviz DOT quoted string, quotes included: a label shows the text as written
    (a backslash is not one of DOT's label escapes such as \\N or \\l)."""
    return '"' + visible(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


# Mermaid reads `#name;` and `#123;` as entities, HTML in labels, and a label starting with a
# backtick as Markdown: all are written as Mermaid's numeric entities.
_MERMAID_SPECIAL = re.compile('[#"<>&`|]')


def mermaid(text: str) -> str:
    """A Mermaid quoted label, quotes included."""
    return '"' + _MERMAID_SPECIAL.sub(lambda m: f"#{ord(m.group())};", visible(text)) + '"'


def cut(text: str, limit: int = 80) -> str:
    """A value short enough for an error message: the first `limit` characters and how long it
    was, on one visible line."""
    shown = visible(text[:limit])
    if len(text) <= limit:
        return shown
    return f"{shown}... ({len(text)} characters)"
