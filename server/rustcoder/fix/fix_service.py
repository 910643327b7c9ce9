"""Fixes for an editor session: one engine per workspace, kept in step with checks.

After each check the service knows the base state (its key), the baseline
errors, and starts verifying the most promising candidates in the background,
so code actions can say "✓ compiles" without compiling on the request path.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rustcoder.cargo.flycheck import CheckOutcome
from rustcoder.cargo.messages import RustDiagnostic
from rustcoder.cargo.workspace import CargoWorkspace
from rustcoder.config import CheckSettings
from rustcoder.fix.candidate import Candidate, FixContext
from rustcoder.fix.compare import ErrorKey, ErrorSet, error_key, is_error
from rustcoder.fix.engine import FixEngine, FixSettings, Verification
from rustcoder.fix.model_source import MODEL_CANDIDATE, ModelSource
from rustcoder.fix.report import describe_revealed
from rustcoder.fix.rounds import FixReport, fix_workspace
from rustcoder.fix.sources import SourceFactory, rule_sources
from rustcoder.fix.stages import STAGE_NAME, Stage, stage_of
from rustcoder.models.backend import CancelToken

log = logging.getLogger(__name__)


@dataclass
class RankedCandidate:
    candidate: Candidate
    verification: Verification | None
    #: The placeholder the candidate adds (todo!(), unsafe, ...): an assist, never a fix.
    stub: str | None = None

    @property
    def label(self) -> str:
        if self.verification is None:
            return ""
        comparison = self.verification.comparison
        if self.verification.status == "verified" and comparison and comparison.revealed:
            return staged_label(comparison.revealed)
        return {"compiles": "✓ compiles", "verified": "✓ verified"}.get(
            self.verification.status, ""
        )

    @property
    def reveals(self) -> bool:
        comparison = self.verification.comparison if self.verification else None
        return bool(comparison and comparison.revealed)


def staged_label(revealed: Sequence[ErrorKey]) -> str:
    """ "✓ compiles through type checking (reveals 2 borrow-check errors)"."""
    stages = [stage_of(code or None, message) for code, message, _ in revealed]
    first_later = min((s for s in stages if s is not None), default=None)
    passed = STAGE_NAME[Stage(first_later - 1)] if first_later is not None else "an earlier stage"
    return f"✓ compiles through {passed} (reveals {describe_revealed(list(revealed))})"


def rank_verified(items: Sequence[RankedCandidate]) -> list[RankedCandidate]:
    """Verified first (clean builds before partial), then the engine's prior order."""

    def key(pair: tuple[int, RankedCandidate]) -> tuple[int, int]:
        index, item = pair
        status = item.verification.status if item.verification else "unknown"
        order = {"compiles": 0, "verified": 1, "unknown": 3}.get(status, 4)
        if status == "verified" and item.reveals:
            order = 2  # correct, but the crate is further from building than with a clean fix
        if item.stub is not None:
            order += 5  # placeholders after every real fix
        return (order, index)

    return [item for _, item in sorted(enumerate(items), key=key)]


#: Diagnostics whose candidates are kept per workspace, and computed ahead after a check.
CANDIDATE_CACHE_SIZE = 2000
PREPARED_AHEAD = 300


