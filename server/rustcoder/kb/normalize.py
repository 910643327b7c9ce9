"""Abstract the parts of an error message that differ between occurrences.

"cannot find value `foo` in this scope" and "cannot find value `bar` in this
scope" are the same error: user identifiers become placeholders (`x` for
values, `T` for types), numbers become `N`, file paths `FILE`, lifetimes `'a`.
Names that carry meaning for the fix (std types, traits, keywords, primitive
types) are kept, so "expected `String`, found `&str`" stays distinguishable
from "expected `Option<T>`, found `T`".
"""

from __future__ import annotations

import re

#: Names kept as they are inside backticks: they say which fix applies.
_KEEP_WORDS = """
    self Self mut ref move dyn impl fn let const static struct enum trait type where for
    use mod pub crate super async await return break continue loop while match if else
    true false unsafe extern as in box
    bool char str u8 u16 u32 u64 u128 usize i8 i16 i32 i64 i128 isize f32 f64
    String Vec Option Some None Result Ok Err Box Rc Arc RefCell Cell Mutex RwLock HashMap
    HashSet BTreeMap BTreeSet VecDeque Cow Path PathBuf OsString Iterator IntoIterator
    Clone Copy Debug Display Default PartialEq Eq PartialOrd Ord Hash Send Sync Sized Drop
    Fn FnMut FnOnce From Into TryFrom TryInto AsRef AsMut Deref DerefMut Add Sub Mul Div
    ToString FromStr Error Future Write Read BufRead Any Unpin Pin
    println print format vec panic assert assert_eq write writeln
    std core alloc collections io fmt sync rc cell iter ops convert
"""
KEEP = frozenset(_KEEP_WORDS.split())

_BACKTICKED = re.compile(r"`([^`]*)`")
_IDENT = re.compile(r"(?<!['\w])[A-Za-z_][A-Za-z0-9_]*")
_LIFETIME = re.compile(r"'[a-z_][a-z0-9_]*\b(?!')")
_NUMBER = re.compile(r"\b\d+(?:\.\d+)?(?:[iu](?:8|16|32|64|128|size)|f32|f64)?\b")
_PATH = re.compile(r"(?:[\w.-]+/)+[\w.-]+\.rs(?::\d+)*(?::\d+)?")
_CODE_PREFIX = re.compile(r"^\s*(?:error|warning)(?:\[[A-Z]\d{4}\])?:\s*")
_SPACES = re.compile(r"\s+")


def _abstract_ident(name: str) -> str:
    if name in KEEP:
        return name
    if name[:1].isupper():
        return "T"
    return "x"


def _abstract_code(snippet: str) -> str:
    snippet = _LIFETIME.sub("'a", snippet)
    snippet = _NUMBER.sub("N", snippet)
    return _IDENT.sub(
        lambda m: m.group(0) if m.group(0) == "N" else _abstract_ident(m.group(0)), snippet
    )


def normalize_message(text: str) -> str:
    """The message with identifiers, types, paths and numbers abstracted."""
    text = _CODE_PREFIX.sub("", text.strip())
    text = _PATH.sub("FILE", text)
    text = _BACKTICKED.sub(lambda m: f"`{_abstract_code(m.group(1))}`", text)
    text = _NUMBER.sub("N", text)
    return _SPACES.sub(" ", text).strip()


_ERROR_CODE = re.compile(r"\b[Ee]\d{4}\b")


def find_code(text: str) -> str | None:
    """An error code named in free text ("E0382 ..."), upper-cased."""
    found = _ERROR_CODE.search(text)
    return found.group(0).upper() if found else None


_WORD = re.compile(r"[a-z][a-z0-9]+")
#: Words of a description that say nothing about which project it is.
_PROSE_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "to",
        "in",
        "for",
        "with",
        "from",
        "that",
        "this",
        "is",
        "are",
        "be",
        "by",
        "on",
        "or",
        "as",
        "it",
        "its",
        "into",
        "rust",
        "program",
        "crate",
        "write",
        "create",
        "make",
        "build",
        "implement",
        "using",
        "use",
        "simple",
        "small",
    ]
)


def _stem(word: str) -> str:
    """Plural and -ing forms to a common key ("shapes"/"shape", "parsing"/"parse")."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + keep
    return word


def keywords(text: str) -> str:
    """A description as the stemmed words keyword search matches (templates are found so)."""
    return " ".join(_stem(w) for w in _WORD.findall(text.lower()) if w not in _PROSE_STOP)
