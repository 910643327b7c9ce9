"""A file with lone CR line breaks: rustc counts one line, editors several (real cargo)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from rustcoder.cargo.flycheck import run_check
from rustcoder.cargo.to_lsp import map_diagnostics
from rustcoder.cargo.workspace import CargoWorkspace
from rustcoder.config import CheckSettings

MANIFEST = '[package]\nname = "c"\nversion = "0.1.0"\nedition = "2021"\n[workspace]\n'


def test_a_lone_cr_is_a_line_break_for_the_editor(tmp_path: Path) -> None:
    crate = tmp_path / "c"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text(MANIFEST)
    (crate / "src" / "lib.rs").write_bytes(b"pub fn a() -> u32 {\r    undefined_x\r}\n")
    workspace = CargoWorkspace(root=crate, manifest=crate / "Cargo.toml")
    outcome = asyncio.run(run_check(workspace, CheckSettings(target_dir=str(tmp_path / "t"))))
    rustc = next(d for d in outcome.diagnostics if d.code == "E0425")
    assert rustc.spans[0].line_start == 1  # rustc: one line
    by_uri = map_diagnostics(outcome.diagnostics, crate)
    mapped = by_uri[(crate / "src" / "lib.rs").as_uri()]
    error = next(m.diagnostic for m in mapped if m.diagnostic.code == "E0425")
    assert (error.range.start.line, error.range.start.character) == (1, 4)
    assert (error.range.end.line, error.range.end.character) == (1, 15)
