"""Diagnostics from the server's own cargo check, end to end over stdio."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from tests.lsp.helpers import copy_crate, open_file, save_file, wait_for_diagnostics


async def test_diagnostics_after_open_and_clear_after_fix(
    client: LanguageClient, workspace_dir: Path
) -> None:
    crate = copy_crate("fix_typo", workspace_dir)
    lib = crate / "src" / "lib.rs"
    uri = open_file(client, lib)
    diags = await wait_for_diagnostics(client, uri, lambda d: bool(d), "diagnostics after didOpen")
    error = next(d for d in diags if d.severity == lsp.DiagnosticSeverity.Error)
    assert error.code == "E0425"
    assert error.source == "rustcoder"
    assert error.code_description is not None
    assert error.code_description.href.endswith("/E0425.html")
    assert error.range.start == lsp.Position(line=2, character=4)
    assert "cannot find value `runing_total`" in error.message

    fixed = lib.read_text().replace("runing_total", "running_total")
    save_file(client, lib, fixed, version=2)
    await wait_for_diagnostics(client, uri, lambda d: d == [], "an empty diagnostic list")


async def test_diagnostics_after_save(client: LanguageClient, workspace_dir: Path) -> None:
    crate = copy_crate("clean", workspace_dir)
    lib = crate / "src" / "lib.rs"
    uri = open_file(client, lib)
    broken = lib.read_text().replace("a + b", "a + c")
    save_file(client, lib, broken, version=2)
    diags = await wait_for_diagnostics(client, uri, lambda d: bool(d), "diagnostics after didSave")
    assert [d.code for d in diags if d.severity == lsp.DiagnosticSeverity.Error] == ["E0425"]
