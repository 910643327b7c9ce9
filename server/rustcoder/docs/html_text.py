"""HTML of mdBook and rustdoc pages to plain text, fast enough for 200 MB of pages.

Regular expressions, not a DOM: the pages come from two generators whose markup
is regular, and a DOM parser over the whole std documentation takes minutes.
"""

from __future__ import annotations

import html
import re

_BORING = re.compile(r'<span class="boring">.*?</span>', re.S)
_PARAGRAPH_END = re.compile(r"</(?:p|h[1-6]|blockquote)>", re.I)
_LINE_END = re.compile(r"</(?:li|div|tr|dt|dd)>|<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]+>")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANKS = re.compile(r"\n\s*\n+")
_MAIN = re.compile(r"<main[^>]*>(.*?)</main>", re.S)
_PRE = re.compile(r"<pre[^>]*>(.*?)</pre>", re.S)


def main_html(page: str) -> str:
    """The page's `<main>` element (its content without navigation and scripts)."""
    m = _MAIN.search(page)
    return m.group(1) if m else ""


def to_text(fragment: str) -> str:
    """Readable text: hidden example lines dropped, blocks on their own lines, code fenced.

    Code keeps its indentation; prose is folded to single spaces.
    """
    fragment = _COMMENT.sub("", _BORING.sub("", fragment))
    parts: list[str] = []
    last = 0
    for m in _PRE.finditer(fragment):
        parts.append(_prose(fragment[last : m.start()]))
        code = html.unescape(_TAG.sub("", m.group(1))).strip("\n")
        parts.append(f"```\n{code}\n```")
        last = m.end()
    parts.append(_prose(fragment[last:]))
    return "\n\n".join(p for p in parts if p)


def _prose(fragment: str) -> str:
    fragment = _LINE_END.sub("\n", _PARAGRAPH_END.sub("\n\n", fragment))
    text = html.unescape(_TAG.sub("", fragment))
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.splitlines())
    return _BLANKS.sub("\n\n", text).strip()


def inline_text(fragment: str) -> str:
    """Text on one line (headings, signatures)."""
    return " ".join(to_text(fragment).split()).replace("§", "").strip()
