"""How a shadow copy's cargo runs, so that it builds exactly what the user's cargo builds.

cargo finds its configuration (`.cargo/config.toml` in the directory it starts
in and every ancestor, then `$CARGO_HOME`'s) from its working directory, not
from `--manifest-path`; rustup picks the toolchain (`rust-toolchain(.toml)`
there or above, `rustup override`) the same way and hands its choice to the
rustc that cargo starts. So the copy's cargo starts in the *real* workspace
root with `--manifest-path` pointing into the copy. Then:

- every config file the user's build reads is read, by cargo's own discovery,
  and relative paths in them mean what they mean for the real crate;
- precedence is cargo's own: `CARGO_*` variables and `RUSTFLAGS` beat config
  files (a `--config FILE` argument would beat the environment instead);
- the environment is inherited unchanged, as the flycheck's is.

Where the copy builds is decided here and nowhere else: `--target-dir` beats
`CARGO_TARGET_DIR` and `build.target-dir`, and a command-line
`build.build-dir` beats `CARGO_BUILD_BUILD_DIR` and the config's. The copy
never builds into, locks or races the user's target or build directory: its
own crate has the same unit hashes as the real one (cargo hashes a member's
path relative to the workspace root), so sharing a directory would make the
two overwrite each other's artefacts.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from rustcoder.config import CheckSettings


def shadow_check_settings(
    settings: CheckSettings, target_dir: Path, timeout_seconds: float
) -> CheckSettings:
    """The user's check settings, building into the slot's own directory."""
    build_dir = json.dumps(str(target_dir), ensure_ascii=False)  # a TOML basic string
    return dataclasses.replace(
        settings,
        target_dir=str(target_dir),
        timeout_seconds=timeout_seconds,
        # Last, so it also beats a build dir in the settings' own extra arguments.
        extra_args=[*settings.extra_args, "--config", f"build.build-dir={build_dir}"],
    )
