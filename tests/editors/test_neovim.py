"""A real headless Neovim 0.11 with the repo's lsp/rustcoder.lua applies rustcoder's fixes.

Each run copies a broken fixture crate, starts Neovim with editors/nvim on its
runtimepath and `vim.lsp.enable('rustcoder')`, waits for rustcoder's
diagnostics, asks for code actions, applies one, writes the file, and then
`cargo check` must pass. The driver prints a transcript (diagnostics seen,
actions offered, action applied) that pytest shows with -s or on failure.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.editors.conftest import REPO, cargo_check, copy_fixture, isolated_env, server_command

DRIVER = Path(__file__).with_name("nvim_driver.lua")
STEP_TIMEOUT_S = int(os.environ.get("RUSTCODER_EDITOR_TIMEOUT", "120"))


@dataclass(frozen=True)
class Case:
    kind: str  # folder under tests/data
    crate: str
    code: str  # error code to wait for
    pick: str  # "preferred", a title substring, or ":RustcoderFixAll"
    expect: str  # text in src/lib.rs after the fix
    only: str | None = None  # context.only of the request
    timeout_s: int = STEP_TIMEOUT_S  # per step in Neovim
    lsp_start: bool = False  # vim.lsp.start (pre-0.11 set-up) instead of vim.lsp.enable


def run_neovim(nvim: Path, case: Case, crate: Path) -> tuple[dict[str, object], str]:
    """Run the driver; returns its RESULT record and the transcript."""
    env = {
        **isolated_env(crate.parent),
        "RC_RTP": str(REPO / "editors" / "nvim"),
        "RC_CMD": json.dumps(server_command()),
        "RC_FILE": str(crate / "src" / "lib.rs"),
        "RC_CODE": case.code,
        "RC_PICK": case.pick,
        "RC_EXPECT": case.expect,
        "RC_TIMEOUT": str(case.timeout_s),
    }
    if case.only:
        env["RC_ONLY"] = case.only
    if case.lsp_start:
        env["RC_START"] = "1"
    proc = subprocess.run(
        [str(nvim), "--headless", "--clean", "-l", str(DRIVER)],
        env=env,
        capture_output=True,
        text=True,
        timeout=case.timeout_s * 4,
        stdin=subprocess.DEVNULL,
    )
    transcript = proc.stdout + proc.stderr
    print(f"--- Neovim transcript ({case.crate}) ---\n{transcript}")
    assert proc.returncode == 0, transcript
    records = [line for line in proc.stdout.splitlines() if line.startswith("[nvim] RESULT ")]
    assert len(records) == 1, transcript
    result: dict[str, object] = json.loads(records[0].removeprefix("[nvim] RESULT "))
    return result, transcript


def fix_and_check(nvim: Path, case: Case, tmp_path: Path) -> dict[str, object]:
    crate = copy_fixture(case.kind, case.crate, tmp_path)
    assert cargo_check(crate).returncode != 0, "the fixture must start broken"
    result, transcript = run_neovim(nvim, case, crate)
    assert case.expect in (crate / "src" / "lib.rs").read_text(), transcript
    check = cargo_check(crate)
    assert check.returncode == 0, f"cargo check still fails:\n{check.stderr}\n{transcript}"
    return result


def test_rustc_fix_preferred_action(nvim: Path, tmp_path: Path) -> None:
    """The preferred quick fix (rustc's MachineApplicable `&`), as the `gra` mapping asks."""
    case = Case("crates", "fix_borrow", "E0308", "preferred", "shout(&name)")
    result = fix_and_check(nvim, case, tmp_path)
    assert "&" in str(result["title"])  # rustc's `&`, or a recipe with the same edit
    # Neovim advertises resolveSupport, so the server sends the edit lazily.
    assert result["lazy"] is True
    assert isinstance(result["resolves"], int) and result["resolves"] >= 1


def test_knowledge_base_recipe_through_resolve(nvim: Path, tmp_path: Path) -> None:
    """A knowledge-base recipe (Option::take for E0507), its edit from codeAction/resolve."""
    case = Case(
        "recipes",
        "b_option_take",
        "E0507",
        "Take the value out of `self.pending`",
        "let value = self.pending.take()?;",
    )
    result = fix_and_check(nvim, case, tmp_path)
    assert result["lazy"] is True
    assert isinstance(result["resolves"], int) and result["resolves"] >= 1
    # rustc's own (clone) suggestions are offered beside the recipe.
    offered = [str(t) for t in result["offered"]]  # type: ignore[attr-defined]
    assert any("clone" in t for t in offered), offered


def test_fix_all_user_command(nvim: Path, tmp_path: Path) -> None:
    """:RustcoderFixAll from plugin/rustcoder.lua runs rustcoder.fixAllInFile."""
    case = Case("crates", "fix_typo", "E0425", ":RustcoderFixAll", "running_total\n")
    fix_and_check(nvim, case, tmp_path)


def test_older_neovim_setup_with_lsp_start(nvim: Path, tmp_path: Path) -> None:
    """The README's vim.lsp.start snippet (for Neovim 0.8-0.10) works as well."""
    case = Case(
        "recipes", "b_mut_self", "E0596", "&mut self", "pub fn record(&mut self", lsp_start=True
    )
    result = fix_and_check(nvim, case, tmp_path)
    assert "&mut self" in str(result["title"])


def test_quickfix_only_request(nvim: Path, tmp_path: Path) -> None:
    """`vim.lsp.buf.code_action({context = {only = {'quickfix'}}})`, a common mapping."""
    case = Case("crates", "fix_borrow", "E0308", "preferred", "shout(&name)", only="quickfix")
    fix_and_check(nvim, case, tmp_path)


def test_generate_crate_user_command(nvim: Path, tmp_path: Path) -> None:
    """:RustcoderGenerate: the description and the folder typed at the prompt reach the
    server, whose crate (from a scripted model on 127.0.0.1) Neovim creates and writes."""
    from tests.generate.conftest import BROKEN_CRATE, DESCRIPTION
    from tests.models.openai_server import FakeOpenAI

    crate = copy_fixture("crates", "clean", tmp_path)
    target = tmp_path / "greeter"
    with FakeOpenAI() as fake:
        fake.script(BROKEN_CRATE)
        env = {
            **isolated_env(tmp_path),
            "RC_RTP": str(REPO / "editors" / "nvim"),
            "RC_CMD": json.dumps(server_command()),
            "RC_FILE": str(crate / "src" / "lib.rs"),
            "RC_ENDPOINT": fake.url,
            "RC_DESCRIPTION": DESCRIPTION,
            "RC_TARGET": str(target),
            "RC_TIMEOUT": str(STEP_TIMEOUT_S),
        }
        proc = subprocess.run(
            [str(nvim), "--headless", "--clean", "-l", str(DRIVER.with_name("nvim_generate.lua"))],
            env=env,
            capture_output=True,
            text=True,
            timeout=STEP_TIMEOUT_S * 4,
            stdin=subprocess.DEVNULL,
        )
    transcript = proc.stdout + proc.stderr
    print(f"--- Neovim transcript (generate) ---\n{transcript}")
    assert proc.returncode == 0, transcript
    assert "created src/main.rs" in transcript
    # The server's compile-and-fix loop fixed the model's use-after-move before creating.
    assert "let kept = names;" not in (target / "src" / "main.rs").read_text()
    check = cargo_check(target)
    assert check.returncode == 0, f"{check.stderr}\n{transcript}"
