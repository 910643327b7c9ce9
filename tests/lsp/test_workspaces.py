"""Several workspaces, failing build scripts, broken manifests, files outside crates."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from tests.lsp.helpers import copy_crate, open_file, wait_for_diagnostics, wait_until


async def test_two_crates_are_checked_independently(
    client: LanguageClient, workspace_dir: Path
) -> None:
    root = copy_crate("two_crates", workspace_dir)
    alpha = open_file(client, root / "alpha" / "src" / "lib.rs")
    beta = open_file(client, root / "beta" / "src" / "lib.rs")
    a = await wait_for_diagnostics(client, alpha, bool, "alpha's diagnostics")
    b = await wait_for_diagnostics(client, beta, bool, "beta's diagnostics")
    assert [d.code for d in a] == ["E0308"]
    assert [d.code for d in b] == ["E0425"]
    assert (root / "alpha" / "target" / "rustcoder").is_dir()
    assert (root / "beta" / "target" / "rustcoder").is_dir()


async def test_failing_build_script(client: LanguageClient, workspace_dir: Path) -> None:
    crate = copy_crate("build_script_fails", workspace_dir)
    open_file(client, crate / "src" / "lib.rs")
    build_rs = (crate / "build.rs").as_uri()
    diags = await wait_for_diagnostics(client, build_rs, bool, "the build script failure")
    assert diags[0].severity == lsp.DiagnosticSeverity.Error
    assert "build script failed" in diags[0].message
    assert "libwidget" in diags[0].message


async def test_broken_manifest(client: LanguageClient, workspace_dir: Path) -> None:
    crate = copy_crate("bad_manifest", workspace_dir)
    open_file(client, crate / "src" / "lib.rs")
    manifest = (crate / "Cargo.toml").as_uri()
    diags = await wait_for_diagnostics(client, manifest, bool, "a manifest diagnostic")
    assert "SemVer" in diags[0].message
    assert diags[0].range.start == lsp.Position(line=2, character=10)


async def test_file_outside_any_crate(client: LanguageClient, workspace_dir: Path) -> None:
    loose = workspace_dir / "scratch.rs"
    loose.write_text('fn main() { let x: u8 = "no"; }\n')
    open_file(client, loose)
    await wait_until(
        lambda: any("not inside a Cargo package" in m.message for m in client.messages),
        "a message about the file outside a crate",
    )
    assert loose.as_uri() not in client.diagnostics


async def test_non_ascii_line_uses_negotiated_columns(
    client: LanguageClient, workspace_dir: Path
) -> None:
    crate = copy_crate("non_ascii", workspace_dir)
    lib = crate / "src" / "lib.rs"
    uri = open_file(client, lib)
    diags = await wait_for_diagnostics(client, uri, bool, "diagnostics")
    error = next(d for d in diags if d.code == "E0308")
    line = lib.read_text().splitlines()[1]
    char_index = line.index("crab;")
    encoding = client.position_encoding  # type: ignore[attr-defined]
    if encoding == "utf-8":
        column = len(line[:char_index].encode("utf-8"))
    elif encoding == "utf-32":
        column = char_index
    else:
        column = len(line[:char_index].encode("utf-16-le")) // 2
    assert encoding == "utf-32" or char_index != column  # the line holds multi-unit characters
    assert error.range.start == lsp.Position(line=1, character=column)
    assert error.range.end == lsp.Position(line=1, character=column + len("crab"))


async def test_progress_reported_while_checking(
    client: LanguageClient, workspace_dir: Path
) -> None:
    crate = copy_crate("fix_typo", workspace_dir)
    uri = open_file(client, crate / "src" / "lib.rs")
    await wait_for_diagnostics(client, uri, bool, "diagnostics")
    await wait_until(
        lambda: any(
            any(isinstance(v, lsp.WorkDoneProgressEnd) for v in values)
            for values in client.progress_reports.values()
        ),
        "a finished progress report",
    )
    reports = next(iter(client.progress_reports.values()))
    assert isinstance(reports[0], lsp.WorkDoneProgressBegin)
    assert reports[0].title == "cargo check"
    assert isinstance(reports[-1], lsp.WorkDoneProgressEnd)
    assert reports[-1].message == "1 error, 0 warnings"
