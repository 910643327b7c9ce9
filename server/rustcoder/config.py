"""Settings as cattrs-structured dataclasses, camelCase on the wire.

Editors send settings as JSON (initializationOptions and
workspace/didChangeConfiguration). A bad value must never stop the server, so
structuring is field by field: an unknown key produces a warning, a value of the
wrong type produces a clear message and that field keeps its default.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from dataclasses import dataclass, field
from typing import Any, Literal

import cattrs

CheckCommand = Literal["check", "clippy"]


@dataclass
class CheckSettings:
    """How the server's own `cargo check` is run."""

    #: Cargo subcommand: `check` or `clippy`.
    command: CheckCommand = "check"
    #: The cargo executable (name on PATH or absolute path).
    cargo_path: str = "cargo"
    #: Extra arguments appended to the cargo command line.
    extra_args: list[str] = field(default_factory=list)
    #: Features to enable (`--features`).
    features: list[str] = field(default_factory=list)
    all_features: bool = False
    no_default_features: bool = False
    #: Check tests, examples and benches too (`--all-targets`).
    all_targets: bool = True
    #: Target dir, relative to the workspace root; separate from
    #: rust-analyzer's so the two never wait on each other's lock.
    target_dir: str = "target/rustcoder"
    on_open: bool = True
    on_save: bool = True
    #: Quiet period after a save before a check starts.
    debounce_ms: int = 150
    #: A check that runs longer is killed.
    timeout_seconds: float = 300.0
    #: Extra environment for cargo.
    extra_env: dict[str, str] = field(default_factory=dict)


@dataclass
class DiagnosticsSettings:
    enable: bool = True
    #: Emit Hint diagnostics at the spans of child notes (as rust-analyzer does).
    hints_for_children: bool = True


@dataclass
class FixOptions:
    #: Compile candidate fixes in a shadow copy before offering them.
    verify: bool = True
    #: Verify the top candidates after each check, so titles can say "✓ compiles".
    background_verify: bool = True
    #: Quick fixes offered per diagnostic at most.
    max_actions: int = 5
    #: A verification check that runs longer is abandoned.
    timeout_seconds: float = 120.0
    #: Fix rounds ("Fix all", `rustcoder fix`) start no new work after this long.
    run_budget_seconds: float = 300.0
    #: Fix rounds spend at most this long on one error, over all rounds.
    error_budget_seconds: float = 60.0
    #: Independent fixes verified together in one build (1: one at a time).
    batch_size: int = 8


@dataclass
class KbSettings:
    #: Path of the knowledge base; empty means the one shipped with the server.
    path: str = ""
    #: URL of a team's shared base on PostgreSQL with pgvector
    #: (`postgresql://user@host:5432/db`); empty: `$RUSTCODER_KB_SHARED`, else none.
    shared: str = ""


@dataclass
class ModelSettings:
    """The code model behind "Fix with <model>": a local model or an OpenAI-compatible endpoint."""

    #: Offer model-backed fixes at all (only when `name` or `endpoint` is set).
    enable: bool = True
    #: A local model of the registry, or the model name sent to `endpoint`.
    name: str = ""
    #: Base URL of an OpenAI-compatible server, e.g. `http://127.0.0.1:11434/v1`.
    endpoint: str = ""
    #: API key for the endpoint; empty: `RUSTCODER_API_KEY` or `OPENAI_API_KEY`.
    api_key: str = ""
    #: A generation that runs longer is stopped.
    timeout_seconds: float = 60.0
    max_tokens: int = 1024
    temperature: float = 0.0


@dataclass
class Settings:
    check: CheckSettings = field(default_factory=CheckSettings)
    diagnostics: DiagnosticsSettings = field(default_factory=DiagnosticsSettings)
    fix: FixOptions = field(default_factory=FixOptions)
    kb: KbSettings = field(default_factory=KbSettings)
    model: ModelSettings = field(default_factory=ModelSettings)


