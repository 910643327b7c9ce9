"""Type names and type text shared by the type-error recipes.

rustc reports types as text (`Vec<&str>`, `Option<i32>`, `{integer}`); several
groups of edit kinds read that text the same way: which types are numeric,
which are iterators or collections, what the generic arguments are, whether a
type is cheap to copy. They share these tables and helpers (the numeric type
names are in `recipes/syntax.py`) so that every group reads rustc's types alike.
"""

from __future__ import annotations

import re

from rustcoder.fix.recipes.syntax import NUMERIC, split_top

#: Iterator types as rustc prints them (`Keys<'_, K, V>`, `Map<Iter<'_, T>, F>`).
ITERATOR_TYPE = re.compile(
    r"^(?:std::[\w:]+::)?(?:Iter|IterMut|IntoIter|Keys|Values|ValuesMut|Map|Filter|FilterMap|"
    r"FlatMap|Flatten|Chars|CharIndices|Bytes|Split|SplitWhitespace|Lines|Rev|Skip|Take|"
    r"StepBy|Enumerate|Zip|Chain|Cloned|Copied|Peekable|SkipWhile|TakeWhile|Drain|"
    r"Range|RangeInclusive|Windows|Chunks)\b"
)

COLLECTION_TYPE = re.compile(
    r"^(?:Vec|VecDeque|HashMap|HashSet|BTreeMap|BTreeSet|String|BinaryHeap|Box<\[)"
)


def generic_args(type_text: str, name: str) -> list[str] | None:
    """`Option<&i32>` with name `Option` → [`&i32`]."""
    found = re.fullmatch(rf"(?:[\w:]+::)?{name}<(?P<args>.*)>", type_text.strip())
    return split_top(found.group("args")) if found else None


def is_copy_like(type_text: str) -> bool:
    return type_text in NUMERIC or type_text in ("bool", "char", "&str")


def concrete_type(type_text: str) -> str | None:
    """A type as rustc prints it, made writable in source (None when it cannot be)."""
    text = type_text.replace("{integer}", "i32").replace("{float}", "f64")
    if any(bad in text for bad in ("{", "'_", "impl ", "closure", "[async", "dyn Fn")):
        return None
    return text


STRINGISH = ("String", "&str", "&String", "str", "&&str")

SIZED = re.compile(r"^&?(?:mut )?(?:Vec<|\[|HashMap<|HashSet<|BTreeMap<|BTreeSet<|VecDeque<)")

PLACEHOLDER = re.compile(r"/\*\s*(?P<ty>[^*]*?)\s*\*/")

#: Method names people bring from other languages (or guess), and the Rust spellings.
#: `{args}` is the call's argument text; templates replace `.name(args)`.
METHOD_ALIASES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("lower", "to_lower", "toLowerCase", "lowercase", "downcase", "to_lower_case"): (
        ".to_lowercase()",
        ".to_ascii_lowercase()",
    ),
    ("upper", "to_upper", "toUpperCase", "uppercase", "upcase", "to_upper_case"): (
        ".to_uppercase()",
        ".to_ascii_uppercase()",
    ),
    ("strip", "trim_whitespace", "trim_spaces"): (".trim()",),
    ("lstrip", "trim_left", "trimStart", "ltrim"): (".trim_start()",),
    ("rstrip", "trim_right", "trimEnd", "rtrim"): (".trim_end()",),
    ("startswith", "startsWith", "begins_with", "has_prefix"): (".starts_with({args})",),
    ("endswith", "endsWith", "has_suffix"): (".ends_with({args})",),
    ("length", "size", "count", "len", "get_len", "get_size"): (".len()", ".count()"),
    ("empty", "isEmpty", "is_blank"): (".is_empty()",),
    ("char_at", "charAt", "get_char", "nth_char"): (
        ".chars().nth({args}).unwrap()",
        ".as_bytes()[{args}] as char",
    ),
    ("index_of", "indexOf", "find_index", "position_of", "index"): (
        ".find({args})",
        ".iter().position(|x| *x == {args})",
        ".find({args}).unwrap()",
        ".iter().position(|x| *x == {args}).unwrap()",
    ),
    ("reverse", "reversed"): (".chars().rev().collect::<String>()", ".iter().rev()"),
    ("add", "append", "push_back", "add_item", "add_element"): (
        ".push({args})",
        ".insert({args})",
    ),
    ("includes", "has", "contains", "has_key", "contains_key", "has_item"): (
        ".contains(&{args})",
        ".contains({args})",
        ".contains_key(&{args})",
        ".contains_key({args})",
    ),
    ("first", "peek_first"): (".iter().next()",),
    ("to_vec", "to_list", "tolist", "to_array", "as_vec", "into_vec", "collect_vec"): (
        ".collect::<Vec<_>>()",
        ".to_vec()",
    ),
    ("join", "join_with"): (".iter().map(|x| x.to_string()).collect::<Vec<_>>().join({args})",),
    ("to_int", "parse_int", "to_i32", "as_int", "to_number"): (
        ".trim().parse::<i32>().unwrap()",
        ".trim().parse::<i64>().unwrap()",
    ),
    ("to_str", "as_string", "str"): (".as_str()", ".to_string()"),
    ("put", "set", "add_entry", "put_item"): (".insert({args})",),
    ("pow", "power"): (".powi({args})", ".powf({args} as f64)", ".pow({args} as u32)"),
    ("sqrt", "cbrt", "ln", "log10", "log2", "floor", "ceil", "round", "sin", "cos", "exp"): (
        "({recv} as f64).{name}()",
    ),
}
