"""A code model running in-process: registry entry or folder → ONNX session + tokenizer.

`load_local_model("qwen2.5-coder-0.5b")` resolves a pulled model from the
huggingface-hub cache (never the network); `load_local_model("/some/dir")` runs
a folder holding an ONNX decoder and tokenizer.json (e.g. a local conversion),
guessing its chat format from the tokenizer's special tokens.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rustcoder.models import hub
from rustcoder.models.backend import (
    CancelToken,
    ChatMessage,
    Completion,
    GenerationParams,
    ModelError,
)
from rustcoder.models.chat_format import get_format, render
from rustcoder.models.decode import Decoder, Generation
from rustcoder.models.gguf_import import imported_chat_format, imported_folder
from rustcoder.models.onnx_runtime import CUDA, choose_provider, open_session, read_config
from rustcoder.models.registry import get_spec, load_registry, split_name

#: Special tokens that identify a chat format in a tokenizer's vocabulary.
_FORMAT_MARKERS = (
    ("<|im_start|>", "chatml"),
    ("<start_of_turn>", "gemma"),
    ("<|start_header_id|>", "llama3"),
    ("<|assistant|>", "phi3"),
)


@dataclass(frozen=True)
class LocalModelFiles:
    name: str
    model_path: Path
    tokenizer_path: Path
    chat_format: str
    prompt_style: str
    context_length: int
    stop: tuple[str, ...]
    #: Pulled into the hub cache (not a folder given by path).
    from_registry: bool = False
    #: The registry's declared graph inputs (besides the KV cache); None: not declared.
    inputs: tuple[str, ...] | None = None
    position_offset: int = 0


class LocalModel:
    """CodeModel backed by our ONNX decode loop; one generation at a time."""

    def __init__(self, files: LocalModelFiles, device: str = "auto", threads: int = 0):
        from tokenizers import Tokenizer

        self.name = files.name
        self.chat_format = files.chat_format
        self.prompt_style = files.prompt_style
        self.context_length = files.context_length
        try:
            self.tokenizer = Tokenizer.from_file(str(files.tokenizer_path))
        except Exception as exc:  # tokenizers raises plain Exception on a bad file
            raise ModelError(f"cannot read tokenizer {files.tokenizer_path}: {exc}") from exc
        self.session = open_session(files.model_path, device=device, threads=threads)
        if files.inputs is not None:
            check_declared_inputs(files, self.session.layout.input_names)
        self.provider = self.session.provider
        self.decoder = Decoder(self.session, position_offset=files.position_offset)
        fmt = get_format(files.chat_format)
        stops = (*fmt.stop, *files.stop)
        vocab_ids = [self.tokenizer.token_to_id(s) for s in stops]
        eos = read_config(files.model_path.parent).get("eos_token_id")
        eos_ids = eos if isinstance(eos, list) else [eos]
        self.stop_ids = frozenset(
            [i for i in vocab_ids if i is not None] + [i for i in eos_ids if isinstance(i, int)]
        )
        #: Stop strings that are not single tokens are matched in the decoded text.
        self.stop_strings = tuple(
            dict.fromkeys(s for s, i in zip(stops, vocab_ids, strict=True) if i is None)
        )
        self._lock = threading.Lock()

    def encode(self, text: str) -> list[int]:
        # The templates already hold BOS and other special tokens.
        return list(self.tokenizer.encode(text, add_special_tokens=False).ids)

    def decode(self, ids: list[int]) -> str:
        return str(self.tokenizer.decode(ids, skip_special_tokens=True))

    def prompt_ids(self, messages: list[ChatMessage]) -> list[int]:
        return self.encode(render(self.chat_format, messages))

    def start(
        self,
        messages: list[ChatMessage],
        params: GenerationParams,
        cancel: CancelToken | None = None,
    ) -> Generation:
        """A generation that streams when iterated and then tells how it ended."""
        return self.decoder.generate(
            self.prompt_ids(messages),
            params,
            self.decode,
            context_length=self.context_length,
            stop_ids=self.stop_ids,
            stop_strings=(*self.stop_strings, *params.stop),
            cancel=cancel,
            truncate_left=self.prompt_style == "completion",
        )

    def chat(
        self,
        messages: list[ChatMessage],
        params: GenerationParams,
        cancel: CancelToken | None = None,
    ) -> Completion:
        with self._lock:
            generation = self.start(messages, params, cancel)
            text = generation.text()
        return Completion(
            text=text,
            finish_reason=generation.finish_reason,
            prompt_tokens=generation.prompt_tokens,
            completion_tokens=generation.completion_tokens,
        )

    def stream(
        self,
        messages: list[ChatMessage],
        params: GenerationParams,
        cancel: CancelToken | None = None,
    ) -> Iterator[str]:
        with self._lock:
            yield from self.start(messages, params, cancel)


def check_declared_inputs(files: LocalModelFiles, actual: frozenset[str]) -> None:
    """The registry says which inputs a model has; a different graph is the wrong file."""
    declared = set(files.inputs or ())
    present = {name for name in actual if not name.startswith("past_key_values.")}
    missing = declared - present
    unknown = present - declared
    if missing or unknown:
        parts = [f"lacks {', '.join(sorted(missing))}"] if missing else []
        parts += [f"has undeclared {', '.join(sorted(unknown))}"] if unknown else []
        raise ModelError(
            f"{files.model_path.name} does not have the inputs the registry declares for "
            f"{files.name} ({'; '.join(parts)}): the registry entry or the file is wrong"
        )


def guess_chat_format(tokenizer_path: Path) -> str:
    from tokenizers import Tokenizer

    try:
        vocab = Tokenizer.from_file(str(tokenizer_path)).get_vocab(with_added_tokens=True)
    except Exception as exc:  # tokenizers raises plain Exception on a bad file
        raise ModelError(f"cannot read tokenizer {tokenizer_path}: {exc}") from exc
    for marker, name in _FORMAT_MARKERS:
        if marker in vocab:
            return name
    return "plain"


def files_from_folder(folder: Path) -> LocalModelFiles:
    """A model folder not in the registry: find the ONNX file, tokenizer and context size."""
    tokenizer = folder / "tokenizer.json"
    if not tokenizer.is_file():
        raise ModelError(f"{folder} has no tokenizer.json")
    onnx_files = sorted(folder.glob("*.onnx")) or sorted(folder.glob("onnx/*.onnx"))
    preferred = [p for p in onnx_files if p.name == "model.onnx"]
    if not onnx_files:
        raise ModelError(f"{folder} holds no .onnx model (looked in it and in onnx/)")
    model_path = (preferred or onnx_files)[0]
    config = read_config(model_path.parent)
    context = config.get("max_position_embeddings")
    chat_format = imported_chat_format(folder) or guess_chat_format(tokenizer)
    return LocalModelFiles(
        name=folder.name,
        model_path=model_path,
        tokenizer_path=tokenizer,
        chat_format=chat_format,
        prompt_style="completion" if chat_format == "plain" else "chat",
        context_length=int(context) if isinstance(context, int) and context > 0 else 4096,
        stop=(),
    )


def resolve_files(name: str, device: str = "auto") -> LocalModelFiles:
    """Registry name (optionally NAME:VARIANT) or a folder path → the files to load."""
    folder = Path(name).expanduser()
    if ("/" in name or name.startswith(".")) and folder.is_dir():
        return files_from_folder(folder)
    imported = imported_folder(name) if split_name(name)[0] not in load_registry() else None
    if imported is not None:
        return files_from_folder(imported)
    spec = get_spec(name)
    _, variant = split_name(name)
    provider = choose_provider(device)
    resolved = hub.resolve(spec, variant, "cuda" if provider == CUDA else "cpu")
    return LocalModelFiles(
        name=spec.name,
        model_path=resolved.model_path,
        tokenizer_path=resolved.tokenizer_path,
        chat_format=spec.chat_format,
        prompt_style=spec.prompt_style,
        context_length=spec.context_length,
        stop=spec.stop,
        from_registry=True,
        inputs=spec.inputs,
        position_offset=spec.position_offset,
    )


def _open(files: LocalModelFiles, device: str, threads: int) -> LocalModel:
    try:
        return LocalModel(files, device=device, threads=threads)
    except ModelError as exc:
        if not files.from_registry:
            raise
        raise ModelError(
            f"{exc}\nThe downloaded files of {files.name} look damaged: run "
            f"`rustcoder model remove {files.name}` and `rustcoder model pull {files.name}`"
        ) from exc


#: Loaded models by file, so every caller (each fix, each generation) shares one
#: session instead of reloading hundreds of megabytes; the oldest is dropped.
_LOADED: dict[tuple[str, int, str, int, str], LocalModel] = {}
_LOADED_LOCK = threading.Lock()
MAX_LOADED = 2


def load_local_model(
    name: str, device: str = "auto", threads: int = 0, reuse: bool = True
) -> LocalModel:
    """Load a pulled registry model or a model folder; ModelError says how to fix a miss."""
    files = resolve_files(name, device)
    if not reuse:
        return _open(files, device, threads)
    try:
        stamp = files.model_path.stat().st_mtime_ns
    except OSError as exc:
        raise ModelError(f"cannot read {files.model_path}: {exc}") from exc
    key = (str(files.model_path), stamp, device, threads, files.name)
    with _LOADED_LOCK:
        model = _LOADED.get(key)
        if model is None:
            model = _open(files, device, threads)
            _LOADED[key] = model
            while len(_LOADED) > MAX_LOADED:
                del _LOADED[next(iter(_LOADED))]
        return model
