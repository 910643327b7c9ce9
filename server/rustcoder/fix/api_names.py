"""What a name-resolution error is about, and how close a real item comes to it.

rustc's messages name the missing item and where it was looked for
(`no method named `push_all` found for struct `Vec<i32>``); these helpers
turn them into a query (the name, the type or module) and score the real
items of the API index against it: name similarity with a few synonyms
models swap (`create`/`new`, `push`/`append`), argument count and shape at
the call site, and the first doc line. Pure functions: no I/O here.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

#: Verbs and nouns language models swap for one another; a shared group counts as a word match.
SYNONYMS: tuple[frozenset[str], ...] = tuple(
    frozenset(g.split())
    for g in (
        "push append add extend insert put",
        "remove delete erase drop pop",
        "len length size count",
        "new create make build init construct",
        "str string text",
        "contains has includes",
        "find search position index locate",
        "secs seconds sec",
        "millis milliseconds ms",
        "mins minutes",
        "lines line read",
        "update insert set replace",
        "join concat",
        "sleep wait delay",
        "parse from_str decode",
        "exit quit terminate",
        "sort order",
        "begin start first",
        "end stop last finish",
    )
)
_GLUE = frozenset(
    ["from", "to", "into", "as", "with", "try", "get", "is", "by", "of", "and", "or", "all", "the"]
)


@dataclass(frozen=True)
class Query:
    """A missing name and where rustc looked for it."""

    code: str
    name: str
    #: "method" (called with `.`), "assoc" (`Type::name`), "item" (`module::name`),
    #: "module" (a path segment), "import", "type", "field", "struct_field", "private".
    kind: str
    #: The type (`Vec`, `chrono::Duration`) or module path (`serde_json`, `std::fs`), if any.
    scope: str = ""


_MESSAGES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "method",
        re.compile(r"^no method named `(?P<name>\w+)` found for (?:[\w ]+ )?`(?P<scope>.+)`"),
    ),
    (
        "assoc",
        re.compile(
            r"^no (?:function|variant|associated item|function or associated item|variant or "
            r"associated item) named `(?P<name>\w+)` found for (?:[\w ]+ )?`(?P<scope>.+?)`"
        ),
    ),
    (
        "item",
        re.compile(
            r"^cannot find (?:function|value|unit struct|tuple struct or tuple variant|"
            r"function, tuple struct or tuple variant|macro|constant|struct, variant or union type)"
            r" `(?P<name>\w+)` in (?:crate|module) `(?P<scope>[\w:]+)`"
        ),
    ),
    (
        "type",
        re.compile(
            r"^cannot find (?:type|trait|struct|derive macro|attribute macro) `(?P<name>\w+)` in "
            r"(?:crate|module) `(?P<scope>[\w:]+)`"
        ),
    ),
    (
        "module",
        re.compile(
            r"^(?:failed to resolve: )?(?:could not find|cannot find) `(?P<name>\w+)` in "
            r"`(?P<scope>[\w:]+)`"
        ),
    ),
    ("import", re.compile(r"^unresolved import `(?P<scope>[\w:]+)::(?P<name>\w+)`")),
    ("private", re.compile(r"^\w+ `(?P<name>\w+)` is private")),
    ("field", re.compile(r"^no field `(?P<name>\w+)` on type `(?P<scope>.+)`")),
    (
        "struct_field",
        re.compile(r"^(?:struct|variant) `(?P<scope>.+?)` has no field named `(?P<name>\w+)`"),
    ),
)


def parse_query(code: str | None, message: str) -> Query | None:
    for kind, pattern in _MESSAGES:
        m = pattern.match(message)
        if m is not None:
            scope = m.groupdict().get("scope") or ""
            return Query(code or "", m.group("name"), kind, scope)
    return None


def type_name(written: str) -> str:
    """`&mut Vec<i32>` -> `Vec`, `std::slice::Iter<'_, T>` -> `std::slice::Iter`, `&[u8]` ->
    `slice`, `&str` -> `str`: the owner as the index knows it."""
    text = written.strip()
    while text.startswith(("&", "mut ", "'")):
        text = re.sub(r"^&|^mut\s+|^'\w+\s+", "", text).strip()
    if text.startswith("["):
        return "array" if ";" in text else "slice"
    return re.sub(r"<.*", "", text, flags=re.S).strip()


def words(name: str) -> list[str]:
    return [w.lower() for w in re.split(r"_|(?<=[a-z0-9])(?=[A-Z])", name) if w]


def _related(a: str, b: str) -> bool:
    if a == b or (len(a) >= 3 and len(b) >= 3 and a[:3] == b[:3]):
        return True
    return any(a in g and b in g for g in SYNONYMS)


def word_score(query: str, candidate: str, doc: str = "") -> float:
    """0..1: how many of the query's content words the candidate's name (or doc) carries."""
    q = [w for w in words(query) if w not in _GLUE] or words(query)
    c = [w for w in words(candidate) if w not in _GLUE] or words(candidate)
    d = [w.lower() for w in re.findall(r"[A-Za-z]+", doc)]
    if not q:
        return 0.0
    in_name = sum(1 for w in q if any(_related(w, x) for x in c))
    in_doc = sum(1 for w in q if any(_related(w, x) for x in d if len(x) > 2))
    return (in_name + 0.4 * max(0, in_doc - in_name)) / max(len(q), len(c))


#: Leading words that say which way a conversion goes: `to_str` is not `from_str`.
_DIRECTION = {"to": "out", "into": "out", "as": "out", "from": "in", "parse": "in"}


def name_score(query: str, candidate: str, doc: str = "") -> float:
    """0..1.1: edit similarity or shared words, whichever is higher, with edit similarity
    and the direction word (`to_`/`from_`) breaking ties."""
    if query == candidate:
        return 1.1
    ratio = difflib.SequenceMatcher(None, query.lower(), candidate.lower()).ratio()
    score = max(ratio, 0.1 + 0.8 * word_score(query, candidate, doc)) + 0.05 * ratio
    q_dir = _DIRECTION.get(words(query)[0] if words(query) else "")
    c_dir = _DIRECTION.get(words(candidate)[0] if words(candidate) else "")
    if q_dir and c_dir:
        score += 0.05 if q_dir == c_dir else -0.2
    return score


def split_top(text: str) -> list[str]:
    """Comma-separated parts at bracket depth 0."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch in "([{<":
            depth += 1
        elif ch in ")]}>" and depth:
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur.strip())
    return parts


def params(signature: str) -> list[str] | None:
    """The parameter types of a fn signature, `self` left out; None when it has none."""
    m = re.search(r"\bfn\s+\w+\s*(?:<[^()]*>)?\s*\(", signature)
    if m is None:
        return None
    depth, i = 1, m.end()
    while i < len(signature) and depth:
        depth += {"(": 1, ")": -1}.get(signature[i], 0)
        i += 1
    inner = signature[m.end() : i - 1]
    out = []
    for part in split_top(inner):
        if re.match(r"^(&\s*('\w+\s+)?)?(mut\s+)?self\b", part):
            continue
        out.append(part.split(":", 1)[1].strip() if ":" in part else part)
    return out


def call_args(text: str, offset: int) -> list[str] | None:
    """The arguments of a call whose `(` follows `offset` (turbofish skipped); None if no call."""
    rest = text[offset:]
    m = re.match(r"\s*(?:::\s*<[^()]*>)?\s*\(", rest)
    if m is None:
        return None
    depth, i = 1, m.end()
    while i < len(rest) and depth:
        depth += {"(": 1, ")": -1, "[": 1, "]": -1, "{": 1, "}": -1}.get(rest[i], 0)
        i += 1
    return split_top(rest[m.end() : i - 1])


def arg_fit(args: list[str], types: list[str]) -> float:
    """-0.4..0.3: the call's arity and literal shapes against the parameter types."""
    if len(args) != len(types):
        return -0.4
    score = 0.15
    for arg, ty in zip(args, types, strict=True):
        if arg.startswith('"') or arg.startswith('r"'):
            score += 0.05 if re.search(r"str|Path|AsRef|\bP\b|Into<String>|Pattern", ty) else -0.1
        elif re.match(r"^&\s*(\[|vec!)", arg):
            score += 0.1 if "[" in ty else -0.05
        elif re.match(r"^-?\d[\d_]*$", arg):
            score += 0.05 if re.search(r"\b[iu](8|16|32|64|128|size)\b|\bT\b", ty) else -0.1
    return min(score, 0.3)


_PATH_CHARS = re.compile(r"[\w:]")


def path_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The `a::b::c` path text that contains [start, end)."""
    lo, hi = start, end
    while lo > 0 and _PATH_CHARS.match(text[lo - 1]):
        lo -= 1
    while hi < len(text) and _PATH_CHARS.match(text[hi]):
        hi += 1
    while text[lo:hi].startswith(":"):
        lo += 1
    while text[lo:hi].endswith(":"):
        hi -= 1
    return lo, hi
