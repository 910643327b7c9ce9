"""The model registry: which local models exist, where their files are, how to prompt them.

The data is `registry.toml` next to this module (readable, editable); users add
entries with a TOML file named by RUSTCODER_MODELS_TOML.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rustcoder.models.backend import ModelError
from rustcoder.models.chat_format import FORMATS

REGISTRY_FILE = Path(__file__).with_name("registry.toml")
USER_REGISTRY_ENV = "RUSTCODER_MODELS_TOML"
PROMPT_STYLES = ("chat", "chat-no-system", "completion")
#: Graph inputs besides the KV cache a registry entry may declare (`inputs`).
LAYOUT_INPUTS = ("input_ids", "attention_mask", "position_ids")
DEVICES = ("cpu", "cuda", "any")


@dataclass(frozen=True)
class Variant:
    name: str
    model_file: str
    files: tuple[str, ...]
    device: str


@dataclass(frozen=True)
class ModelSpec:
    name: str
    description: str
    repo: str
    revision: str
    chat_format: str
    prompt_style: str
    context_length: int
    stop: tuple[str, ...]
    tokenizer: str
    extra_files: tuple[str, ...]
    device: str
    verified: bool
    variants: tuple[Variant, ...]
    #: The graph's inputs besides the KV cache, as declared (checked when loaded);
    #: None when the entry does not say.
    inputs: tuple[str, ...] | None = None
    #: The position of the first token (Gemma 3 counts from 1, most models from 0).
    position_offset: int = 0
    #: Why the model cannot be pulled (no such export found), or "" when it can.
    unavailable: str = ""

    def variant(self, name: str) -> Variant:
        for v in self.variants:
            if v.name == name:
                return v
        known = ", ".join(v.name for v in self.variants)
        raise ModelError(f"model {self.name} has no variant {name!r} (variants: {known})")

    def default_variant(self, provider_device: str) -> Variant:
        """The first variant made for this machine's device ("cpu" or "cuda")."""
        for v in self.variants:
            if v.device in (provider_device, "any"):
                return v
        return self.variants[0]

    def patterns(self, variant: Variant) -> list[str]:
        """What `pull` downloads for one variant."""
        return [*variant.files, self.tokenizer, *self.extra_files]


def _str(entry: dict[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = entry.get(key, default)
    if not isinstance(value, str) or not value:
        raise ModelError(f"{where}: '{key}' must be a non-empty string")
    return value


def _strs(entry: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ModelError(f"{where}: '{key}' must be a list of strings")
    return tuple(value)


def _choice(value: str, choices: tuple[str, ...] | list[str], key: str, where: str) -> str:
    if value not in choices:
        raise ModelError(f"{where}: '{key}' is {value!r}, expected one of {', '.join(choices)}")
    return value


def parse_spec(name: str, entry: Any, source: str) -> ModelSpec:
    """One [models.NAME] table, checked so a typo is reported where it is."""
    where = f"{source}: model {name!r}"
    if not isinstance(entry, dict):
        raise ModelError(f"{where}: must be a table")
    raw_variants = entry.get("variants")
    if not isinstance(raw_variants, dict) or not raw_variants:
        raise ModelError(f"{where}: needs at least one [variants.NAME] table")
    variants = []
    for vname, v in raw_variants.items():
        vwhere = f"{where}, variant {vname!r}"
        if not isinstance(v, dict):
            raise ModelError(f"{vwhere}: must be a table")
        model_file = _str(v, "model_file", vwhere)
        files = _strs(v, "files", vwhere) or (model_file,)
        device = _choice(_str(v, "device", vwhere, "any"), DEVICES, "device", vwhere)
        variants.append(Variant(vname, model_file, files, device))
    inputs = _strs(entry, "inputs", where) if "inputs" in entry else None
    for input_name in inputs or ():
        _choice(input_name, LAYOUT_INPUTS, "inputs", where)
    if inputs is not None and "input_ids" not in inputs:
        raise ModelError(f"{where}: 'inputs' must hold input_ids")
    offset = entry.get("position_offset", 0)
    if not isinstance(offset, int) or offset < 0:
        raise ModelError(f"{where}: 'position_offset' must be an integer >= 0")
    context = entry.get("context_length", 4096)
    if not isinstance(context, int) or context < 32:
        raise ModelError(f"{where}: 'context_length' must be an integer >= 32")
    return ModelSpec(
        name=name,
        description=str(entry.get("description", "")),
        repo=_str(entry, "repo", where),
        revision=_str(entry, "revision", where, "main"),
        chat_format=_choice(
            _str(entry, "chat_format", where), sorted(FORMATS), "chat_format", where
        ),
        prompt_style=_choice(
            _str(entry, "prompt_style", where, "chat"), PROMPT_STYLES, "prompt_style", where
        ),
        context_length=context,
        stop=_strs(entry, "stop", where),
        tokenizer=_str(entry, "tokenizer", where, "tokenizer.json"),
        extra_files=_strs(entry, "extra_files", where),
        device=_choice(_str(entry, "device", where, "cpu"), DEVICES, "device", where),
        verified=bool(entry.get("verified", False)),
        variants=tuple(variants),
        inputs=inputs,
        position_offset=offset,
        unavailable=str(entry.get("unavailable", "")),
    )


def _load_file(path: Path) -> dict[str, ModelSpec]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ModelError(f"cannot read model registry {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ModelError(f"model registry {path} is not valid TOML: {exc}") from exc
    models = data.get("models", {})
    if not isinstance(models, dict):
        raise ModelError(f"{path}: [models] must be a table")
    return {name: parse_spec(name, entry, str(path)) for name, entry in models.items()}


def load_registry() -> dict[str, ModelSpec]:
    """The shipped models plus the user's (RUSTCODER_MODELS_TOML), the user's winning."""
    specs = _load_file(REGISTRY_FILE)
    user = os.environ.get(USER_REGISTRY_ENV, "").strip()
    if user:
        specs.update(_load_file(Path(user).expanduser()))
    return specs


def split_name(name: str) -> tuple[str, str | None]:
    """ "NAME:VARIANT" → (NAME, VARIANT); "NAME" → (NAME, None)."""
    base, sep, variant = name.partition(":")
    return base, (variant if sep and variant else None)


def get_spec(name: str) -> ModelSpec:
    specs = load_registry()
    base, _ = split_name(name)
    if base not in specs:
        known = ", ".join(sorted(specs))
        raise ModelError(
            f"unknown model {base!r}; known models: {known} (see `rustcoder model list`)"
        )
    return specs[base]
