"""A tokenizers `tokenizer.json` rebuilt from a GGUF file's own vocabulary and merges.

GGUF keeps the tokens, their types and the BPE merges (or SentencePiece scores)
plus the name of the pre-tokenizer; this module maps them back onto a Hugging
Face `tokenizers` pipeline, so an imported model needs no file from the hub.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rustcoder.models.backend import ModelError

#: llama.cpp token types (gguf.TokenType): 3 control, 4 user-defined, 6 byte.
CONTROL, USER_DEFINED = 3, 4

_LLAMA3_SPLIT = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"
    r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)
_QWEN2_SPLIT = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}"
    r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)
#: `tokenizer.ggml.pre` values of byte-level BPE models → how the text is split first.
PRE_TOKENIZERS = {
    "smollm": "digits+gpt2",
    "gpt-2": "gpt2",
    "default": "gpt2",
    "llama-bpe": "llama3",
    "llama3": "llama3",
    "qwen2": "qwen2",
}


def _field(meta: dict[str, Any], key: str) -> Any:
    if key not in meta:
        raise ModelError(f"the GGUF file has no {key} (no tokenizer inside it)")
    return meta[key]


def _pre_tokenizer(kind: str) -> Any:
    from tokenizers import Regex, pre_tokenizers

    if kind == "gpt2":
        return pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    if kind == "digits+gpt2":
        return pre_tokenizers.Sequence(
            [
                pre_tokenizers.Digits(individual_digits=True),
                pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
            ]
        )
    pattern = _LLAMA3_SPLIT if kind == "llama3" else _QWEN2_SPLIT
    return pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(Regex(pattern), behavior="isolated", invert=False),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ]
    )


def _byte_level_bpe(meta: dict[str, Any], tokens: list[str]) -> Any:
    from tokenizers import Tokenizer, decoders, models

    pre = str(meta.get("tokenizer.ggml.pre", "default"))
    if pre not in PRE_TOKENIZERS:
        raise ModelError(
            f"the GGUF tokenizer's pre-tokenizer {pre!r} is not supported "
            f"(supported: {', '.join(sorted(PRE_TOKENIZERS))})"
        )
    merges: list[tuple[str, str]] = []
    for m in _field(meta, "tokenizer.ggml.merges"):
        left, _, right = str(m).partition(" ")
        merges.append((left, right))
    vocab = {tok: i for i, tok in enumerate(tokens)}
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges, unk_token=None))
    tok.pre_tokenizer = _pre_tokenizer(PRE_TOKENIZERS[pre])
    tok.decoder = decoders.ByteLevel()
    return tok


def spm_merges(
    tokens: Sequence[str], scores: Sequence[float], types: Sequence[int]
) -> list[tuple[str, str]]:
    """BPE merges of a SentencePiece vocabulary: a piece's score ranks the merge making it.

    The same derivation as transformers' SentencePieceExtractor, without sentencepiece.
    """
    vocab = {t: i for i, t in enumerate(tokens)}
    found: list[tuple[float, int, int, str, str]] = []
    for piece, score, kind in zip(tokens, scores, types, strict=True):
        if kind != 1 or len(piece) < 2:
            continue
        for cut in range(1, len(piece)):
            left, right = piece[:cut], piece[cut:]
            if left in vocab and right in vocab:
                found.append((-score, vocab[left], vocab[right], left, right))
    found.sort()
    return [(left, right) for _, _, _, left, right in found]


def _sentencepiece_bpe(meta: dict[str, Any], tokens: list[str], types: list[int]) -> Any:
    from tokenizers import Tokenizer, decoders, models, normalizers

    scores = [float(s) for s in _field(meta, "tokenizer.ggml.scores")]
    unk_id = int(meta.get("tokenizer.ggml.unknown_token_id", 0))
    vocab = {tok: i for i, tok in enumerate(tokens)}
    tok = Tokenizer(
        models.BPE(
            vocab=vocab,
            merges=spm_merges(tokens, scores, types),
            unk_token=tokens[unk_id],
            byte_fallback=True,
            fuse_unk=True,
        )
    )
    steps: list[Any] = [normalizers.Replace(" ", "\u2581")]
    if bool(meta.get("tokenizer.ggml.add_space_prefix", True)):
        steps.insert(0, normalizers.Prepend("\u2581"))
    tok.normalizer = normalizers.Sequence(steps)
    decode: list[Any] = [decoders.Replace("\u2581", " "), decoders.ByteFallback(), decoders.Fuse()]
    if bool(meta.get("tokenizer.ggml.add_space_prefix", True)):
        decode.append(decoders.Strip(content=" ", left=1, right=0))
    tok.decoder = decoders.Sequence(decode)
    return tok


def build_tokenizer(meta: dict[str, Any]) -> Any:
    """A `tokenizers.Tokenizer` equal to the one the GGUF file describes."""
    from tokenizers import AddedToken

    model = str(meta.get("tokenizer.ggml.model", ""))
    tokens = [str(t) for t in _field(meta, "tokenizer.ggml.tokens")]
    types = [int(t) for t in meta.get("tokenizer.ggml.token_type", [1] * len(tokens))]
    if model == "gpt2":
        tok = _byte_level_bpe(meta, tokens)
    elif model == "llama":
        tok = _sentencepiece_bpe(meta, tokens, types)
    else:
        raise ModelError(
            f"the GGUF tokenizer model {model!r} is not supported (gpt2 byte-level BPE "
            "or llama SentencePiece)"
        )
    added = [
        AddedToken(t, special=kind == CONTROL, normalized=False)
        for t, kind in zip(tokens, types, strict=True)
        if kind in (CONTROL, USER_DEFINED)
    ]
    tok.add_special_tokens([a for a in added if a.special])
    tok.add_tokens([a for a in added if not a.special])
    return tok
