"""`rustcoder doctor`: what this machine gives rustcoder, and what is missing.

One place a user (or an operator about to expose `rustcoder api`) sees the
isolation outside code gets, the toolchain, the knowledge base and the
code models, each with the command that fixes what is wrong. Exit status
1 when something needed for the basics (cargo) is missing.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
from dataclasses import dataclass
from typing import Any


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    #: Needed for the basics (checks and fixes); the others only limit features.
    essential: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "detail": self.detail}


def _version(argv: list[str]) -> str | None:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def check_isolation() -> Check:
    from rustcoder.sandbox.policy import health

    found = health()
    if found["sandbox"] == "none":
        detail = (
            f"none: {found['detail']}; `rustcoder api`/`mcp` refuse to start without "
            "--unsafe-no-sandbox, `generate` warns"
        )
        return Check("isolation", False, detail)
    return Check("isolation", True, f"{found['detail']}; limits: {found['limits']}")


def check_cargo() -> Check:
    if shutil.which("cargo") is None:
        return Check(
            "cargo", False, "not on PATH; install Rust with rustup (https://rustup.rs)", True
        )
    cargo = _version(["cargo", "--version"]) or "cargo (version unknown)"
    rustc = _version(["rustc", "--version"]) or "rustc not found"
    return Check("cargo", True, f"{cargo}; {rustc}", True)


def check_kb() -> Check:
    from rustcoder.config import Settings
    from rustcoder.kb import locate
    from rustcoder.runtime import Runtime

    runtime = Runtime.open(Settings(), learn=False)  # the KB as every front end opens it
    kb = runtime.kb
    assert kb is not None
    try:
        if kb.base is None:
            return Check("knowledge base", False, "; ".join(kb.problems))
        note = f" ({'; '.join(kb.problems)})" if kb.problems else ""
        return Check("knowledge base", True, f"{locate.base_path()}{note}")
    finally:
        runtime.close()


def check_models() -> Check:
    from rustcoder.models import hub
    from rustcoder.models.registry import load_registry

    pulled = []
    for name, spec in load_registry().items():
        try:
            if any(hub.variant_cached(spec, v) is not None for v in spec.variants):
                pulled.append(name)
        except Exception:  # a damaged cache folder is reported by `model info`
            continue
    from rustcoder.models.gguf_import import imported_models

    pulled += [m["name"] for m in imported_models()]
    if pulled:
        return Check("code model", True, "local: " + ", ".join(sorted(pulled)))
    return Check(
        "code model",
        False,
        "no local model pulled (`rustcoder model list`, `rustcoder model pull NAME`); "
        "or pass --endpoint URL of an OpenAI-compatible server",
    )


def check_model_runtime() -> Check:
    """Which onnxruntime package and execution provider run local models."""
    from rustcoder.models.provider import provider_line, provider_report

    report = provider_report()
    return Check("model runtime", report.problem is None, provider_line(report))


def run(args: argparse.Namespace) -> int:
    checks = [
        check_isolation(),
        check_cargo(),
        check_kb(),
        check_models(),
        check_model_runtime(),
    ]
    if args.json:
        print(json.dumps({"checks": [c.to_json() for c in checks]}, indent=2))
    else:
        for check in checks:
            print(f"{'ok  ' if check.ok else 'FAIL'} {check.name}: {check.detail}")
    return 1 if any(c.essential and not c.ok for c in checks) else 0


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "doctor", help="report the sandbox, toolchain, knowledge base and models in use"
    )
    parser.add_argument("--json", action="store_true", help="print a JSON report")
    parser.set_defaults(handler=run)
