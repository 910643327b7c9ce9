"""A small, local type reader: the type of an expression from what the file declares.

Several fixes need a type that rustc could not tell them: the element a
`Vec::new()` receives through its pushes, the type a `parse()` result is
passed as, the argument types of a constructor that was never written. The
answer is usually written somewhere nearby: a parameter's declared type, a
struct's field, a function's return type, a literal. This reader follows
those (bindings before the expression, `for` loops over typed collections,
method and function return types in the same file) and answers `None`
whenever it is not sure; the caller proposes nothing then. It is not rustc's
inference and does not try to be: every candidate built from it is compiled.
"""

from __future__ import annotations

import re

from rustcoder.fix.recipes.syntax import Node, split_top, text_of
from rustcoder.fix.rust_syntax import SourceFile

_STRING_METHODS = {
    "to_string",
    "to_owned",
    "to_uppercase",
    "to_lowercase",
    "to_ascii_uppercase",
    "to_ascii_lowercase",
    "repeat",
    "replace",
    "trim_matches",
    "join",
    "concat",
}
_USIZE_METHODS = {"len", "count", "capacity"}
_BOOL_METHODS = {"is_empty", "contains", "contains_key", "starts_with", "ends_with", "is_some"}
_SAME_METHODS = {"clone", "abs", "min", "max", "pow", "sqrt", "round", "floor", "ceil"}
_STRING_MACROS = {"format"}
#: Iterator adapters that pass each item on unchanged.
_PASS = {"filter", "skip", "take", "rev", "skip_while", "take_while", "peekable", "inspect"}
#: What an adapter's closure receives: the item itself, or a reference to it.
_ITEM_PARAM = {"map", "for_each", "filter_map", "flat_map", "any", "all", "position", "find_map"}
_REF_PARAM = {"filter", "find", "take_while", "skip_while", "max_by_key", "min_by_key"}
_REF_BOTH = {"max_by", "min_by"}
#: Slice methods whose closure receives `&T` for a `Vec<T>`.
SLICE_REF = {"sort_by", "sort_by_key", "sort_unstable_by", "sort_unstable_by_key", "retain"}


def strip_refs(type_text: str) -> str:
    """`&mut &T` → `T`."""
    return re.sub(r"^(?:&(?:'\w+\s+)?(?:mut\s+)?)+", "", type_text.strip()).strip()


def generic_args_of(type_text: str) -> tuple[str, list[str]] | None:
    """`Vec<u8>` → (`Vec`, [`u8`]); `std::collections::HashMap<K, V>` → (`HashMap`, …)."""
    found = re.fullmatch(r"(?:[\w:]+::)?(\w+)\s*<(.*)>", type_text.strip(), re.S)
    if found is None:
        return None
    return found.group(1), split_top(found.group(2))


def item_type(type_text: str, how: str = "ref") -> str | None:
    """The item a `for` loop (or `.iter()`) over a value of `type_text` yields.

    `how`: "ref" (`&v`, `.iter()`), "mut" (`&mut v`, `.iter_mut()`), "own" (`v`,
    `.into_iter()`). References in `type_text` itself turn "own" into "ref".
    """
    text = type_text.strip()
    if text.startswith("&mut "):
        how = "mut" if how == "own" else how
    elif text.startswith("&"):
        how = "ref" if how == "own" else how
    bare = strip_refs(text)
    slice_ = re.fullmatch(r"\[(.*)\]", bare)
    parts = generic_args_of(bare)
    if slice_ is not None:
        inner = slice_.group(1).split(";")[0].strip()
    elif parts is not None and parts[0] in ("Vec", "VecDeque", "HashSet", "BTreeSet", "Option"):
        inner = parts[1][0]
    elif parts is not None and parts[0] in ("HashMap", "BTreeMap") and len(parts[1]) == 2:
        key, value = parts[1]
        if how == "own":
            return f"({key}, {value})"
        return f"(&{key}, &{'mut ' if how == 'mut' else ''}{value})"
    else:
        return None
    return {"own": inner, "ref": f"&{inner}", "mut": f"&mut {inner}"}[how]


def literal_type(file: SourceFile, node: Node) -> str | None:
    """The type of a literal (unsuffixed integers as `i32`, floats as `f64`, like rustc)."""
    text = text_of(file, node)
    if node.type == "integer_literal":
        suffix = re.search(r"([iu](?:8|16|32|64|128|size))$", text)
        return suffix.group(1) if suffix else "i32"
    if node.type == "float_literal":
        return "f32" if text.endswith("f32") else "f64"
    if node.type in ("string_literal", "raw_string_literal"):
        return "&str"
    if node.type == "char_literal":
        return "char"
    if node.type == "boolean_literal":
        return "bool"
    return None