@dataclass
class WorkspaceFixes:
    engine: FixEngine
    outcome: CheckOutcome | None = None
    state: str = ""
    baseline: ErrorSet = field(default_factory=ErrorSet)
    background: asyncio.Task[None] | None = None
    #: Candidates per (state, error, primary offset): recipes parse files and the KB
    #: embeds messages, too slow to repeat on every codeAction request.
    candidate_cache: dict[tuple[str, ErrorKey, int], list[Candidate]] = field(default_factory=dict)
    #: The placeholder each candidate adds, per (state, candidate): read on every request.
    stub_cache: dict[tuple[str, str], str | None] = field(default_factory=dict)

    def stub_of(self, candidate: Candidate) -> str | None:
        key = (self.state, candidate.key)
        if key not in self.stub_cache:
            if len(self.stub_cache) >= CANDIDATE_CACHE_SIZE:
                self.stub_cache.clear()
            self.stub_cache[key] = self.engine.stub_of(candidate)
        return self.stub_cache[key]

    def candidates_for(self, target: RustDiagnostic) -> list[Candidate]:
        primary = next((s for s in target.spans if s.is_primary), None)
        key = (
            self.state,
            error_key(target, self.engine.workspace.root),
            primary.byte_start if primary is not None else -1,
        )
        found = self.candidate_cache.get(key)
        if found is None:
            others = self.outcome.diagnostics if self.outcome else []
            found = self.engine.candidates(target, others)
            if len(self.candidate_cache) >= CANDIDATE_CACHE_SIZE:
                self.candidate_cache.clear()
            self.candidate_cache[key] = found
        return found

    def target_for(self, key: ErrorKey, byte_start: int | None = None) -> RustDiagnostic | None:
        """The diagnostic with this key (several may share one: then the one at `byte_start`)."""
        if self.outcome is None:
            return None
        root = self.engine.workspace.root
        same = [d for d in self.outcome.diagnostics if error_key(d, root) == key]
        for d in same:
            primary = next((s for s in d.spans if s.is_primary), None)
            if byte_start is None or (primary is not None and primary.byte_start == byte_start):
                return d
        return None


