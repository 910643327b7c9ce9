"""The fix engine: gather candidates, rank them, verify them in shadow copies.

One engine serves one workspace. Its base state is the workspace on disk plus
`overlays` (texts of files changed by fixes the CLI has already accepted in
earlier rounds); the user's files are never written here.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from rustcoder.cargo.flycheck import CheckOutcome, run_check, target_dir_for
from rustcoder.cargo.messages import RustDiagnostic
from rustcoder.cargo.workspace import CargoWorkspace
from rustcoder.config import CheckSettings
from rustcoder.fix.candidate import SOURCE_RANK, Candidate, CandidateSource, FixContext
from rustcoder.fix.compare import Comparison, ErrorKey, ErrorSet, compare_batch, error_key
from rustcoder.fix.edits import EditConflictError
from rustcoder.fix.rustc_source import RustcSource
from rustcoder.fix.shadow import (
    ReadText,
    ShadowSlot,
    acquire_slot,
    slot_target_dirs,
    walk_sources,
)
from rustcoder.fix.shadow_build import shadow_check_settings
from rustcoder.fix.stubs import stub_of
from rustcoder.fix.target_seed import package_names, seed_target_dir

log = logging.getLogger(__name__)

Status = Literal["compiles", "verified", "rejected", "timeout", "failed"]


@dataclass
class Verification:
    status: Status
    detail: str = ""
    comparison: Comparison | None = None
    #: The check of base + candidate: the next base if the candidate is taken.
    outcome: CheckOutcome | None = None

    @property
    def ok(self) -> bool:
        return self.status in ("compiles", "verified")


@dataclass
class FixSettings:
    #: Concurrent verification checks (shadow copies); 0 means the core count.
    parallel: int = 0
    #: A verification check that runs longer is abandoned.
    timeout_seconds: float = 120.0
    #: Candidates verified per diagnostic at most.
    max_candidates: int = 8
    #: `rustcoder fix`: the whole run stops trying new fixes after this long.
    run_budget_seconds: float = 300.0
    #: `rustcoder fix`: time spent on one error, over all rounds, at most.
    error_budget_seconds: float = 60.0
    #: `rustcoder fix`: independent fixes verified together in one build (1: one at a time).
    batch_size: int = 8
    #: `rustcoder fix --allow-stubs`: apply placeholders (todo!(), unsafe, #[allow]) too.
    allow_stubs: bool = False


#: A recipe this sure of itself is tried before rustc's MachineApplicable suggestion
#: (e.g. `mem::take` where rustc would `.clone()` a buffer that is then reset).
CONFIDENT_SCORE = 0.9


def rank_key(candidate: Candidate) -> tuple[int, int, float]:
    """Before verification: confident recipes, rustc MachineApplicable, then by source and score."""
    if candidate.score >= CONFIDENT_SCORE and candidate.source != "rustc":
        tier = 0
    elif candidate.applicability == "MachineApplicable":
        tier = 1
    else:
        tier = 2
    return (tier, SOURCE_RANK.get(candidate.source, 9), -candidate.score)


@dataclass
class FixEngine:
    workspace: CargoWorkspace
    check_settings: CheckSettings = field(default_factory=CheckSettings)
    settings: FixSettings = field(default_factory=FixSettings)
    sources: list[CandidateSource] = field(default_factory=lambda: [RustcSource()])
    overlays: dict[Path, str] = field(default_factory=dict)
    #: Read each file once (the CLI): fixes and the write-back see one version of it.
    pin_reads: bool = False

    def __post_init__(self) -> None:
        self.read_text = ReadText(self.overlays, pin=self.pin_reads)
        self._cache: dict[tuple[str, str, ErrorKey], Verification] = {}
        parallel = self.settings.parallel or os.cpu_count() or 1
        self._semaphore = asyncio.Semaphore(max(1, parallel))

    # --- state ---------------------------------------------------------------

    def state_key(self) -> str:
        """Identifies the base state; verification results are cached per state."""
        digest = hashlib.sha256()
        for path in sorted(walk_sources(self.workspace.root)):
            if path in self.overlays:
                continue
            try:
                st = path.stat()
            except OSError:
                continue
            digest.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
        for path, text in sorted(self.overlays.items()):
            digest.update(f"{path}\0".encode() + hashlib.sha256(text.encode()).digest())
        return digest.hexdigest()

    def stub_of(self, candidate: Candidate) -> str | None:
        """The placeholder the candidate adds to the current base ("todo!()", ...), or None."""
        return stub_of(candidate, self.read_text)

    def refused_stub(self, candidate: Candidate) -> str | None:
        """The placeholder that keeps fix rounds from applying it (none with allow_stubs)."""
        return None if self.settings.allow_stubs else self.stub_of(candidate)

    def accept(self, candidate: Candidate) -> None:
        """Make a verified candidate part of the base state (CLI rounds)."""
        from rustcoder.fix.edits import apply_edits, group_by_file

        for path, edits in group_by_file(candidate.edits).items():
            text = self.read_text(path)
            if text is None:
                raise FileNotFoundError(path)
            self.overlays[path] = apply_edits(text, edits)

    # --- candidates ------------------------------------------------------------

    def candidates(
        self, diagnostic: RustDiagnostic, others: Sequence[RustDiagnostic] = ()
    ) -> list[Candidate]:
        ctx = FixContext(
            workspace_root=self.workspace.root,
            diagnostic=diagnostic,
            read_text=self.read_text,
            others=list(others),
        )
        seen: set[str] = set()
        result: list[Candidate] = []
        for source in self.sources:
            try:
                proposed = source.candidates(ctx)
            except Exception:  # a broken source must not break the others
                log.exception("candidate source %s failed", getattr(source, "name", source))
                continue
            for candidate in proposed:
                if not candidate.edits or candidate.key in seen:
                    continue
                if not all(self._inside(e.path) for e in candidate.edits):
                    continue
                seen.add(candidate.key)
                result.append(candidate)
        return sorted(result, key=rank_key)

    def _inside(self, path: Path) -> bool:
        return path.is_relative_to(self.workspace.root)

    # --- checks ----------------------------------------------------------------

    async def _check_in_shadow(self, candidate: Candidate | None) -> CheckOutcome:
        async with self._semaphore:
            slot = await asyncio.to_thread(acquire_slot, self.workspace.root)
            try:
                # Never release the slot while a thread still writes into it.
                prepare = asyncio.ensure_future(asyncio.to_thread(self._prepare, slot, candidate))
                try:
                    await asyncio.shield(prepare)
                except asyncio.CancelledError:
                    await asyncio.wait([prepare])
                    raise
                manifest = slot.root / self.workspace.manifest.relative_to(self.workspace.root)
                settings = shadow_check_settings(
                    self.check_settings, slot.target_dir, self.settings.timeout_seconds
                )
                # Started in the real workspace: cargo and rustup see what the user's build sees.
                return await run_check(
                    CargoWorkspace(root=slot.root, manifest=manifest),
                    settings,
                    cwd=self.workspace.root,
                )
            finally:
                slot.release()

    def _prepare(self, slot: ShadowSlot, candidate: Candidate | None) -> None:
        pinned = self.read_text.pinned
        if pinned is not None and not pinned:
            # The first check pins every source: the whole run sees one version of the crate.
            for path in walk_sources(self.workspace.root):
                if path.suffix == ".rs":
                    self.read_text.original(path)
        # A source may have read a file outside the workspace (a dependency's source that a
        # diagnostic points into): only the workspace's own files belong in the copy.
        inside = {p: t for p, t in (pinned or {}).items() if self._inside(p)}
        slot.sync(self.workspace.root, {**inside, **self.overlays})
        if not slot.target_dir.exists():
            self._seed(slot)
        if candidate is not None:
            slot.apply(self.workspace.root, candidate.edits, self.read_text)

    def _seed(self, slot: ShadowSlot) -> None:
        """A fresh slot starts from dependencies the flycheck or another slot compiled."""
        donors = [
            target_dir_for(self.workspace, self.check_settings),
            *(d for d in slot_target_dirs(self.workspace.root) if d != slot.target_dir),
        ]
        manifests = (p for p in walk_sources(self.workspace.root) if p.name == "Cargo.toml")
        donor = seed_target_dir(slot.target_dir, donors, package_names(manifests))
        if donor is not None:
            log.info("shadow slot %s seeded from %s", slot.target_dir, donor)

    async def check_base(self) -> CheckOutcome:
        """Check the base state (disk plus accepted fixes) in a shadow copy."""
        return await self._check_in_shadow(None)

    def cached(
        self, candidate: Candidate, target: RustDiagnostic, state: str
    ) -> Verification | None:
        """A verification result already known for this state, if any."""
        return self._cache.get((state, candidate.key, error_key(target, self.workspace.root)))

    async def verify(
        self,
        candidate: Candidate,
        target: RustDiagnostic,
        baseline: ErrorSet,
        state: str | None = None,
    ) -> Verification:
        if state is None:
            state = await asyncio.to_thread(self.state_key)
        target_key = error_key(target, self.workspace.root)
        cache_key = (state, candidate.key, target_key)
        if cache_key in self._cache:
            return self._cache[cache_key]
        result = await self._verify_edits(candidate, [target_key], baseline)
        if result.status != "timeout" and not result.detail.startswith("could not verify"):
            self._cache[cache_key] = result  # a shadow that could not build may next time
        return result

    async def verify_batch(
        self, candidate: Candidate, targets: Sequence[ErrorKey], baseline: ErrorSet
    ) -> Verification:
        """Several fixes merged into one candidate, verified in one build: every target
        must be gone, and new errors must be of a later stage than all of them."""
        return await self._verify_edits(candidate, targets, baseline)

    async def _verify_edits(
        self, candidate: Candidate, targets: Sequence[ErrorKey], baseline: ErrorSet
    ) -> Verification:
        try:
            outcome = await self._check_in_shadow(candidate)
        except (EditConflictError, FileNotFoundError, ValueError) as exc:
            return Verification(status="failed", detail=f"cannot apply: {exc}")
        if outcome.timed_out:
            return Verification(status="timeout", detail=outcome.error or "timed out")
        after = ErrorSet.of(outcome.diagnostics, _shadow_root(outcome))
        not_built = shadow_build_failure(outcome, after)
        if not_built is not None:
            # Never "revealed": a copy that does not build proves nothing about the edit.
            return Verification(status="failed", detail=f"could not verify: {not_built}")
        comparison = compare_batch(baseline, after, targets)
        if not comparison.target_gone:
            return Verification("rejected", "the error is still there", comparison, outcome)
        if comparison.introduced:
            codes = ", ".join(sorted({k[0] or "error" for k in comparison.introduced}))
            return Verification("rejected", f"introduces {codes}", comparison, outcome)
        if comparison.remaining == 0:
            return Verification("compiles", "", comparison, outcome)
        return Verification("verified", "", comparison, outcome)

    async def best_fix(
        self,
        target: RustDiagnostic,
        candidates: Sequence[Candidate],
        baseline: ErrorSet,
        on_result: Callable[[Candidate, Verification], None] | None = None,
    ) -> tuple[Candidate, Verification] | None:
        """The first candidate (in rank order) that verifies; later ones are cancelled.

        `on_result` hears each verification awaited (the rounds' report of what was tried).
        """
        ordered = list(candidates)[: self.settings.max_candidates]
        if not ordered:
            return None
        state = await asyncio.to_thread(self.state_key)
        tasks = [asyncio.ensure_future(self.verify(c, target, baseline, state)) for c in ordered]
        try:
            for candidate, task in zip(ordered, tasks, strict=True):
                verification = await task
                if on_result is not None:
                    on_result(candidate, verification)
                if verification.ok:
                    return candidate, verification
            return None
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)


def shadow_build_failure(outcome: CheckOutcome, errors: ErrorSet) -> str | None:
    """Why the shadow check compiled nothing (cargo missing, manifest, resolution), or None."""
    if outcome.error:
        return outcome.error
    failures = errors.cargo_failures()
    if failures:
        return "the shadow copy did not build: " + failures[0][1].split("\n", 1)[0]
    if outcome.build_success is None:
        return f"cargo exited with {outcome.exit_code} before building anything"
    return None


def _shadow_root(outcome: CheckOutcome) -> Path:
    return outcome.workspace.root
