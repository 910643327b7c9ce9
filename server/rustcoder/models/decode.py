"""Our own decode loop on onnxruntime: prefill, then one token at a time with the KV cache.

Generation stops on a stop token id, a stop string in the decoded text, max
tokens, the context length, a cancelled token or the wall-clock limit; the
finish reason says which. Text is streamed as it becomes final: an incomplete
UTF-8 sequence or the possible start of a stop string is held back.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from rustcoder.models.backend import CancelToken, GenerationParams, ModelError
from rustcoder.models.onnx_runtime import CUDA, DecoderSession
from rustcoder.models.shared_kv import SharedKVCache

#: Room left for the reply when a prompt must fit the context (tokens).
MIN_REPLY_TOKENS = 16
#: Prompt tokens per prefill run (see Decoder.prefill_chunk).
PREFILL_CHUNK = 256


class Sampler:
    """Greedy at temperature 0, else temperature + top-p (nucleus) sampling with a seed."""

    def __init__(self, temperature: float = 0.0, top_p: float = 1.0, seed: int | None = None):
        if temperature < 0:
            raise ModelError(f"temperature must be >= 0, not {temperature}")
        if not 0 < top_p <= 1:
            raise ModelError(f"top_p must be in (0, 1], not {top_p}")
        self.temperature = temperature
        self.top_p = top_p
        self.rng = np.random.default_rng(seed)

    def __call__(self, logits: np.ndarray) -> int:
        if self.temperature == 0:
            # Greedy in one pass over the model's own floats: argmax returns the first
            # NaN if there is one, and with a finite best there is no NaN or +inf, so
            # this is the pick below (float32 → float64 is exact) without its copies.
            best = int(np.argmax(logits))
            if np.isfinite(logits[best]):
                return best
        logits = logits.astype(np.float64)
        if not np.isfinite(logits).all():
            # A broken or overflowing model: NaN never wins, +inf is a certain pick.
            logits = np.nan_to_num(logits, nan=-np.inf, posinf=1e30, neginf=-np.inf)
            if not np.isfinite(logits).any():
                raise ModelError("the model produced no usable scores (all NaN or -inf)")
        if self.temperature == 0:
            return int(np.argmax(logits))
        scaled = logits / self.temperature
        scaled -= scaled.max()
        probs = np.exp(scaled)
        probs /= probs.sum()
        if self.top_p < 1.0:
            order = np.argsort(-probs, kind="stable")
            cumulative = np.cumsum(probs[order])
            keep = int(np.searchsorted(cumulative, self.top_p) + 1)
            chosen = order[:keep]
            p = probs[chosen] / probs[chosen].sum()
            return int(chosen[self.rng.choice(len(chosen), p=p)])
        return int(self.rng.choice(len(probs), p=probs))


class IncrementalDetokenizer:
    """Turns a growing list of token ids into text pieces.

    Decoding token by token breaks multi-byte characters split across byte-level
    tokens and the spacing rules of some decoders, so we decode a short window and
    emit only the part that grew, holding back a trailing replacement character.
    """

    def __init__(self, decode: Callable[[list[int]], str]):
        self._decode = decode
        self.ids: list[int] = []
        self._prefix = 0
        self._read = 0

    def add(self, token_id: int) -> str:
        self.ids.append(token_id)
        prefix_text = self._decode(self.ids[self._prefix : self._read])
        new_text = self._decode(self.ids[self._prefix :])
        if len(new_text) > len(prefix_text) and not new_text.endswith("\ufffd"):
            self._prefix, self._read = self._read, len(self.ids)
            return new_text[len(prefix_text) :]
        return ""

    def flush(self) -> str:
        """Whatever is still held back (e.g. an incomplete character at the very end)."""
        prefix_text = self._decode(self.ids[self._prefix : self._read])
        new_text = self._decode(self.ids[self._prefix :])
        self._prefix = self._read = len(self.ids)
        return new_text[len(prefix_text) :]


class StopMatcher:
    """Cuts the text at the first stop string; holds back what may become one."""

    def __init__(self, stops: Iterable[str]):
        self.stops = [s for s in stops if s]
        self.text = ""
        self._emitted = 0
        self.stopped = False

    def feed(self, piece: str) -> str:
        self.text += piece
        if not self.stops:
            out = self.text[self._emitted :]
            self._emitted = len(self.text)
            return out
        longest = max(len(s) for s in self.stops)
        start = max(0, self._emitted - longest + 1)
        hits = [i for i in (self.text.find(s, start) for s in self.stops) if i >= 0]
        if hits:
            cut = min(hits)
            out = self.text[self._emitted : cut]
            self.text = self.text[:cut]
            self._emitted = cut
            self.stopped = True
            return out
        hold = 0
        for s in self.stops:
            for k in range(min(len(s) - 1, len(self.text)), hold, -1):
                if self.text.endswith(s[:k]):
                    hold = k
                    break
        end = max(self._emitted, len(self.text) - hold)
        out = self.text[self._emitted : end]
        self._emitted = end
        return out

    def flush(self) -> str:
        out = self.text[self._emitted :]
        self._emitted = len(self.text)
        return out


@dataclass
class Generation:
    """One generation: iterate for text pieces; afterwards the fields tell how it ended."""

    pieces: Iterator[str]
    prompt_tokens: int
    completion_tokens: int = 0
    finish_reason: str = ""
    token_ids: list[int] = field(default_factory=list)
    #: Seconds spent in the prefill and in the incremental steps (for benchmarks).
    prefill_s: float = 0.0
    decode_s: float = 0.0

    def __iter__(self) -> Iterator[str]:
        return self.pieces

    def text(self) -> str:
        return "".join(self.pieces)


class Decoder:
    """Runs one decoder session; batch size 1 (one request at a time per call)."""

    def __init__(
        self, model: DecoderSession, prefill_chunk: int = PREFILL_CHUNK, position_offset: int = 0
    ):
        self.model = model
        self.layout = model.layout
        #: The position_ids value of the first token (1 for Gemma 3, else 0).
        self.position_offset = position_offset
        #: Where the KV cache lives between steps.
        self.device = "cuda" if model.provider == CUDA else "cpu"
        #: Long prompts are read this many tokens per run, so cancellation and the
        #: time limit are honoured during the prefill too; 0 reads them in one run.
        self.prefill_chunk = prefill_chunk

    def _empty_past(self) -> list[np.ndarray]:
        shape = (1, self.layout.kv_heads, 0, self.layout.head_dim)
        empty = np.zeros(shape, dtype=self.layout.kv_dtype)
        return [empty] * (2 * self.layout.num_layers)

    def forward(
        self,
        ids: Sequence[int],
        past: list[Any] | None,
        past_len: int,
        shared: SharedKVCache | None = None,
    ) -> tuple[np.ndarray, list[Any]]:
        """Run the model on `ids` after `past_len` cached positions: last logits, new cache.

        The cache stays in onnxruntime's own buffers (OrtValues bound through
        IOBinding) on the provider's device, so on a GPU it never travels to the
        host and back between steps; only the logits are copied out. With `shared`
        past and present are its buffers, written in place, and the logits returned
        are its buffer, overwritten by the next step.
        """
        lay = self.layout
        first_position = past_len + self.position_offset
        session = self.model.session
        try:
            if shared is not None and len(ids) == 1:
                return shared.step(ids[0], past_len, first_position), shared.buffers
            feed = lay.feed(ids, past_len, first_position)
            if shared is not None:
                return shared.run(feed, len(ids)), shared.buffers
            names = [name for pair in lay.past_names for name in pair]
            binding = session.io_binding()
            for name, value in feed.items():
                binding.bind_cpu_input(name, value)
            if past is None:
                empty = self._empty_past()
                for name, value in zip(names, empty, strict=True):
                    binding.bind_cpu_input(name, value)
            else:
                for name, value in zip(names, past, strict=True):
                    binding.bind_ortvalue_input(name, value)
            binding.bind_output("logits", "cpu")
            for name in (name for pair in lay.present_names for name in pair):
                binding.bind_output(name, self.device)
            session.run_with_iobinding(binding)
            outputs = binding.get_outputs()
            logits = outputs[0].numpy()[0, -1].astype(np.float32)
        except Exception as exc:  # onnxruntime's own error types
            raise ModelError(f"the model failed to run: {exc}") from exc
        return logits, list(outputs[1:])

    def tokens(
        self,
        prompt_ids: Sequence[int],
        max_new_tokens: int,
        sampler: Sampler,
        stop_ids: frozenset[int] = frozenset(),
        use_cache: bool = True,
        should_stop: Callable[[], str | None] = lambda: None,
        timings: Generation | None = None,
    ) -> Iterator[int]:
        """Token ids after the prompt, including the stop token that ends them.

        `use_cache=False` recomputes the whole sequence each step (empty past);
        it exists as the reference the cached loop must match.
        """
        if not prompt_ids:
            raise ModelError("empty prompt")
        ids = list(prompt_ids)
        past: list[Any] | None = None
        past_len = 0
        feed_ids = ids
        shared = None
        if use_cache and self.layout.shared_kv_buffer:
            shared = SharedKVCache(self.model, len(ids) + max_new_tokens, self.device)
        for step in range(max_new_tokens):
            if step > 0 and should_stop() is not None:
                return
            started = time.perf_counter()
            if use_cache and step == 0:
                prefilled = self._prefill(ids, should_stop, shared)
                if prefilled is None:
                    return
                logits, past = prefilled
                past_len = len(ids)
            elif use_cache:
                logits, past = self.forward(feed_ids, past, past_len, shared)
                past_len += len(feed_ids)
            else:
                logits, _ = self.forward(ids, None, 0)
            if timings is not None:
                elapsed = time.perf_counter() - started
                if step == 0:
                    timings.prefill_s += elapsed
                else:
                    timings.decode_s += elapsed
            token = sampler(logits)
            ids.append(token)
            feed_ids = [token]
            yield token
            if token in stop_ids:
                return

    def _prefill(
        self,
        ids: list[int],
        should_stop: Callable[[], str | None],
        shared: SharedKVCache | None = None,
    ) -> tuple[np.ndarray, list[Any]] | None:
        """Read the prompt into the cache, chunk by chunk; None when stopped meanwhile."""
        chunk = self.prefill_chunk if self.prefill_chunk > 0 else len(ids)
        past: list[Any] | None = None
        done = 0
        while True:
            piece = ids[done : done + chunk]
            try:
                logits, past = self.forward(piece, past, done, shared)
            except ModelError:
                if done == 0:
                    raise
                # Some fused-attention exports take several new tokens only without a
                # past: read the whole prompt at once from now on.
                self.prefill_chunk = 0
                return self.forward(ids, None, 0, shared)
            done += len(piece)
            if done >= len(ids):
                return logits, past
            if should_stop() is not None:
                return None

    def generate(
        self,
        prompt_ids: Sequence[int],
        params: GenerationParams,
        decode: Callable[[list[int]], str],
        *,
        context_length: int,
        stop_ids: frozenset[int] = frozenset(),
        stop_strings: Sequence[str] = (),
        cancel: CancelToken | None = None,
        truncate_left: bool = False,
    ) -> Generation:
        """Start a generation; the returned object streams text when iterated."""
        prompt = list(prompt_ids)
        if params.max_tokens < 1:
            raise ModelError(f"max_tokens must be at least 1, not {params.max_tokens}")
        room = context_length - len(prompt)
        if room < min(MIN_REPLY_TOKENS, params.max_tokens):
            if not truncate_left:
                raise ModelError(
                    f"the prompt is {len(prompt)} tokens and the model's context "
                    f"{context_length}, leaving {max(room, 0)} tokens for the reply: "
                    "shorten the prompt"
                )
            keep = max(1, context_length - min(params.max_tokens, context_length // 2))
            prompt = prompt[-keep:]
            room = context_length - len(prompt)
        sampler = Sampler(params.temperature, params.top_p, params.seed)
        generation = Generation(pieces=iter(()), prompt_tokens=len(prompt))
        deadline = time.monotonic() + params.timeout_s
        max_new = min(params.max_tokens, room)

        def should_stop() -> str | None:
            if cancel is not None and cancel.cancelled:
                return "cancelled"
            if time.monotonic() > deadline:
                return "timeout"
            return None

        def pieces() -> Iterator[str]:
            if (reason := should_stop()) is not None:
                generation.finish_reason = reason
                return
            detok = IncrementalDetokenizer(decode)
            matcher = StopMatcher(stop_strings)
            for token in self.tokens(
                prompt, max_new, sampler, stop_ids, should_stop=should_stop, timings=generation
            ):
                generation.token_ids.append(token)
                generation.completion_tokens += 1
                if token in stop_ids:
                    generation.finish_reason = "stop"
                    break
                out = matcher.feed(detok.add(token))
                if out:
                    yield out
                if matcher.stopped:
                    generation.finish_reason = "stop"
                    return
            if not generation.finish_reason:
                done = generation.completion_tokens >= max_new
                generation.finish_reason = "length" if done else (should_stop() or "length")
            out = matcher.feed(detok.flush())
            if matcher.stopped:
                generation.finish_reason = "stop"
            out += matcher.flush() if not matcher.stopped else ""
            if out:
                yield out

        generation.pieces = pieces()
        return generation
