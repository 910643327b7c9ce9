"""Quick fixes: titles at once from codeAction, verified edits in codeAction/resolve.

No compile happens on the codeAction path: candidates come from the stored
check and titles carry what background verification already knows. Clients
that can resolve get the edit after it compiled in a shadow copy; clients that
cannot get edits at once, labelled "(unverified)" unless already verified.
Edits are withheld when the document changed since the check. A candidate
that only adds a placeholder (todo!(), unsafe, #[allow]) is offered as an
assist of kind `refactor.rewrite`, titled as a placeholder, never preferred.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from rustcoder.cargo.to_lsp import MappedDiagnostic
from rustcoder.cargo.workspace import CargoWorkspace
from rustcoder.fix.compare import error_key
from rustcoder.fix.fix_service import RankedCandidate
from rustcoder.fix.model_source import MODEL_CANDIDATE, is_placeholder
from rustcoder.lsp.action_registry import kind_requested
from rustcoder.lsp.diagnostic_match import matches, ranges_intersect
from rustcoder.lsp.fix_all import FIX_ALL_COMMAND, fix_all_edit
from rustcoder.lsp.workspace_edits import workspace_edit
from rustcoder.models.backend import CancelToken, ModelError

if TYPE_CHECKING:
    from rustcoder.lsp.server import RustcoderServer

log = logging.getLogger(__name__)

FIX_ALL_KIND = f"{lsp.CodeActionKind.SourceFixAll.value}.rustcoder"
#: Placeholders are assists, not quick fixes: a client asking for fixes does not get them.
STUB_KIND = lsp.CodeActionKind.RefactorRewrite


def _selected(
    mapped: list[MappedDiagnostic], request_range: lsp.Range, context: list[lsp.Diagnostic]
) -> list[tuple[MappedDiagnostic, lsp.Diagnostic]]:
    """Our diagnostics under the cursor, or twins of those in the context."""
    selected = []
    for m in mapped:
        twin = next((c for c in context if matches(m.diagnostic, c)), None)
        if twin is not None:
            selected.append((m, twin))
        elif ranges_intersect(m.diagnostic.range, request_range):
            selected.append((m, m.diagnostic))
    return selected


def _title(item: RankedCandidate, resolvable: bool, verify: bool) -> str:
    if item.stub is not None:
        return f"{item.candidate.title} (adds {item.stub}: a placeholder, not a fix)"
    if item.label:
        return f"{item.candidate.title} {item.label}"
    if not resolvable and verify and item.candidate.source != "rustc":
        return f"{item.candidate.title} (unverified)"
    if not resolvable and verify and item.candidate.applicability != "MachineApplicable":
        return f"{item.candidate.title} (unverified)"
    return item.candidate.title


def _current_version(ls: RustcoderServer, uri: str) -> int | None:
    doc = ls.workspace.text_documents.get(uri)
    return doc.version if doc is not None else None


def code_actions(ls: RustcoderServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    uri = params.text_document.uri
    only = params.context.only
    want_quickfix = kind_requested(lsp.CodeActionKind.QuickFix, only)
    want_stubs = kind_requested(STUB_KIND, only)
    want_fix_all = kind_requested(FIX_ALL_KIND, only)
    version = _current_version(ls, uri)
    session = ls.session
    fixes = ls.runtime.fixes
    resolvable = session.capabilities.resolve_code_action_edits
    actions: list[lsp.CodeAction] = []
    by_candidate: dict[str, lsp.CodeAction] = {}
    error_files: list[CargoWorkspace] = []
    for file_diags in session.store.for_uri(uri):
        if not file_diags.edits_valid_for(version, uri in session.unsaved):
            log.info("code action for %s skipped: document changed since the last check", uri)
            continue
        workspace = session.file_workspaces.get(uri) or _workspace_of(ls, file_diags.mapped)
        if workspace is None:
            continue
        if any(
            m.source is not None and m.source.level.startswith("error") for m in file_diags.mapped
        ):
            error_files.append(workspace)
        if not (want_quickfix or want_stubs):
            continue
        for mapped, shown in _selected(
            file_diags.mapped, params.range, list(params.context.diagnostics)
        ):
            if mapped.source is None:
                continue
            target_key = error_key(mapped.source, workspace.root)
            ranked = fixes.ranked(workspace, mapped.source)
            for index, item in enumerate(ranked):
                if is_placeholder(item.candidate):
                    # "Fix with <model>": the model runs on resolve, so only resolving clients.
                    if resolvable and want_quickfix:
                        actions.append(_model_action(item, shown, uri, version, workspace, mapped))
                    continue
                if not (want_stubs if item.stub is not None else want_quickfix):
                    continue
                existing = by_candidate.get(item.candidate.key)
                if existing is not None:
                    if existing.diagnostics is not None and shown not in existing.diagnostics:
                        existing.diagnostics = [*existing.diagnostics, shown]
                    continue
                preferred = (
                    index == 0
                    and item.stub is None
                    and (
                        (item.verification is not None and item.verification.ok)
                        or item.candidate.applicability == "MachineApplicable"
                    )
                )
                action = lsp.CodeAction(
                    title=_title(item, resolvable, session.settings.fix.verify),
                    kind=STUB_KIND if item.stub is not None else lsp.CodeActionKind.QuickFix,
                    diagnostics=[shown],
                    is_preferred=preferred or None,
                )
                if resolvable:
                    action.data = {
                        "kind": "fix",
                        "uri": uri,
                        "version": version,
                        "root": str(workspace.root),
                        "target": list(target_key),
                        "offset": _primary_byte_start(mapped),
                        "candidate": item.candidate.key,
                    }
                else:
                    action.edit = workspace_edit(
                        ls, item.candidate.edits, fixes.workspace(workspace).engine.read_text
                    )
                by_candidate[item.candidate.key] = action
                actions.append(action)
    if want_fix_all and error_files:
        actions.append(
            lsp.CodeAction(
                title="Fix all verified errors in file",
                kind=FIX_ALL_KIND,
                data={
                    "kind": "fixAll",
                    "uri": uri,
                    "version": version,
                    "root": str(error_files[0].root),
                }
                if resolvable
                else None,
                command=None
                if resolvable
                else lsp.Command(
                    title="Fix all verified errors in file",
                    command=FIX_ALL_COMMAND,
                    arguments=[uri],
                ),
            )
        )
    return actions


def _model_action(
    item: RankedCandidate,
    shown: lsp.Diagnostic,
    uri: str,
    version: int | None,
    workspace: CargoWorkspace,
    mapped: MappedDiagnostic,
) -> lsp.CodeAction:
    assert mapped.source is not None
    return lsp.CodeAction(
        title=item.candidate.title,
        kind=lsp.CodeActionKind.QuickFix,
        diagnostics=[shown],
        data={
            "kind": "fix",
            "uri": uri,
            "version": version,
            "root": str(workspace.root),
            "target": list(error_key(mapped.source, workspace.root)),
            "offset": _primary_byte_start(mapped),
            "candidate": MODEL_CANDIDATE,
        },
    )


def _primary_byte_start(mapped: MappedDiagnostic) -> int | None:
    if mapped.source is None:
        return None
    primary = next((s for s in mapped.source.spans if s.is_primary), None)
    return primary.byte_start if primary is not None else None


def _workspace_of(ls: RustcoderServer, mapped: list[MappedDiagnostic]) -> CargoWorkspace | None:
    for m in mapped:
        ws = ls.session.file_workspaces.get(m.uri)
        if ws is not None:
            return ws
    return None


async def resolve(ls: RustcoderServer, action: lsp.CodeAction) -> lsp.CodeAction:
    data = action.data if isinstance(action.data, dict) else None
    if not data:
        return action
    uri = str(data.get("uri", ""))
    session = ls.session
    if _current_version(ls, uri) != data.get("version") or uri in session.unsaved:
        log.info("resolve for %s skipped: document changed", uri)
        return action
    workspace = session.workspaces.get(Path(str(data.get("root", ""))))
    if workspace is None:
        return action
    if data.get("kind") == "fixAll":
        action.edit = await fix_all_edit(ls, workspace, uri)
        return action
    target = data.get("target")
    if not isinstance(target, list) or len(target) != 3:
        return action
    offset = data.get("offset")
    is_model = data.get("candidate") == MODEL_CANDIDATE
    cancel = CancelToken()
    # A newer version of the document makes the generation pointless: stop it.
    watcher = asyncio.ensure_future(_cancel_on_change(ls, uri, data.get("version"), cancel))
    try:
        item = await ls.runtime.fixes.resolve(
            workspace,
            (str(target[0]), str(target[1]), str(target[2])),
            str(data.get("candidate")),
            offset if isinstance(offset, int) else None,
            cancel=cancel,
        )
    except ModelError as exc:
        ls.show_message_once(f"rustcoder: {exc}", lsp.MessageType.Warning)
        return action
    except asyncio.CancelledError:
        cancel.cancel()  # the client cancelled the request
        raise
    finally:
        watcher.cancel()
    if item is None:
        return action
    if is_model and item.verification is not None and not item.verification.ok:
        ls.window_show_message(
            lsp.ShowMessageParams(
                type=lsp.MessageType.Info,
                message=f"rustcoder: {item.candidate.title} found no fix that compiles "
                f"({item.verification.detail}).",
            )
        )
        return action
    if item.verification is not None and not item.verification.ok:
        ls.window_show_message(
            lsp.ShowMessageParams(
                type=lsp.MessageType.Warning,
                message=f"rustcoder: '{item.candidate.title}' was not applied: "
                f"it does not compile ({item.verification.detail}).",
            )
        )
        return action
    if _current_version(ls, uri) != data.get("version") or uri in session.unsaved:
        return action  # edited while verifying: the result is stale
    runtime = ls.runtime
    engine = runtime.fixes.workspace(workspace).engine
    action.edit = workspace_edit(ls, item.candidate.edits, engine.read_text)
    key = (str(target[0]), str(target[1]), str(target[2]))
    if item.stub is None:  # a placeholder the user takes is not a fix to learn from
        runtime.learning.expect(workspace, item.candidate, key)
    return action


async def _cancel_on_change(
    ls: RustcoderServer, uri: str, version: object, cancel: CancelToken
) -> None:
    with contextlib.suppress(asyncio.CancelledError):
        while not cancel.cancelled:
            if _current_version(ls, uri) != version or uri in ls.session.unsaved:
                cancel.cancel()
                return
            await asyncio.sleep(0.1)


def register(server: RustcoderServer) -> None:
    registry = server.action_registry
    registry.declare(lsp.CodeActionKind.QuickFix)
    registry.declare(STUB_KIND)
    registry.declare(lsp.CodeActionKind.SourceFixAll)

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, registry.options)
    def on_code_action(
        ls: RustcoderServer, params: lsp.CodeActionParams
    ) -> list[lsp.CodeAction] | None:
        ours = code_actions(ls, params)
        return [*ours, *ls.action_registry.contributed(ls, params)] or None

    @server.feature(lsp.CODE_ACTION_RESOLVE)
    async def on_resolve(ls: RustcoderServer, params: lsp.CodeAction) -> lsp.CodeAction:
        return await resolve(ls, params)
