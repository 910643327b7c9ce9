"""The VS Code extension's manifest agrees with the server it starts.

The extension passes every `rustcoder.*` setting except its own `server.*` and
`trace.*` to the server, which warns about keys it does not know; and
vscode-languageclient registers each server command as a VS Code command, so an
extension command with the same id would fail to register.
"""

from __future__ import annotations

import json
import re
import typing
from pathlib import Path
from typing import Any

import pytest

from rustcoder.config import Settings, settings_to_wire, to_snake
from rustcoder.lsp.server import create_server

MANIFEST = Path(__file__).resolve().parents[2] / "vscode-client" / "package.json"
CLIENT_ONLY = ("server", "trace")


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(MANIFEST.read_text())
    return data


def _flatten(wire: dict[str, Any]) -> dict[str, Any]:
    return {
        f"{section}.{key}": value for section, keys in wire.items() for key, value in keys.items()
    }


def _properties(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    props: dict[str, dict[str, Any]] = manifest["contributes"]["configuration"]["properties"]
    return {key.removeprefix("rustcoder."): value for key, value in props.items()}


def test_every_server_setting_is_exposed_with_its_default(manifest: dict[str, Any]) -> None:
    props = _properties(manifest)
    server = _flatten(settings_to_wire(Settings()))
    missing = sorted(set(server) - set(props))
    assert not missing, f"server settings missing from package.json: {missing}"
    for key, default in server.items():
        assert props[key]["default"] == default, key
        assert props[key].get("description") or props[key].get("markdownDescription"), key


def test_extension_sends_no_setting_the_server_does_not_know(manifest: dict[str, Any]) -> None:
    server = set(_flatten(settings_to_wire(Settings())))
    sent = {key for key in _properties(manifest) if key.split(".")[0] not in CLIENT_ONLY}
    assert sent - server == set()


def test_setting_types_match(manifest: dict[str, Any]) -> None:
    json_types = {bool: "boolean", int: "integer", float: "number", str: "string"}
    props = _properties(manifest)
    for section_name, section_type in typing.get_type_hints(Settings).items():
        for name, hint in typing.get_type_hints(section_type).items():
            key = next(
                k
                for k in props
                if k.startswith(f"{section_name}.") and to_snake(k.split(".", 1)[1]) == name
            )
            schema = props[key]
            origin = typing.get_origin(hint)
            if origin is typing.Literal:
                assert schema["type"] == "string" and schema["enum"] == list(
                    typing.get_args(hint)
                ), key
            elif origin is list:
                assert schema["type"] == "array", key
            elif origin is dict:
                assert schema["type"] == "object", key
            else:
                assert schema["type"] == json_types[hint], key


def test_command_ids_do_not_collide_with_server_commands(manifest: dict[str, Any]) -> None:
    server_commands = set(create_server().protocol.fm.commands)
    assert "rustcoder.fixAllInFile" in server_commands
    contributed = {c["command"] for c in manifest["contributes"]["commands"]}
    assert contributed & server_commands == set()
    titles = {c["title"] for c in manifest["contributes"]["commands"]}
    for title in (
        "Generate Crate from Description",
        "Fix All Verified Errors",
        "Explain Error",
        "Search Knowledge Base",
        "Pull Model",
        "Restart Server",
        "Show Output",
    ):
        assert title in titles


def test_clients_call_only_commands_the_server_has() -> None:
    """The server commands the extension and the Neovim plugin execute exist on the server."""
    server_commands = set(create_server().protocol.fm.commands)
    root = MANIFEST.parent.parent
    extension = (root / "vscode-client" / "src" / "extension.ts").read_text()
    plugin = (root / "editors" / "nvim" / "plugin" / "rustcoder.lua").read_text()
    from_extension = set(re.findall(r'executeOnServer\(\s*"(rustcoder\.\w+)"', extension))
    from_plugin = set(re.findall(r"execute\(client, bufnr, '(rustcoder\.\w+)'", plugin))
    expected = {"rustcoder.fixAllInFile", "rustcoder.generateCrate", "rustcoder.explainError"}
    assert from_extension == expected
    assert from_plugin == expected
    assert expected <= server_commands, expected - server_commands
