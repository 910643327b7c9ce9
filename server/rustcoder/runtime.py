"""The one composition root: every front end runs the same engine, put together here.

`Runtime.open(settings)` opens the knowledge base, builds the candidate
sources, the code model, the fix service and the learning tracker, and passes
each its parts; nothing in the core reaches for a global. The language server
(one runtime per session, reconfigured when settings change), `rustcoder fix`
(and through it compile-and-fix for generation, MCP and REST), "Fix all" and
the MCP/REST tool layer all start here.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

from rustcoder.apiindex.workspace_api import WorkspaceApi
from rustcoder.cargo.workspace import CargoWorkspace
from rustcoder.config import KbSettings, ModelSettings, Settings
from rustcoder.fix.api_grounding import ApiGrounding
from rustcoder.fix.api_source import ApiLookup, ApiSource
from rustcoder.fix.candidate import CandidateSource
from rustcoder.fix.engine import FixSettings
from rustcoder.fix.fix_service import FixService
from rustcoder.fix.knowledge import FixKnowledge
from rustcoder.fix.learned_source import LearnedSource
from rustcoder.fix.learning_tracker import LearningTracker
from rustcoder.fix.model_source import ModelSource
from rustcoder.fix.recipe_source import RecipeSource
from rustcoder.fix.rustc_source import RustcSource
from rustcoder.kb import locate
from rustcoder.kb.knowledge_base import KnowledgeBase
from rustcoder.models.backend import ModelError
from rustcoder.models.factory import model_from_settings, params_from_settings

log = logging.getLogger(__name__)

#: Told about a problem the user should see once (the model cannot run, ...).
Warn = Callable[[str], None]


class Runtime:
    def __init__(
        self,
        settings: Settings,
        kb: KnowledgeBase | None,
        fixes: FixService,
        learning: LearningTracker,
        *,
        parallel: int = 1,
        learn: bool = True,
        api: WorkspaceApi | None = None,
    ) -> None:
        self.settings = settings
        #: The API index of each workspace's crates and std (API-aware fixes, grounding).
        self.api = api or WorkspaceApi()
        #: None when the caller asked for no knowledge base (`rustcoder fix --no-kb`).
        self.kb = kb
        self.fixes = fixes
        self.learning = learning
        self._parallel = parallel
        self._learn = learn
        #: Per workspace root: the background job indexing its crates after a first check.
        self._api_jobs: dict[Path, asyncio.Task[None]] = {}

    @classmethod
    def open(
        cls,
        settings: Settings,
        *,
        use_kb: bool = True,
        learn: bool = True,
        parallel: int = 1,
        warn: Warn | None = None,
        api_wait: float = 120.0,
    ) -> Runtime:
        """Put the engine together for `settings`.

        `learn`: open the per-user file of learned examples too. `parallel`:
        concurrent verification checks (0: the core count). `warn`: where a
        model that cannot run is reported (the fixes go on without it); without
        `warn` the ModelError propagates, for a command line that must say so.
        `api_wait`: how long a fix waits for a workspace's first API indexing (a
        language server passes 0 and gets the API-aware fixes from the next check on).
        """
        kb = _open_kb(settings.kb, learn) if use_kb else None
        runtime = cls(
            settings,
            kb,
            FixService(),
            LearningTracker(),
            parallel=parallel,
            learn=learn,
            api=WorkspaceApi(wait_seconds=api_wait),
        )
        try:
            runtime._wire(settings, warn, lazy_model=warn is not None)
        except ModelError:
            runtime.close()
            raise
        return runtime

    def reconfigure(self, settings: Settings, warn: Warn | None = None) -> None:
        """New settings: the KB reopened if its path or shared base changed, the model and
        engines rebuilt."""
        if self.kb is not None and (self.kb.opened_from, self.kb.shared_setting) != (
            locate.base_path(settings.kb.path),
            settings.kb.shared,
        ):
            self.kb.close()
            self.kb = _open_kb(settings.kb, self._learn)
        self.settings = settings
        self._wire(settings, warn, lazy_model=True)
        self.fixes.forget_all()

    def _wire(self, settings: Settings, warn: Warn | None, lazy_model: bool) -> None:
        knowledge = FixKnowledge(self.kb) if self.kb is not None and self.kb.available else None
        fixes = self.fixes
        api = self.api
        fixes.sources = lambda: candidate_sources(knowledge, api)
        fixes.check_settings = settings.check
        fixes.fix_settings = FixSettings(
            parallel=self._parallel,
            timeout_seconds=settings.fix.timeout_seconds,
            run_budget_seconds=settings.fix.run_budget_seconds,
            error_budget_seconds=settings.fix.error_budget_seconds,
            batch_size=settings.fix.batch_size,
        )
        fixes.verify_enabled = settings.fix.verify
        fixes.background_enabled = settings.fix.background_verify
        fixes.max_actions = settings.fix.max_actions
        fixes.model = _model_source(settings.model, knowledge, warn, lazy_model)
        if fixes.model is not None:
            fixes.model.grounding = ApiGrounding(api).notes
        has_learning = self.kb is not None and self.kb.learning is not None
        self.learning.sink = knowledge.learn if knowledge is not None and has_learning else None

    def index_api_after_check(self, workspace: CargoWorkspace, wait_seconds: float = 120.0) -> None:
        """The first check of a workspace: index its crates in the background, then prepare
        the fixes of that check again so the API-aware ones are among them (unless a newer
        check came meanwhile). Never awaited by the check: indexing a workspace's crates
        takes seconds to minutes, and the check's progress and the next check must not
        wait for it. Later checks find the index ready: nothing to do."""
        root = workspace.root
        job = self._api_jobs.get(root)
        if self.api.ready(root) or (job is not None and not job.done()):
            return
        self._api_jobs[root] = asyncio.ensure_future(
            self._index_then_prepare(workspace, wait_seconds)
        )

    async def _index_then_prepare(self, workspace: CargoWorkspace, wait_seconds: float) -> None:
        root = workspace.root
        try:
            await asyncio.to_thread(self.api.report, root, wait_seconds)
            current = self.fixes.current_outcome(workspace)
            if self.api.ready(root) and current is not None:
                await self.fixes.on_check(workspace, current)
        except Exception:
            log.exception("indexing the crates of %s failed", root)

    def close(self) -> None:
        for job in self._api_jobs.values():
            job.cancel()
        self.fixes.shutdown()
        self.api.close()
        if self.kb is not None:
            self.kb.close()


def candidate_sources(
    knowledge: FixKnowledge | None, api: ApiLookup | None = None
) -> list[CandidateSource]:
    """rustc's suggestions, the recipes (scored by the KB), the API index's real names and
    the KB's learned examples."""
    extra: list[CandidateSource] = [ApiSource(api)] if api is not None else []
    if knowledge is None:
        return [RustcSource(), RecipeSource(), *extra]
    kb = knowledge.kb
    sources: list[CandidateSource] = [
        RustcSource(),
        RecipeSource(
            scores=knowledge.recipe_scores if kb.base is not None else None,
            recipes=knowledge.recipes,
        ),
        *extra,
    ]
    if kb.learning is not None:
        sources.append(LearnedSource(knowledge.learned_examples))
    return sources


def _open_kb(settings: KbSettings, learn: bool) -> KnowledgeBase:
    """Never raises: what cannot be opened is in `problems`, and the rest works without it."""
    return KnowledgeBase.open(
        locate.base_path(settings.path), learn=learn, shared=settings.shared or None
    )


def _model_source(
    settings: ModelSettings, knowledge: FixKnowledge | None, warn: Warn | None, lazy: bool
) -> ModelSource | None:
    """ "Fix with <model>" and model rounds, with the KB's learned fixes as examples."""
    try:
        model = model_from_settings(settings, lazy=lazy)
    except ModelError as exc:
        if warn is None:
            raise
        warn(f"rustcoder: model-backed fixes are off: {exc}")
        return None
    if model is None:
        return None
    examples = knowledge.learned_examples if knowledge is not None else None
    return ModelSource(model, params_from_settings(settings), examples=examples)
