"""Shared helpers for the end-to-end LSP tests (real server, real cargo)."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

DATA = Path(__file__).resolve().parent.parent / "data" / "crates"
CLIENTS = ["neovim@v0.11.0", "visual_studio_code"]
WAIT_S = 120.0


def copy_crate(name: str, dest: Path) -> Path:
    """A private copy of a fixture crate: tests never touch tests/data."""
    target = dest / name
    shutil.copytree(DATA / name, target)
    return target


def utf16_offset(line: str, character: int) -> int:
    """Index into `line` (str) of a UTF-16 column."""
    units = 0
    for index, ch in enumerate(line):
        if units >= character:
            return index
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(line)


def apply_text_edits(text: str, edits: Sequence[lsp.TextEdit]) -> str:
    """Apply LSP edits (UTF-16 positions) the way an editor does: last first."""
    lines = text.split("\n")

    def offset(pos: lsp.Position) -> int:
        before = sum(len(line) + 1 for line in lines[: pos.line])
        line = lines[pos.line] if pos.line < len(lines) else ""
        return before + utf16_offset(line, pos.character)

    ordered = sorted(
        edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True
    )
    for edit in ordered:
        start, end = offset(edit.range.start), offset(edit.range.end)
        text = text[:start] + edit.new_text + text[end:]
    return text


def edits_for(edit: lsp.WorkspaceEdit, uri: str) -> list[lsp.TextEdit]:
    result: list[lsp.TextEdit] = []
    for change in edit.document_changes or []:
        if isinstance(change, lsp.TextDocumentEdit) and change.text_document.uri == uri:
            result.extend(e for e in change.edits if isinstance(e, lsp.TextEdit))
    result.extend((edit.changes or {}).get(uri, []))
    return result


async def wait_until(predicate: Callable[[], bool], what: str, timeout: float = WAIT_S) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        await asyncio.sleep(0.05)


def errors(client: LanguageClient, uri: str) -> list[lsp.Diagnostic]:
    return [
        d for d in client.diagnostics.get(uri, []) if d.severity == lsp.DiagnosticSeverity.Error
    ]


async def wait_for_diagnostics(
    client: LanguageClient, uri: str, predicate: Callable[[list[lsp.Diagnostic]], bool], what: str
) -> list[lsp.Diagnostic]:
    await wait_until(
        lambda: uri in client.diagnostics and predicate(list(client.diagnostics[uri])),
        f"{what} on {uri}",
    )
    return list(client.diagnostics[uri])


def open_file(client: LanguageClient, path: Path, version: int = 1) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(
                uri=uri, language_id="rust", version=version, text=path.read_text(encoding="utf-8")
            )
        )
    )
    return uri


def save_file(client: LanguageClient, path: Path, text: str, version: int) -> None:
    """Write `text` as an editor does: change the buffer, write the file, save."""
    uri = path.as_uri()
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    path.write_text(text, encoding="utf-8")
    client.text_document_did_save(
        lsp.DidSaveTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri))
    )


def cargo_check_passes(crate: Path, target: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["cargo", "check", "--quiet", "--all-targets", "--target-dir", str(target)],
        cwd=crate,
        capture_output=True,
        text=True,
        check=False,
    )


async def code_actions(
    client: LanguageClient,
    uri: str,
    diagnostic: lsp.Diagnostic,
    context: Sequence[lsp.Diagnostic] | None = None,
) -> list[lsp.CodeAction]:
    result = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=diagnostic.range,
            context=lsp.CodeActionContext(
                diagnostics=list(context if context is not None else [diagnostic])
            ),
        )
    )
    return [a for a in result or [] if isinstance(a, lsp.CodeAction)]


async def quick_fixes(
    client: LanguageClient,
    uri: str,
    diagnostic: lsp.Diagnostic,
    context: Sequence[lsp.Diagnostic] | None = None,
) -> list[lsp.CodeAction]:
    """Quick fixes for a diagnostic, each resolved (verified) when it came without an edit."""
    actions = [
        a
        for a in await code_actions(client, uri, diagnostic, context)
        if a.kind == lsp.CodeActionKind.QuickFix
    ]
    resolved = []
    for action in actions:
        if action.edit is None and action.data is not None:
            action = await client.code_action_resolve_async(action)
        resolved.append(action)
    return resolved
