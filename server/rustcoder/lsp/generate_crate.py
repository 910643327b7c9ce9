"""The `rustcoder.generateCrate` command: description + folder → a new crate in the editor.

Protocol only: progress in, the generation pipeline, an edit out. The crate
is built in a temp dir; the user's folder changes only through the
`workspace/applyEdit` the client applies (CreateFile + text edits), or,
for clients without resource operations, files written into a new or empty
folder followed by `window/showDocument` of the main file.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from rustcoder.generate.build import write_files
from rustcoder.generate.compile_fix import ModelChoice
from rustcoder.generate.generate_command import NO_MODEL
from rustcoder.generate.pipeline import GenerateRequest, GenerationCancelled, generate
from rustcoder.generate.templates import finder
from rustcoder.lsp.progress import WorkDoneProgress
from rustcoder.models.backend import CancelToken, CodeModel, ModelError
from rustcoder.models.factory import model_from_settings, params_from_settings
from rustcoder.sandbox.policy import unsandboxed_warning

if TYPE_CHECKING:
    from rustcoder.lsp.server import RustcoderServer

log = logging.getLogger(__name__)

COMMAND = "rustcoder.generateCrate"
MAX_DESCRIPTION = 20_000


def _folder(target: str) -> Path:
    path = to_fs_path(target) if target.startswith("file:") else target
    return Path(path or "").expanduser()


def creation_edit(folder: Path, files: dict[str, str]) -> lsp.WorkspaceEdit:
    changes: list[Any] = []
    for relative, text in files.items():
        uri = from_fs_path(str(folder / relative)) or ""
        changes.append(
            lsp.CreateFile(
                uri=uri, options=lsp.CreateFileOptions(overwrite=False, ignore_if_exists=False)
            )
        )
        start = lsp.Position(line=0, character=0)
        changes.append(
            lsp.TextDocumentEdit(
                text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None),
                edits=[lsp.TextEdit(range=lsp.Range(start=start, end=start), new_text=text)],
            )
        )
    return lsp.WorkspaceEdit(document_changes=changes)


def _tell(ls: RustcoderServer, message: str, kind: lsp.MessageType) -> None:
    ls.window_show_message(lsp.ShowMessageParams(type=kind, message=f"rustcoder: {message}"))


async def generate_crate(
    ls: RustcoderServer, description: str, target: str, requirements: str = ""
) -> dict[str, Any]:
    settings = ls.session.settings.model
    choice = ModelChoice(settings.name or None, settings.endpoint or None, settings.api_key or None)
    if not settings.enable or not choice.configured:
        message = (
            NO_MODEL.replace("rustcoder generate", "Generate crate")
            .replace("pass --endpoint URL", "set rustcoder.model.endpoint")
            .replace("--model NAME", "rustcoder.model.name")
        )
        _tell(ls, message, lsp.MessageType.Warning)
        return {"success": False, "message": message}
    if not description.strip() or len(description) + len(requirements) > MAX_DESCRIPTION:
        message = f"the description must be 1 to {MAX_DESCRIPTION} characters"
        _tell(ls, message, lsp.MessageType.Error)
        return {"success": False, "message": message}
    folder = _folder(target)
    if not str(folder) or not folder.is_absolute():
        message = f"the target folder must be an absolute path or file URI, not {target!r}"
        _tell(ls, message, lsp.MessageType.Error)
        return {"success": False, "message": message}
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        message = f"{folder} exists and is not an empty folder; choose a new one"
        _tell(ls, message, lsp.MessageType.Error)
        return {"success": False, "message": message}
    try:
        model: CodeModel | None = model_from_settings(settings)
    except ModelError as exc:
        _tell(ls, str(exc), lsp.MessageType.Error)
        return {"success": False, "message": str(exc)}
    assert model is not None
    warning = unsandboxed_warning()
    if warning:
        _tell(ls, warning, lsp.MessageType.Warning)
    cancel = CancelToken()
    progress = WorkDoneProgress(ls, "Generating crate", "generate", on_cancel=cancel.cancel)
    await progress.begin(description[:60])
    request = GenerateRequest(description=description, requirements=requirements)
    try:
        result = await generate(
            request,
            model,
            choice,
            params_from_settings(settings),
            progress.report,
            cancel,
            templates=finder(ls.runtime.kb),
        )
    except (GenerationCancelled, asyncio.CancelledError):
        cancel.cancel()
        progress.end("cancelled")
        return {"success": False, "message": "cancelled"}
    if not result.files:
        progress.end("failed")
        _tell(ls, result.message, lsp.MessageType.Error)
        return {"success": False, "message": result.message, "log": result.log}
    main = "src/main.rs" if "src/main.rs" in result.files else next(iter(result.files))
    if ls.session.capabilities.create_files:
        applied = await ls.workspace_apply_edit_async(
            lsp.ApplyWorkspaceEditParams(
                edit=creation_edit(folder, result.files), label="Generate crate"
            )
        )
        if not applied.applied:
            progress.end("not applied")
            return {"success": False, "message": applied.failure_reason or "edit not applied"}
    else:
        folder.mkdir(parents=True, exist_ok=True)
        write_files(folder, result.files)
    await ls.window_show_document_async(
        lsp.ShowDocumentParams(uri=from_fs_path(str(folder / main)) or "", take_focus=True)
    )
    progress.end(result.message)
    kind = lsp.MessageType.Info if result.success else lsp.MessageType.Warning
    _tell(ls, f"{result.message} ({folder})", kind)
    return {
        "success": result.success,
        "message": result.message,
        "folder": str(folder),
        "files": list(result.files),
        "build_success": result.build_success,
        "test_success": result.test_success,
    }


def register(server: RustcoderServer) -> None:
    # pygls resolves a command handler's annotations at run time, and features name the
    # server class only for type checking: the handler takes pygls' base class and
    # works on `server`, the same object.
    @server.command(COMMAND)
    async def generate_crate_command(
        ls: LanguageServer, description: str, target: str, *rest: Any
    ) -> dict[str, Any]:
        """Arguments: description, target folder (path or URI), optional requirements."""
        requirements = rest[0] if rest and isinstance(rest[0], str) else ""
        return await generate_crate(server, description, target, requirements)