class LocalTypes:
    """Reads the types of expressions in one file (see the module's docstring)."""

    def __init__(self, file: SourceFile) -> None:
        self.file = file
        self._depth = 0
        self._fns: list[tuple[str, Node, str]] | None = None

    # --- declarations -------------------------------------------------------------

    def type_def(self, name: str) -> Node | None:
        return self.file.type_definition(name)

    def field_type(self, owner: str, field: str) -> str | None:
        """The declared type of `owner`'s field `field` (a struct of this file)."""
        node = self.type_def(strip_refs(owner).split("<")[0])
        if node is None:
            return None
        return dict(self.file.struct_fields(node)).get(field)

    def methods(self, name: str, owner: str | None = None) -> list[tuple[Node, str]]:
        """(fn item, type of the impl it is in) of every fn `name` in an impl of the file."""
        return [
            (item, impl_type)
            for fn_name, item, impl_type in self._impl_fns()
            if fn_name == name and (owner is None or impl_type == owner)
        ]

    def impl_fns_of(self, owner: str) -> list[tuple[Node, str]]:
        """(fn item, impl type) of every fn in the impl blocks of `owner`."""
        return [(item, impl_type) for _, item, impl_type in self._impl_fns() if impl_type == owner]

    def _impl_fns(self) -> list[tuple[str, Node, str]]:
        """(name, fn item, impl type) of every fn in an impl block, read once per reader."""
        if self._fns is None:
            self._fns = []
            for node in self.file.walk():
                if node.type != "impl_item":
                    continue
                impl_type = text_of(self.file, node.child_by_field_name("type")).split("<")[0]
                body = node.child_by_field_name("body")
                for item in body.named_children if body is not None else []:
                    ident = item.child_by_field_name("name")
                    if item.type == "function_item" and ident is not None:
                        self._fns.append((text_of(self.file, ident), item, impl_type))
        return self._fns

    def free_function(self, name: str) -> Node | None:
        """A top-level (or module-level) fn named `name`, not a method."""
        for node in self.file.walk():
            if node.type != "function_item":
                continue
            ident = node.child_by_field_name("name")
            container = node.parent.parent if node.parent is not None else None
            in_impl = container is not None and container.type in ("impl_item", "trait_item")
            if ident is not None and text_of(self.file, ident) == name and not in_impl:
                return node
        return None

    def returns(self, fn: Node, self_type: str | None = None) -> str | None:
        ret = fn.child_by_field_name("return_type")
        if ret is None:
            return "()"
        text = text_of(self.file, ret)
        if self_type is not None:
            text = re.sub(r"\bSelf\b", self_type, text)
        return None if "impl " in text or re.search(r"\bSelf\b", text) else text

    def params(self, fn: Node) -> list[str | None]:
        """The declared types of a fn's parameters, `self` left out."""
        node = fn.child_by_field_name("parameters")
        result: list[str | None] = []
        for param in node.named_children if node is not None else []:
            if param.type == "parameter":
                type_ = param.child_by_field_name("type")
                result.append(text_of(self.file, type_) if type_ is not None else None)
        return result

    def impl_type(self, node: Node) -> str | None:
        """The type of the impl block around `node` (what `Self` and `self` are)."""
        impl = self.file.enclosing(node, "impl_item")
        if impl is None:
            return None
        return text_of(self.file, impl.child_by_field_name("type")) or None

    # --- bindings -----------------------------------------------------------------

    def binding_type(self, name: str, at: Node) -> str | None:
        """The type of the binding `name` visible at `at`: the nearest declaration before it."""
        fn = self.file.enclosing(at, "function_item")
        if fn is None:
            return None
        if name == "self":
            owner = self.impl_type(fn)
            param = fn.child_by_field_name("parameters")
            self_param = next(
                (p for p in (param.named_children if param else []) if p.type == "self_parameter"),
                None,
            )
            if owner is None or self_param is None:
                return None
            text = text_of(self.file, self_param)
            return f"&mut {owner}" if "&mut" in text else (f"&{owner}" if "&" in text else owner)
        best: tuple[int, str | None] | None = None
        limit = at.start_byte
        for node in self.file.walk(fn):
            if node.start_byte >= limit:
                continue
            found = self._declares(node, name, at)
            if found is not None and (best is None or node.start_byte >= best[0]):
                best = (node.start_byte, found[0])
        return best[1] if best is not None else None

    def _declares(self, node: Node, name: str, at: Node) -> tuple[str | None] | None:
        """(type,) when `node` declares `name` in scope at `at` (type None if unknown)."""
        if node.type == "parameter":
            pattern, type_ = node.child_by_field_name("pattern"), node.child_by_field_name("type")
            if pattern is not None and _names(self.file, pattern) == [name]:
                return (text_of(self.file, type_) if type_ is not None else None,)
            return None
        if node.type == "let_declaration":
            pattern = node.child_by_field_name("pattern")
            if pattern is None or name not in _names(self.file, pattern):
                return None
            if node.end_byte > at.start_byte:
                return None
            type_ = node.child_by_field_name("type")
            if pattern.type == "identifier" or (
                pattern.type == "mut_pattern" and _names(self.file, pattern) == [name]
            ):
                if type_ is not None:
                    return (text_of(self.file, type_),)
                value = node.child_by_field_name("value")
                return (self.type_of(value) if value is not None else None,)
            return (None,)
        if node.type == "for_expression":
            pattern, value = node.child_by_field_name("pattern"), node.child_by_field_name("value")
            body = node.child_by_field_name("body")
            if pattern is None or value is None or body is None:
                return None
            if not (body.start_byte <= at.start_byte < body.end_byte):
                return None
            if name not in _names(self.file, pattern):
                return None
            item = self.iter_item(value)
            return (self._destructure(pattern, item, name) if item is not None else None,)
        if node.type == "closure_parameters":
            closure = node.parent
            if closure is None or not (closure.start_byte <= at.start_byte < closure.end_byte):
                return None
            for index, param in enumerate(node.named_children):
                type_ = param.child_by_field_name("type") if param.type == "parameter" else None
                pattern = param.child_by_field_name("pattern") if type_ is not None else param
                if pattern is None or _names(self.file, pattern) != [name]:
                    continue
                if type_ is not None:
                    return (text_of(self.file, type_),)
                site = closure.parent
                if site is None or site.type != "arguments" or site.parent is None:
                    return (None,)
                return (self.closure_argument(site.parent, index),)
        return None

    def chain_item(self, receiver: Node) -> str | None:
        """The item type of the iterator chain `receiver` (through `filter`, `enumerate`…)."""
        call = self.method_call(receiver)
        if call is None:
            return self.iter_item(receiver)
        inner, method, _ = call
        if method in _PASS:
            return self.chain_item(inner)
        if method == "enumerate":
            item = self.chain_item(inner)
            return f"(usize, {item})" if item else None
        if method in ("cloned", "copied"):
            item = self.chain_item(inner)
            return strip_refs(item) if item else None
        return self.iter_item(receiver)

    def closure_argument(self, call: Node, index: int) -> str | None:
        """The type of parameter `index` of a closure passed to the method call `call`."""
        found = self.method_call(call)
        if found is None:
            return None
        receiver, method, _ = found
        if method in SLICE_REF:
            owner = self.type_of(receiver)
            parts = generic_args_of(strip_refs(owner)) if owner else None
            if parts is None or parts[0] not in ("Vec", "VecDeque") or not parts[1]:
                return None
            return f"&{parts[1][0]}"
        item = self.chain_item(receiver)
        if item is None:
            return None
        if method in _ITEM_PARAM or (method == "fold" and index == 1):
            return item
        if method in _REF_PARAM or method in _REF_BOTH:
            return f"&{item}"
        return None

    def _destructure(self, pattern: Node, type_text: str, name: str) -> str | None:
        """The type `name` gets when `pattern` matches a value of `type_text`."""
        if pattern.type == "identifier":
            return type_text if text_of(self.file, pattern) == name else None
        if pattern.type == "mut_pattern":
            return self._destructure(pattern.named_children[-1], type_text, name)
        if pattern.type == "reference_pattern" and type_text.startswith("&"):
            inner = pattern.named_children[-1] if pattern.named_children else None
            return self._destructure(inner, strip_refs(type_text), name) if inner else None
        if pattern.type == "tuple_pattern":
            by_ref = re.match(r"^&(?:mut )?", type_text)
            bare = strip_refs(type_text)
            if not (bare.startswith("(") and bare.endswith(")")):
                return None
            parts = split_top(bare[1:-1])
            elements = pattern.named_children
            if len(parts) != len(elements):
                return None
            for element, part in zip(elements, parts, strict=True):
                if name in _names(self.file, element):
                    part = f"{by_ref.group(0)}{part}" if by_ref else part
                    return self._destructure(element, part, name)
        return None

    # --- expressions --------------------------------------------------------------

    def iter_item(self, node: Node) -> str | None:
        """The item type of iterating over the expression `node`."""
        if node.type == "reference_expression":
            value = node.child_by_field_name("value")
            inner = self.type_of(value) if value is not None else None
            mutable = any(c.type == "mutable_specifier" for c in node.children)
            return item_type(inner, "mut" if mutable else "ref") if inner else None
        if node.type == "range_expression":
            ends = [self.type_of(c) for c in node.named_children]
            known = [t for t in ends if t is not None and t != "i32"]
            return strip_refs(known[0]) if known else "i32"
        call = self.method_call(node)
        if call is not None:
            receiver, method, _ = call
            how = {"iter": "ref", "iter_mut": "mut", "into_iter": "own", "drain": "own"}.get(method)
            if how is not None:
                inner = self.type_of(receiver)
                return item_type(inner, how) if inner else None
            if method in ("enumerate",):
                inner_item = self.iter_item(receiver)
                return f"(usize, {inner_item})" if inner_item else None
            if method in ("keys", "values", "values_mut"):
                inner = self.type_of(receiver)
                parts = generic_args_of(strip_refs(inner)) if inner else None
                if parts is None or len(parts[1]) != 2:
                    return None
                key_type, value_type = parts[1]
                by_method = {"keys": f"&{key_type}", "values": f"&{value_type}"}
                return by_method.get(method, f"&mut {value_type}")
            if method in ("chars",):
                return "char"
            if method in ("lines", "split_whitespace", "split"):
                return "&str"
            return None
        inner = self.type_of(node)
        return item_type(inner, "own") if inner else None

    def method_call(self, node: Node) -> tuple[Node, str, Node] | None:
        """(receiver, method name, arguments) of `receiver.method(..)`."""
        if node.type != "call_expression":
            return None
        function, arguments = (
            node.child_by_field_name("function"),
            node.child_by_field_name("arguments"),
        )
        if function is not None and function.type == "generic_function":
            function = function.child_by_field_name("function")
        if function is None or arguments is None or function.type != "field_expression":
            return None
        receiver, field = (
            function.child_by_field_name("value"),
            function.child_by_field_name("field"),
        )
        if receiver is None or field is None:
            return None
        return receiver, text_of(self.file, field), arguments

    def type_of(self, node: Node | None) -> str | None:
        """The type of the expression `node`, or None when this reader cannot tell."""
        if node is None or self._depth > 12:
            return None
        self._depth += 1
        try:
            found = self._type_of(node)
        finally:
            self._depth -= 1
        if found is None or "_" in re.findall(r"\b_\b", found) or "{" in found:
            return None
        return found

    def _type_of(self, node: Node) -> str | None:
        literal = literal_type(self.file, node)
        if literal is not None:
            return literal
        kind = node.type
        if kind == "parenthesized_expression" and node.named_children:
            return self.type_of(node.named_children[0])
        if kind in ("identifier", "self"):
            return self.binding_type(text_of(self.file, node), node)
        if kind == "reference_expression":
            inner = self.type_of(node.child_by_field_name("value"))
            mutable = any(c.type == "mutable_specifier" for c in node.children)
            return f"&{'mut ' if mutable else ''}{inner}" if inner else None
        if kind == "unary_expression" and node.named_children:
            inner = self.type_of(node.named_children[0])
            operator = text_of(self.file, node)[:1]
            if operator == "*":
                return strip_refs(inner) if inner and inner.startswith("&") else None
            return "bool" if operator == "!" else inner
        if kind == "type_cast_expression":
            type_ = node.child_by_field_name("type")
            return text_of(self.file, type_) if type_ is not None else None
        if kind == "struct_expression":
            name = node.child_by_field_name("name")
            text = text_of(self.file, name) if name is not None else ""
            return self.impl_type(node) if text == "Self" else (text or None)
        if kind == "tuple_expression":
            parts = [self.type_of(c) for c in node.named_children]
            if not parts or any(p is None for p in parts):
                return None
            return f"({', '.join(p for p in parts if p)})"
        if kind == "field_expression":
            owner = self.type_of(node.child_by_field_name("value"))
            field_name = text_of(self.file, node.child_by_field_name("field"))
            if owner is None or not field_name:
                return None
            if field_name.isdigit():
                bare = strip_refs(owner)
                elements = split_top(bare[1:-1]) if bare.startswith("(") else []
                return elements[int(field_name)] if int(field_name) < len(elements) else None
            return self.field_type(owner, field_name)
        if kind == "binary_expression":
            return self._binary(node)
        if kind == "macro_invocation":
            macro = text_of(self.file, node.child_by_field_name("macro"))
            return "String" if macro in _STRING_MACROS else None
        if kind == "call_expression":
            return self._call(node)
        if kind == "index_expression" and node.named_children:
            inner = self.type_of(node.named_children[0])
            item = item_type(inner, "own") if inner else None
            return strip_refs(item) if item else None
        return None

    def _binary(self, node: Node) -> str | None:
        operator = node.child_by_field_name("operator")
        op = operator.type if operator is not None else ""
        if op in ("==", "!=", "<", ">", "<=", ">=", "&&", "||"):
            return "bool"
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        sides = [self.type_of(s) for s in (left, right) if s is not None]
        typed = [strip_refs(s) for s in sides if s is not None]
        # A literal operand adapts to the other side: prefer the declared one.
        unliteral = [
            t
            for s, t in zip((left, right), typed, strict=False)
            if s is not None and literal_type(self.file, s) is None
        ]
        if op == "+" and typed and typed[0] == "String":
            return "String"
        return (unliteral or typed or [None])[0]  # type: ignore[list-item]

    def _call(self, node: Node) -> str | None:
        function = node.child_by_field_name("function")
        if function is None:
            return None
        method_call = self.method_call(node)
        if method_call is not None:
            return self._method_type(*method_call)
        path = text_of(self.file, function)
        if function.type == "identifier":
            fn = self.free_function(path)
            if fn is None and path in _STRING_MACROS:
                return "String"  # `format!(..)` seen as a call (recipes view macro arguments so)
            return self.returns(fn) if fn is not None else None
        if function.type == "scoped_identifier":
            owner_node = function.child_by_field_name("path")
            name_node = function.child_by_field_name("name")
            owner = text_of(self.file, owner_node).split("::<")[0] if owner_node else ""
            name = text_of(self.file, name_node) if name_node else ""
            if owner == "Self":
                owner = (self.impl_type(node) or "").split("<")[0]
            if owner == "String" and name in ("new", "from", "with_capacity", "from_utf8_lossy"):
                return "String"
            found = self.methods(name, owner)
            if len(found) == 1:
                return self.returns(found[0][0], owner)
        return None

    def _method_type(self, receiver: Node, method: str, arguments: Node) -> str | None:
        if method in _STRING_METHODS:
            return "String"
        if method in _USIZE_METHODS:
            return "usize"
        if method in _BOOL_METHODS:
            return "bool"
        call = arguments.parent
        function = call.child_by_field_name("function") if call is not None else None
        turbofish = function.child_by_field_name("type_arguments") if function else None
        if turbofish is not None and method in ("sum", "product", "collect"):
            named = turbofish.named_children
            return text_of(self.file, named[0]) if len(named) == 1 else None
        if method == "fold" and arguments.named_children:
            return self.type_of(arguments.named_children[0])
        inner = self.type_of(receiver)
        if inner is None:
            return None
        bare = strip_refs(inner)
        if method in _SAME_METHODS:
            return "String" if bare == "str" else bare
        wrapped = generic_args_of(bare)
        unwrapping = method in ("unwrap", "expect", "unwrap_or_default", "unwrap_or")
        if unwrapping and wrapped and wrapped[0] in ("Option", "Result") and wrapped[1]:
            return wrapped[1][0]
        if method in ("cloned", "copied") and wrapped and wrapped[0] == "Option":
            return f"Option<{strip_refs(wrapped[1][0])}>"
        if method in ("get", "first", "last") and wrapped:
            item = item_type(bare, "ref")
            if wrapped[0] in ("HashMap", "BTreeMap") and len(wrapped[1]) == 2:
                item = f"&{wrapped[1][1]}"
            return f"Option<{item}>" if item else None
        found = self.methods(method, bare.split("<")[0])
        if len(found) == 1:
            return self.returns(found[0][0], bare)
        return None


def _names(file: SourceFile, pattern: Node) -> list[str]:
    """The names a pattern binds (not the paths it matches: `Some`, `Kind::A`)."""
    if pattern.type == "identifier":
        return [text_of(file, pattern)]
    names: list[str] = []
    for node in file.walk(pattern):
        parent = node.parent
        if node.type == "shorthand_field_identifier":
            names.append(text_of(file, node))
        elif node.type == "identifier" and parent is not None:
            if parent.type == "scoped_identifier" or parent.child_by_field_name("type") == node:
                continue
            names.append(text_of(file, node))
    return names