class FixService:
    """Verified fixes per workspace; its parts (sources, model, settings) come from the runtime."""

    def __init__(
        self,
        max_actions: int = 5,
        background_errors: int = 10,
        sources: SourceFactory = rule_sources,
    ) -> None:
        self._workspaces: dict[Path, WorkspaceFixes] = {}
        self.sources = sources
        self.max_actions = max_actions
        self.background_errors = background_errors
        self.check_settings = CheckSettings()
        self.fix_settings = FixSettings(parallel=1)
        self.verify_enabled = True
        self.background_enabled = True
        #: "Fix with <model>": offered on errors, generated and verified on resolve only.
        self.model: ModelSource | None = None
        self._model_lock = asyncio.Lock()

    def workspace(self, workspace: CargoWorkspace) -> WorkspaceFixes:
        fixes = self._workspaces.get(workspace.root)
        if fixes is None:
            engine = FixEngine(
                workspace=workspace,
                check_settings=self.check_settings,
                settings=self.fix_settings,
                sources=self.sources(),
            )
            fixes = self._workspaces[workspace.root] = WorkspaceFixes(engine=engine)
        return fixes

    def current_outcome(self, workspace: CargoWorkspace) -> CheckOutcome | None:
        """The check the fixes of `workspace` were last prepared from."""
        fixes = self._workspaces.get(workspace.root)
        return fixes.outcome if fixes is not None else None

    def shutdown(self) -> None:
        """Stop background verification (its cargo runs are killed by cancellation)."""
        for fixes in self._workspaces.values():
            if fixes.background is not None:
                fixes.background.cancel()

    def forget(self, root: Path) -> None:
        fixes = self._workspaces.pop(root, None)
        if fixes and fixes.background:
            fixes.background.cancel()

    def forget_all(self) -> None:
        """Drop every engine (new settings or sources): the next request builds them anew."""
        for root in list(self._workspaces):
            self.forget(root)

    async def fix_rounds(
        self,
        workspace: CargoWorkspace,
        *,
        only_file: Path | None = None,
        max_rounds: int = 25,
        model_rounds: int = 3,
        log: Callable[[str], None] | None = None,
    ) -> FixReport:
        """Fix rounds (`rustcoder fix`, "Fix all") with the same sources and model as code
        actions; all in shadow copies, nothing written."""
        return await fix_workspace(
            workspace,
            max_rounds=max_rounds,
            check_settings=self.check_settings,
            fix_settings=self.fix_settings,
            log=log,
            only_file=only_file,
            model=self.model,
            model_rounds=model_rounds,
            sources=self.sources(),
        )

    async def on_check(self, workspace: CargoWorkspace, outcome: CheckOutcome) -> None:
        """A new check finished: new base state, new baseline, restart background work."""
        fixes = self.workspace(workspace)
        if fixes.background is not None:
            fixes.background.cancel()
        fixes.outcome = outcome
        fixes.baseline = ErrorSet.of(outcome.diagnostics, workspace.root)
        fixes.state = await asyncio.to_thread(fixes.engine.state_key)
        fixes.candidate_cache.clear()
        fixes.background = asyncio.ensure_future(self._prepare_ahead(fixes))

    async def _prepare_ahead(self, fixes: WorkspaceFixes) -> None:
        """Compute candidates for the errors (so code actions answer from memory), then
        verify the top candidates of the first errors, one check at a time."""
        if fixes.outcome is None:
            return
        errors = [d for d in fixes.outcome.diagnostics if is_error(d)]
        for target in errors[:PREPARED_AHEAD]:
            with contextlib.suppress(Exception):
                fixes.candidates_for(target)
            await asyncio.sleep(0)  # let requests in between
        if not (self.verify_enabled and self.background_enabled):
            return
        state = fixes.state
        for target in errors[: self.background_errors]:
            for candidate in fixes.candidates_for(target)[:2]:
                with contextlib.suppress(Exception):
                    await fixes.engine.verify(candidate, target, fixes.baseline, state)

    def ranked(self, workspace: CargoWorkspace, target: RustDiagnostic) -> list[RankedCandidate]:
        """Candidates for one diagnostic with what is known of them; no compile here."""
        fixes = self.workspace(workspace)
        items = []
        for candidate in fixes.candidates_for(target):
            verification = fixes.engine.cached(candidate, target, fixes.state)
            if verification is not None and not verification.ok:
                continue  # never offer what is known to make things worse
            items.append(RankedCandidate(candidate, verification, fixes.stub_of(candidate)))
        result = rank_verified(items)[: self.max_actions]
        if self.model is not None and is_error(target):
            result.append(RankedCandidate(self.model.placeholder(), None))
        return result

    async def resolve(
        self,
        workspace: CargoWorkspace,
        target_key: ErrorKey,
        candidate_key: str,
        byte_start: int | None = None,
        cancel: CancelToken | None = None,
    ) -> RankedCandidate | None:
        """Find the candidate again and verify it (compiles in a shadow copy).

        For "Fix with <model>" the model is asked here (`ModelError` propagates);
        `cancel` stops its generation.
        """
        fixes = self.workspace(workspace)
        target = fixes.target_for(target_key, byte_start)
        if target is None:
            return None
        others = fixes.outcome.diagnostics if fixes.outcome else []
        if candidate_key == MODEL_CANDIDATE:
            return await self._resolve_model(fixes, target, others, cancel)
        candidate = next((c for c in fixes.candidates_for(target) if c.key == candidate_key), None)
        if candidate is None:
            return None
        stub = fixes.stub_of(candidate)
        if not self.verify_enabled:
            return RankedCandidate(candidate, None, stub)
        verification = await fixes.engine.verify(candidate, target, fixes.baseline, fixes.state)
        return RankedCandidate(candidate, verification, stub)

    async def _resolve_model(
        self,
        fixes: WorkspaceFixes,
        target: RustDiagnostic,
        others: list[RustDiagnostic],
        cancel: CancelToken | None,
    ) -> RankedCandidate | None:
        """Ask the model, then verify its proposals; the first that compiles wins."""
        model = self.model
        if model is None:
            return None
        ctx = FixContext(fixes.engine.workspace.root, target, fixes.engine.read_text, others)
        async with self._model_lock:  # one generation at a time: a local model owns the CPU
            if cancel is not None and cancel.cancelled:
                return None
            candidates = await model.agenerate(ctx, cancel)
        if cancel is not None and cancel.cancelled:
            return None
        if not candidates:
            detail = "its reply held no usable edit"
            return RankedCandidate(model.placeholder(), Verification("failed", detail))
        if not self.verify_enabled:
            return RankedCandidate(candidates[0], None)
        last: RankedCandidate | None = None
        for candidate in candidates:
            stub = fixes.engine.stub_of(candidate)
            if stub is not None:
                # Offered as a quick fix: a placeholder from the model is not one.
                detail = f"its reply only adds {stub}, a placeholder, not a fix"
                last = RankedCandidate(candidate, Verification("failed", detail), stub)
                continue
            verification = await fixes.engine.verify(candidate, target, fixes.baseline, fixes.state)
            last = RankedCandidate(candidate, verification)
            if verification.ok:
                break
        return last
