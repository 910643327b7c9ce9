"""Quick fixes in a file with Windows line endings, a BOM and non-ASCII text, in the editor.

rustc's byte offsets count every `\\r`; the edit an editor receives must still
land exactly on the diagnostic's range and keep the file's CRLF endings.
"""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from tests.lsp.helpers import edits_for, quick_fixes, wait_for_diagnostics

MANIFEST = '[package]\nname = "c"\nversion = "0.1.0"\nedition = "2021"\n[workspace]\n'
SOURCE = (
    "\ufeff// Größe 🦀\r\n"
    "pub fn total(items: &[u32]) -> u32 {\r\n"
    "    let running_total: u32 = items.iter().sum();\r\n"
    "    runing_total\r\n"
    "}\r\n"
)


def apply_crlf(text: str, edits: list[lsp.TextEdit]) -> str:
    """An editor's application of UTF-16 edits to a CRLF document without its BOM."""
    lines = text.split("\r\n")

    def offset(pos: lsp.Position) -> int:
        before = sum(len(line) + 2 for line in lines[: pos.line])
        line = lines[pos.line]
        units = index = 0
        while index < len(line) and units < pos.character:
            units += 2 if ord(line[index]) > 0xFFFF else 1
            index += 1
        return before + index

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character))[::-1]:
        start, end = offset(edit.range.start), offset(edit.range.end)
        text = text[:start] + edit.new_text + text[end:]
    return text


async def test_crlf_quick_fix_lands_on_the_diagnostic(
    client: LanguageClient, workspace_dir: Path
) -> None:
    crate = workspace_dir / "crlf"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text(MANIFEST)
    lib = crate / "src" / "lib.rs"
    lib.write_bytes(SOURCE.encode())
    document = SOURCE.removeprefix("\ufeff")  # editors keep the BOM out of the text
    uri = lib.as_uri()
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(
                uri=uri, language_id="rust", version=1, text=document
            )
        )
    )
    diags = await wait_for_diagnostics(
        client, uri, lambda ds: any(d.code == "E0425" for d in ds), "the E0425"
    )
    target = next(
        d for d in diags if d.code == "E0425" and d.severity == lsp.DiagnosticSeverity.Error
    )
    assert (target.range.start.line, target.range.start.character) == (3, 4)
    assert (target.range.end.line, target.range.end.character) == (3, 16)
    actions = await quick_fixes(client, uri, target)
    renames = [
        a
        for a in actions
        if a.edit is not None and any("running_total" in e.new_text for e in edits_for(a.edit, uri))
    ]
    assert renames, [a.title for a in actions]
    for action in renames:
        assert action.edit is not None
        edits = edits_for(action.edit, uri)
        assert [e.range for e in edits] == [target.range], action.title
        fixed = apply_crlf(document, edits)
        assert fixed == document.replace("runing_total", "running_total"), action.title
    # The server never writes the file itself.
    assert lib.read_bytes() == SOURCE.encode()
