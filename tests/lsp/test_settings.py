"""Settings from initializationOptions and didChangeConfiguration."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from tests.lsp.helpers import copy_crate, open_file, save_file, wait_for_diagnostics, wait_until


@pytest.mark.init_options(
    {"check": {"targetDir": "target/custom", "debounceMs": "soon"}, "bogus": 1}
)
async def test_init_options_applied_and_problems_reported(
    client: LanguageClient, workspace_dir: Path
) -> None:
    await wait_until(lambda: len(client.messages) >= 2, "two settings warnings")
    texts = [m.message for m in client.messages]
    assert any("unknown setting 'bogus'" in t for t in texts)
    assert any("'check.debounceMs' has an invalid value 'soon'" in t for t in texts)
    assert all(m.type == lsp.MessageType.Warning for m in client.messages)
    crate = copy_crate("fix_typo", workspace_dir)
    uri = open_file(client, crate / "src" / "lib.rs")
    await wait_for_diagnostics(client, uri, bool, "diagnostics")
    assert (crate / "target" / "custom").is_dir()
    assert not (crate / "target" / "rustcoder").exists()


async def test_did_change_configuration_disables_diagnostics(
    client: LanguageClient, workspace_dir: Path
) -> None:
    crate = copy_crate("fix_typo", workspace_dir)
    lib = crate / "src" / "lib.rs"
    uri = open_file(client, lib)
    await wait_for_diagnostics(client, uri, bool, "diagnostics")
    client.workspace_did_change_configuration(
        lsp.DidChangeConfigurationParams(settings={"rustcoder": {"diagnostics": {"enable": False}}})
    )
    await wait_for_diagnostics(client, uri, lambda d: d == [], "diagnostics to be withdrawn")
    client.workspace_did_change_configuration(
        lsp.DidChangeConfigurationParams(settings={"rustcoder": {"diagnostics": {"enable": True}}})
    )
    save_file(client, lib, lib.read_text(), version=2)
    await wait_for_diagnostics(client, uri, bool, "diagnostics to come back")