def to_camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def to_snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


_converter = cattrs.Converter(forbid_extra_keys=True)


def _structure_section(cls: type[Any], raw: Any, prefix: str, problems: list[str]) -> Any:
    """Build one dataclass from `raw`, keeping defaults for bad fields."""
    instance = cls()
    if raw is None:
        return instance
    if not isinstance(raw, dict):
        problems.append(f"setting '{prefix or 'rustcoder'}' must be an object; using defaults")
        return instance
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    for key, value in raw.items():
        name = to_snake(key) if key not in fields else key
        wire = f"{prefix}.{key}" if prefix else key
        if name not in fields:
            problems.append(f"unknown setting '{wire}' ignored")
            continue
        hint = hints[name]
        if dataclasses.is_dataclass(hint):
            setattr(instance, name, _structure_section(hint, value, wire, problems))  # type: ignore[arg-type]
            continue
        try:
            setattr(instance, name, _structure_value(hint, value))
        except (cattrs.BaseValidationError, TypeError, ValueError):
            problems.append(
                f"setting '{wire}' has an invalid value {value!r} "
                f"(expected {_describe(hint)}); using the default"
            )
    return instance


def _structure_value(hint: Any, value: Any) -> Any:
    """Structure strictly: cattrs would turn 1 into "1" or "yes" into True."""
    origin = typing.get_origin(hint)
    if hint is bool and not isinstance(value, bool):
        raise TypeError("not a bool")
    if hint in (int, float) and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise TypeError("not a number")
    if hint is int and isinstance(value, float) and not value.is_integer():
        raise TypeError("not an integer")
    if hint is str and not isinstance(value, str):
        raise TypeError("not a string")
    if origin is list:
        (item,) = typing.get_args(hint)
        if not isinstance(value, list):
            raise TypeError("not a list")
        return [_structure_value(item, v) for v in value]
    if origin is dict:
        key_t, val_t = typing.get_args(hint)
        if not isinstance(value, dict):
            raise TypeError("not an object")
        return {_structure_value(key_t, k): _structure_value(val_t, v) for k, v in value.items()}
    if origin is Literal:
        if value not in typing.get_args(hint):
            raise ValueError("not an allowed value")
        return value
    return _converter.structure(value, hint)


def _describe(hint: Any) -> str:
    if typing.get_origin(hint) is Literal:
        return " or ".join(repr(v) for v in typing.get_args(hint))
    if typing.get_origin(hint) is list:
        item = _describe(typing.get_args(hint)[0]).removeprefix("a ").removeprefix("an ")
        return f"a list of {item}s"
    if typing.get_origin(hint) is dict:
        return "an object of strings"
    return {bool: "true or false", int: "an integer", float: "a number", str: "a string"}.get(
        hint, str(hint)
    )


def parse_settings(raw: Any) -> tuple[Settings, list[str]]:
    """Structure settings from the wire; returns the settings and the problems found.

    Accepts either the settings object itself or one wrapped in a
    `{"rustcoder": {...}}` section, as editors send both.
    """
    problems: list[str] = []
    # A client may send every server's settings together; ours are under "rustcoder".
    if isinstance(raw, dict) and isinstance(raw.get("rustcoder"), dict):
        raw = raw["rustcoder"]
    settings = _structure_section(Settings, raw, "", problems)
    return settings, problems


def settings_to_wire(settings: Settings) -> dict[str, Any]:
    """The camelCase JSON form (used by docs and tests)."""

    def convert(obj: Any) -> Any:
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            return {
                to_camel(f.name): convert(getattr(obj, f.name)) for f in dataclasses.fields(obj)
            }
        if isinstance(obj, list):
            return [convert(v) for v in obj]
        if isinstance(obj, dict):
            return {k: convert(v) for k, v in obj.items()}
        return obj

    result: dict[str, Any] = convert(settings)
    return result
