"""Settings from the wire: camelCase, forgiving of bad input, never raising."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from rustcoder.config import (
    CheckSettings,
    DiagnosticsSettings,
    FixOptions,
    KbSettings,
    Settings,
    parse_settings,
    settings_to_wire,
    to_camel,
    to_snake,
)


def test_empty_and_missing_give_defaults() -> None:
    raws: list[dict[str, Any] | None] = [None, {}, {"rustcoder": {}}]
    for raw in raws:
        settings, problems = parse_settings(raw)
        assert settings == Settings()
        assert problems == []


def test_camel_case_keys_in_nested_sections() -> None:
    settings, problems = parse_settings(
        {
            "check": {
                "command": "clippy",
                "cargoPath": "/opt/cargo/bin/cargo",
                "extraArgs": ["--locked"],
                "features": ["serde"],
                "allFeatures": True,
                "noDefaultFeatures": True,
                "allTargets": False,
                "targetDir": "target/other",
                "onOpen": False,
                "onSave": False,
                "debounceMs": 40,
                "timeoutSeconds": 12.5,
                "extraEnv": {"RUSTFLAGS": "-Dwarnings"},
            },
            "diagnostics": {"enable": False, "hintsForChildren": False},
            "fix": {
                "verify": False,
                "backgroundVerify": False,
                "maxActions": 9,
                "timeoutSeconds": 30,
            },
            "kb": {"path": "/data/kb.sqlite"},
        }
    )
    assert problems == []
    assert settings == Settings(
        check=CheckSettings(
            command="clippy",
            cargo_path="/opt/cargo/bin/cargo",
            extra_args=["--locked"],
            features=["serde"],
            all_features=True,
            no_default_features=True,
            all_targets=False,
            target_dir="target/other",
            on_open=False,
            on_save=False,
            debounce_ms=40,
            timeout_seconds=12.5,
            extra_env={"RUSTFLAGS": "-Dwarnings"},
        ),
        diagnostics=DiagnosticsSettings(enable=False, hints_for_children=False),
        fix=FixOptions(verify=False, background_verify=False, max_actions=9, timeout_seconds=30.0),
        kb=KbSettings(path="/data/kb.sqlite"),
    )
    assert isinstance(settings.fix.timeout_seconds, float)


def test_snake_case_keys_are_accepted_too() -> None:
    settings, problems = parse_settings({"check": {"cargo_path": "cargo-nightly"}})
    assert problems == []
    assert settings.check.cargo_path == "cargo-nightly"


def test_partial_section_keeps_other_defaults() -> None:
    settings, problems = parse_settings({"fix": {"maxActions": 2}})
    assert problems == []
    assert settings.fix == FixOptions(max_actions=2)
    assert settings.check == CheckSettings()
    assert settings.diagnostics == DiagnosticsSettings()


def test_rustcoder_wrapper_is_unwrapped() -> None:
    inner = {"check": {"debounceMs": 5}, "kb": {"path": "x.sqlite"}}
    wrapped, wrapped_problems = parse_settings({"rustcoder": inner})
    plain, plain_problems = parse_settings(inner)
    assert wrapped == plain
    assert wrapped.check.debounce_ms == 5
    assert wrapped_problems == plain_problems == []


def test_unknown_keys_are_warned_and_ignored() -> None:
    settings, problems = parse_settings(
        {"check": {"cargoPath": "c", "colour": "never"}, "telemetry": True}
    )
    assert settings.check.cargo_path == "c"
    assert problems == [
        "unknown setting 'check.colour' ignored",
        "unknown setting 'telemetry' ignored",
    ]


@pytest.mark.parametrize(
    ("section", "key", "value", "expected"),
    [
        ("check", "debounceMs", "fast", "an integer"),
        ("check", "debounceMs", True, "an integer"),
        ("check", "debounceMs", 1.5, "an integer"),
        ("check", "timeoutSeconds", "10", "a number"),
        ("check", "allTargets", "yes", "true or false"),
        ("check", "allTargets", 1, "true or false"),
        ("check", "cargoPath", 42, "a string"),
        ("check", "extraArgs", "--locked", "a list of"),
        ("check", "extraArgs", ["--locked", 3], "a list of"),
        ("check", "extraEnv", ["A=1"], "an object"),
        ("check", "extraEnv", {"A": 1}, "an object"),
        ("fix", "maxActions", None, "an integer"),
        ("kb", "path", ["a"], "a string"),
    ],
)
def test_wrong_type_gives_clear_message_and_default(
    section: str, key: str, value: Any, expected: str
) -> None:
    raw = {section: {key: value, "onSave": False} if section == "check" else {key: value}}
    settings, problems = parse_settings(raw)
    assert len(problems) == 1, problems
    (problem,) = problems
    assert f"'{section}.{key}'" in problem
    assert repr(value) in problem
    assert expected in problem
    assert problem.endswith("using the default")
    defaults = settings_to_wire(Settings())
    assert settings_to_wire(settings)[section][key] == defaults[section][key]
    if section == "check":
        assert settings.check.on_save is False  # the good field next to it still applies


def test_literal_values() -> None:
    for command in ("check", "clippy"):
        settings, problems = parse_settings({"check": {"command": command}})
        assert problems == []
        assert settings.check.command == command
    settings, problems = parse_settings({"check": {"command": "build"}})
    assert settings.check.command == "check"
    assert problems == [
        "setting 'check.command' has an invalid value 'build' "
        "(expected 'check' or 'clippy'); using the default"
    ]


def test_integral_float_is_an_int() -> None:
    settings, problems = parse_settings({"check": {"debounceMs": 300.0}})
    assert problems == []
    assert settings.check.debounce_ms == 300
    assert isinstance(settings.check.debounce_ms, int)


@pytest.mark.parametrize("bad", [3, "on", ["check"], True])
def test_section_that_is_not_an_object(bad: Any) -> None:
    settings, problems = parse_settings({"check": bad, "fix": {"maxActions": 1}})
    assert settings.check == CheckSettings()
    assert settings.fix.max_actions == 1
    assert problems == ["setting 'check' must be an object; using defaults"]


@pytest.mark.parametrize("bad", [[1, 2], "settings", 7])
def test_top_level_that_is_not_an_object(bad: Any) -> None:
    settings, problems = parse_settings(bad)
    assert settings == Settings()
    assert problems == ["setting 'rustcoder' must be an object; using defaults"]


def test_several_problems_are_all_reported() -> None:
    settings, problems = parse_settings(
        {"rustcoder": {"check": {"debounceMs": "x", "nope": 1}, "fix": {"verify": "no"}}}
    )
    assert settings == Settings()
    assert len(problems) == 3
    assert any("'check.debounceMs'" in p for p in problems)
    assert any(p == "unknown setting 'check.nope' ignored" for p in problems)
    assert any("'fix.verify'" in p and "true or false" in p for p in problems)


def test_parsed_values_are_not_shared_with_the_input() -> None:
    raw = {"check": {"extraArgs": ["--a"]}}
    settings, _ = parse_settings(raw)
    raw["check"]["extraArgs"].append("--b")
    assert settings.check.extra_args == ["--a"]
    # Defaults are per instance, not shared between parses.
    first, _ = parse_settings(None)
    first.check.features.append("x")
    second, _ = parse_settings(None)
    assert second.check.features == []


def test_settings_to_wire_is_camel_case() -> None:
    wire = settings_to_wire(Settings())
    assert set(wire) == {"check", "diagnostics", "fix", "kb", "model"}
    assert wire["check"]["cargoPath"] == "cargo"
    assert wire["check"]["debounceMs"] == 150
    assert wire["diagnostics"]["hintsForChildren"] is True
    assert wire["fix"]["backgroundVerify"] is True
    for section in wire.values():
        for key in section:
            assert "_" not in key


def test_settings_to_wire_round_trip() -> None:
    custom = Settings(
        check=CheckSettings(
            command="clippy",
            extra_args=["--locked", "--frozen"],
            extra_env={"CARGO_HOME": "/tmp/ch"},
            debounce_ms=0,
            timeout_seconds=1.5,
        ),
        diagnostics=DiagnosticsSettings(hints_for_children=False),
        fix=FixOptions(max_actions=1, verify=False),
        kb=KbSettings(path="kb.sqlite"),
    )
    for settings in (Settings(), custom):
        wire = settings_to_wire(settings)
        parsed, problems = parse_settings(wire)
        assert problems == []
        assert parsed == settings
        assert settings_to_wire(parsed) == wire
        wrapped, problems = parse_settings({"rustcoder": wire})
        assert problems == [] and wrapped == settings


def test_every_field_has_a_wire_name_that_parses() -> None:
    """Each field, set alone through its camelCase name, parses without a problem."""
    wire = settings_to_wire(Settings())
    for section in dataclasses.fields(Settings):
        for f in dataclasses.fields(getattr(Settings(), section.name)):
            key = to_camel(f.name)
            assert to_snake(key) == f.name
            _, problems = parse_settings({section.name: {key: wire[section.name][key]}})
            assert problems == [], (section.name, key)


def test_camel_snake_helpers() -> None:
    assert to_camel("no_default_features") == "noDefaultFeatures"
    assert to_camel("path") == "path"
    assert to_snake("noDefaultFeatures") == "no_default_features"
    assert to_snake("kb") == "kb"
