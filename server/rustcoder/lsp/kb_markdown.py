"""Markdown for people: an error's explanation excerpt and what the KB knows for it.

Shared by the hover and the "Explain" command, so both say the same thing;
the knowledge base answers, this module only words it for the editor.
"""

from __future__ import annotations

from rustcoder.kb.knowledge_base import CodeExplanation
from rustcoder.kb.search import SearchResult

ERROR_INDEX = "https://doc.rust-lang.org/error_codes/{code}.html"


def _title(template: str) -> str:
    """Recipe titles carry `{placeholders}` filled from a message; show them neutrally."""
    return template.replace("{", "").replace("}", "")


def matches_markdown(result: SearchResult, limit: int = 3) -> str:
    lines: list[str] = []
    for hit in [h for h in result.hits if h.kind in ("recipe", "learned")][:limit]:
        if hit.kind == "recipe":
            lines.append(f"- {_title(hit.title)} *(recipe `{hit.id}`, score {hit.score:.2f})*")
        else:
            count = int(hit.details.get("success_count", 1))
            lines.append(f"- {hit.title} *(learned, worked {count} times, score {hit.score:.2f})*")
    return "\n".join(lines)


def hover_markdown(
    code: str | None, explanation: CodeExplanation | None, result: SearchResult | None
) -> str:
    """The explanation excerpt, the best KB matches and a link to the error index."""
    parts: list[str] = []
    if code and explanation is not None:
        parts.append(f"**{code}**: {explanation.title}")
        excerpt = explanation.excerpt(500)
        if excerpt and excerpt != explanation.title:
            parts.append(excerpt.removeprefix(explanation.title).strip())
    elif result is not None and result.explanation:
        parts.append(result.explanation)
    if result is not None:
        matches = matches_markdown(result)
        if matches:
            parts.append("**Known fixes**\n\n" + matches)
    if code and explanation is not None:
        parts.append(f"[{code} in the error index]({ERROR_INDEX.format(code=code)})")
    return "\n\n".join(p for p in parts if p)


def explain_markdown(explanation: CodeExplanation, result: SearchResult | None = None) -> str:
    """The whole `rustc --explain` text as a document, with the KB's matches first."""
    parts = [f"# {explanation.code}: {explanation.title}"]
    if result is not None:
        matches = matches_markdown(result, limit=5)
        if matches:
            parts.append("## Known fixes\n\n" + matches)
    parts.append(
        f"## rustc --explain {explanation.code}\n\n{_rust_fences(explanation.explanation)}"
    )
    return "\n\n".join(parts) + "\n"


def _rust_fences(text: str) -> str:
    """rustc prints bare ``` fences; mark the opening ones as Rust for highlighting."""
    out: list[str] = []
    inside = False
    for line in text.splitlines():
        if line.strip().startswith("```"):
            out.append("```rust" if not inside and line.strip() == "```" else line)
            inside = not inside
        else:
            out.append(line)
    return "\n".join(out)
