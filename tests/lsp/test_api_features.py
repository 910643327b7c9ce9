"""The API index in the editor (real server over stdio, the toolchain's std docs indexed in
the background after the first check): hover on a std item shows its real signature and doc
line; a call to a method that does not exist gets the real one as a quick fix."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from rustcoder.apiindex.std_pages import std_docs_root
from tests.lsp.helpers import code_actions, open_file, wait_for_diagnostics

SOURCE = """use std::collections::HashMap;

pub fn load(path: &str) -> HashMap<String, usize> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut counts = HashMap::new();
    counts.insert(text, 1);
    counts
}
"""

pytestmark = pytest.mark.skipif(
    std_docs_root() is None, reason="needs the toolchain's rust-docs component"
)


async def hover_at(client: LanguageClient, uri: str, line: int, character: int) -> str | None:
    """Hover until the index is built (the server indexes in the background, never waits)."""
    for _ in range(600):
        found = await client.text_document_hover_async(
            lsp.HoverParams(
                text_document=lsp.TextDocumentIdentifier(uri=uri),
                position=lsp.Position(line=line, character=character),
            )
        )
        if found is not None:
            assert isinstance(found.contents, lsp.MarkupContent)
            return found.contents.value
        await asyncio.sleep(0.2)
    return None


async def test_hover_shows_the_real_signature_of_std_items(
    client: LanguageClient, workspace_dir: Path
) -> None:
    crate = workspace_dir / "hover"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text(
        '[package]\nname = "hover"\nversion = "0.1.0"\nedition = "2021"\n\n[workspace]\n'
    )
    (crate / "src" / "lib.rs").write_text(SOURCE)
    uri = open_file(client, crate / "src" / "lib.rs")
    line = SOURCE.splitlines()[3]
    text = await hover_at(client, uri, 3, line.index("read_to_string") + 3)
    assert text is not None, "no hover on std::fs::read_to_string"
    assert "fn read_to_string<P: AsRef<Path>>(path: P) -> Result<String>" in text
    assert "`std::fs::read_to_string` (std " in text
    assert "Reads the entire contents of a file into a string" in text
    # A name the file imports resolves through its `use` line.
    imported = await hover_at(client, uri, 4, SOURCE.splitlines()[4].index("HashMap") + 1)
    assert imported is not None and "struct HashMap<K, V" in imported
    # A local variable is nothing the index knows: no hover.
    nothing = await client.text_document_hover_async(
        lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            position=lsp.Position(line=5, character=5),
        )
    )
    assert nothing is None


PUSH_ALL = """pub fn primes() -> Vec<u32> {
    let mut primes: Vec<u32> = vec![2, 3];
    primes.push_all(&[5, 7, 11]);
    primes
}
"""


async def test_a_made_up_method_gets_the_real_one_as_a_quick_fix(
    client: LanguageClient, workspace_dir: Path
) -> None:
    crate = workspace_dir / "push_all"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text(
        '[package]\nname = "push_all"\nversion = "0.1.0"\nedition = "2021"\n\n[workspace]\n'
    )
    (crate / "src" / "lib.rs").write_text(PUSH_ALL)
    uri = open_file(client, crate / "src" / "lib.rs")
    diags = await wait_for_diagnostics(
        client, uri, lambda ds: any(d.code == "E0599" for d in ds), "E0599"
    )
    target = next(d for d in diags if d.code == "E0599")
    titles: list[str] = []
    for _ in range(600):  # the index is built after the first check, then fixes are prepared
        titles = [a.title for a in await code_actions(client, uri, target)]
        if any("Extend::extend" in t for t in titles):
            break
        await asyncio.sleep(0.2)
    assert any("use `Extend::extend`" in t for t in titles), titles
