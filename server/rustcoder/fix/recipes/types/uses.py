"""E0282/E0283/E0284: the type rustc could not infer, read from how the value is used.

rustc asks for an annotation where a use needs the type before a later line
would have told it: a `Vec::new()` whose pushes come after a closure reads
its items, a `parse()` whose result is returned or passed on, a closure
parameter whose type only the call site knows. The type is written in the
program already, at those later uses (a parameter's type, a field's, the
function's return type, the pushed values); `LocalTypes` reads it there and
these edit kinds write it where rustc asked: on the binding, on the `parse`
call, or on the closure parameter.
"""

from __future__ import annotations

import re
from collections import Counter

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.recipes.base import RecipeInput, edit_kind, need
from rustcoder.fix.recipes.local_types import LocalTypes, generic_args_of, strip_refs
from rustcoder.fix.recipes.syntax import Node, primary_node, text_of
from rustcoder.fix.recipes.types._syntax import viewed
from rustcoder.fix.rust_syntax import SourceFile

#: Empty collections whose element types only their later uses tell.
_EMPTY = re.compile(
    r"^(?:std::collections::)?(?P<kind>Vec|VecDeque|HashMap|HashSet|BTreeMap|BTreeSet|BinaryHeap)"
    r"(?:::<[^>]*>)?::(?:new|with_capacity|default)\(.*\)$|^vec!\[\s*\]$",
    re.S,
)
_ADD_ONE = {"push", "push_back", "push_front", "insert"}
_MAPS = ("HashMap", "BTreeMap")


def _uses(file: SourceFile, scope: Node, name: str, after: int) -> list[Node]:
    return [
        n
        for n in file.walk(scope)
        if n.type == "identifier" and n.start_byte >= after and text_of(file, n) == name
    ]


def _method_of(reader: LocalTypes, use: Node) -> tuple[str, Node] | None:
    """(method, arguments) where `use` is the receiver of `use.method(..)`."""
    parent = use.parent
    if parent is None or parent.type != "field_expression" or parent.parent is None:
        return None
    call = reader.method_call(parent.parent)
    return (call[1], call[2]) if call is not None and call[0] == use else None


def _argument_type(reader: LocalTypes, use: Node) -> str | None:
    """The declared parameter type `use` is passed as (`&use` passes the referent)."""
    node, borrowed = use, False
    if node.parent is not None and node.parent.type == "reference_expression":
        node, borrowed = node.parent, True
    arguments = node.parent
    if arguments is None or arguments.type != "arguments" or arguments.parent is None:
        return None
    index = [c.id for c in arguments.named_children].index(node.id)
    call = arguments.parent
    function = call.child_by_field_name("function")
    fns: list[Node] = []
    if function is not None and function.type == "identifier":
        fn = reader.free_function(text_of(reader.file, function))
        fns = [fn] if fn is not None else []
    elif function is not None and function.type == "scoped_identifier":
        owner = function.child_by_field_name("path")
        name = function.child_by_field_name("name")
        if owner is not None and name is not None:
            owner_text = text_of(reader.file, owner)
            if owner_text == "Self":
                owner_text = (reader.impl_type(call) or "").split("<")[0]
            fns = [f for f, _ in reader.methods(text_of(reader.file, name), owner_text)]
    elif function is not None and function.type == "field_expression":
        method = function.child_by_field_name("field")
        if method is not None:
            fns = [f for f, _ in reader.methods(text_of(reader.file, method))]
    declared = {tuple(reader.params(f)) for f in fns}
    if len(declared) != 1:
        return None
    params = next(iter(declared))
    if index >= len(params) or params[index] is None:
        return None
    param = params[index] or ""
    if not borrowed:
        return param
    if not param.startswith("&"):
        return None
    referent = strip_refs(param)
    if referent.startswith("["):
        return f"Vec<{referent[1:-1]}>"
    return "String" if referent == "str" else referent


def _in_tail(node: Node, body: Node | None) -> bool:
    """Whether `node` is what the function body evaluates to (through `if`/`match` arms)."""
    while node.parent is not None and body is not None:
        parent = node.parent
        if parent.type == "block":
            if parent.named_children[-1] != node or parent.children[-2].type == ";":
                return False
            if parent == body:
                return True
        elif parent.type in ("if_expression", "match_expression"):
            if parent.child_by_field_name("condition") == node:
                return False
            if parent.child_by_field_name("value") == node:
                return False
        elif parent.type == "expression_statement":
            if parent.children[-1].type == ";":
                return False
        elif parent.type not in ("else_clause", "match_arm", "match_block"):
            return False
        node = parent
    return False


def _returned_type(reader: LocalTypes, use: Node) -> str | None:
    """The function's return type where `use` is what it returns (or `Ok`/`Some` of it)."""
    node = use
    wrapper = None
    parent = node.parent
    if parent is not None and parent.type == "arguments" and len(parent.named_children) == 1:
        call = parent.parent
        function = call.child_by_field_name("function") if call is not None else None
        wrapper = text_of(reader.file, function) if function is not None else None
        if wrapper not in ("Ok", "Some") or call is None:
            return None
        node = call
    parent = node.parent
    fn = reader.file.enclosing(node, "function_item", "closure_expression")
    if fn is None or fn.type != "function_item":
        return None
    body = fn.child_by_field_name("body")
    if not _in_tail(node, body) and (parent is None or parent.type != "return_expression"):
        return None
    returns = reader.returns(fn, reader.impl_type(fn))
    if returns is None or wrapper is None:
        return returns
    parts = generic_args_of(returns)
    expected = {"Ok": "Result", "Some": "Option"}[wrapper]
    return parts[1][0] if parts and parts[0] == expected and parts[1] else None


def _use_type(reader: LocalTypes, use: Node) -> str | None:
    """The type one use of a binding requires of it, when the program says."""
    parent = use.parent
    if parent is None:
        return None
    for found in (_argument_type(reader, use), _returned_type(reader, use)):
        if found is not None:
            return found
    if parent.type == "shorthand_field_initializer" or (
        parent.type == "field_initializer" and parent.child_by_field_name("value") == use
    ):
        struct = reader.file.enclosing(parent, "struct_expression")
        name = struct.child_by_field_name("name") if struct is not None else None
        field = parent.child_by_field_name("field") if parent.type == "field_initializer" else use
        if name is None or field is None:
            return None
        owner = text_of(reader.file, name)
        if owner == "Self" and struct is not None:
            owner = reader.impl_type(struct) or ""
        return reader.field_type(owner, text_of(reader.file, field))
    if parent.type in ("assignment_expression", "compound_assignment_expr"):
        left = parent.child_by_field_name("left")
        if parent.child_by_field_name("right") == use and left is not None:
            return reader.type_of(left)
    if parent.type == "let_declaration" and parent.child_by_field_name("value") == use:
        type_ = parent.child_by_field_name("type")
        return text_of(reader.file, type_) if type_ is not None else None
    if parent.type == "binary_expression":
        left, right = parent.child_by_field_name("left"), parent.child_by_field_name("right")
        other = right if left == use else left
        found = reader.type_of(other) if other is not None else None
        if found is not None and other is not None and other.type == "integer_literal":
            return None  # `n > 0` says nothing about which integer
        return strip_refs(found) if found is not None else None
    if parent.type == "index_expression" and parent.named_children[-1] == use:
        return "usize"
    return None


def _entry_value(reader: LocalTypes, use: Node) -> str | None:
    """The value type of `map.entry(k).or_insert(v)` (or `.or_default()`) from `v`, or from
    what is done with the entry: `.push(x)` (a `Vec`), `.insert(x)` (a set), `+= x`."""
    entry = use.parent.parent if use.parent is not None else None
    outer = entry.parent.parent if entry is not None and entry.parent is not None else None
    call = reader.method_call(outer) if outer is not None else None
    if call is None or call[1] not in ("or_insert", "or_insert_with", "or_default"):
        return None
    assert outer is not None
    given = call[2].named_children
    if call[1] == "or_insert" and given and given[0].type != "integer_literal":
        value = reader.type_of(given[0])
        if value is not None:
            return value
    parent = outer.parent
    then = reader.method_call(parent.parent) if parent is not None and parent.parent else None
    if parent is not None and parent.type == "field_expression" and then is not None:
        items = then[2].named_children
        item = reader.type_of(items[0]) if len(items) == 1 else None
        kinds = {"push": "Vec", "push_back": "VecDeque", "insert": "HashSet"}
        return f"{kinds[then[1]]}<{item}>" if item and then[1] in kinds else None
    if parent is not None and parent.type == "unary_expression":
        assign = parent.parent
        right = assign.child_by_field_name("right") if assign is not None else None
        if assign is not None and assign.type == "compound_assignment_expr" and right is not None:
            value = reader.type_of(right)
            return strip_refs(value) if value is not None else None
    if given and given[0].type == "integer_literal":
        return reader.type_of(given[0])
    return None


def _element_type(reader: LocalTypes, kind: str, uses: list[Node]) -> str | None:
    """`Vec<T>`, `HashMap<K, V>`, … from what is pushed or inserted into the collection."""
    found: Counter[str] = Counter()
    for use in uses:
        call = _method_of(reader, use)
        if call is None:
            continue
        method, arguments = call
        args = arguments.named_children
        if method in _ADD_ONE and kind in _MAPS and len(args) == 2:
            key, value = (reader.type_of(a) for a in args)
            if key and value:
                found[f"{kind}<{key}, {value}>"] += 1
        elif (
            method in _ADD_ONE
            and kind not in _MAPS
            and len(args) == (2 if kind in ("Vec",) and method == "insert" else 1)
        ):
            item = reader.type_of(args[-1])
            if item:
                found[f"{kind}<{item}>"] += 1
        elif method == "extend" and len(args) == 1:
            item = reader.iter_item(args[0])
            if item and kind not in _MAPS:
                found[f"{kind}<{item}>"] += 1
        elif method == "entry" and kind in _MAPS and len(args) == 1:
            key = reader.type_of(args[0])
            value = _entry_value(reader, use)
            if key and value:
                found[f"{kind}<{key}, {value}>"] += 1
    return found.most_common(1)[0][0] if found else None


def binding_types(reader: LocalTypes, binding: Node) -> list[str]:
    """Types the `let` `binding` could be declared with, most likely first."""
    pattern = need(binding.child_by_field_name("pattern"))
    names = [n for n in reader.file.walk(pattern) if n.type == "identifier"]
    if len(names) != 1 or binding.child_by_field_name("type") is not None:
        return []
    name = text_of(reader.file, names[0])
    scope = need(reader.file.enclosing(binding, "block"))
    uses = _uses(reader.file, scope, name, binding.end_byte)
    found: Counter[str] = Counter()
    value = binding.child_by_field_name("value")
    empty = _EMPTY.match(text_of(reader.file, value)) if value is not None else None
    if empty is not None:
        element = _element_type(reader, empty.group("kind") or "Vec", uses)
        if element is not None:
            found[element] += 2
    for use in uses:
        required = _use_type(reader, use)
        if required is not None and "_" not in required:
            found[required] += 1
    return [t for t, _ in found.most_common(3)]


def _chain_root(reader: LocalTypes, node: Node | None) -> Node | None:
    while node is not None:
        call = reader.method_call(node) if node.type == "call_expression" else None
        if call is not None:
            node = call[0]
        elif node.type in ("reference_expression", "field_expression"):
            node = node.child_by_field_name("value")
        else:
            return node if node.type == "identifier" else None
    return None


def closure_param_types(reader: LocalTypes, closure: Node, index: int) -> tuple[list[str], Node]:
    """Types for the closure's `index`th parameter from where the closure is used, and the
    identifier at the root of the call chain that feeds it (for `Vec::new()` roots)."""
    arguments = closure.parent
    site: Node | None = None
    if arguments is not None and arguments.type == "arguments" and arguments.parent is not None:
        site = arguments.parent
    elif arguments is not None and arguments.type == "let_declaration":
        pattern = arguments.child_by_field_name("pattern")
        scope = reader.file.enclosing(arguments, "block")
        if pattern is None or scope is None:
            return [], closure
        types = []
        for use in _uses(reader.file, scope, text_of(reader.file, pattern), arguments.end_byte):
            parent = use.parent
            if parent is not None and parent.type == "call_expression":
                args = parent.child_by_field_name("arguments")
                given = args.named_children if args is not None else []
                if index < len(given):
                    types.append(reader.type_of(given[index]))
            elif parent is not None and parent.type == "arguments" and parent.parent is not None:
                site = parent.parent
        known = [t for t in types if t]
        if known:
            return list(dict.fromkeys(known)), closure
    call = reader.method_call(site) if site is not None else None
    if site is None or call is None:
        return [], closure
    root = _chain_root(reader, call[0]) or call[0]
    found = reader.closure_argument(site, index)
    return ([found] if found else []), root


def _let_of(reader: LocalTypes, identifier: Node) -> Node | None:
    """The `let` that declares the binding `identifier` refers to, when it has no type."""
    name = text_of(reader.file, identifier)
    fn = reader.file.enclosing(identifier, "function_item")
    best = None
    for node in reader.file.walk(fn) if fn is not None else []:
        if node.type != "let_declaration" or node.start_byte >= identifier.start_byte:
            continue
        pattern = node.child_by_field_name("pattern")
        found = [n for n in reader.file.walk(pattern) if n.type == "identifier"] if pattern else []
        if [text_of(reader.file, n) for n in found] == [name]:
            best = node
    return best


def _annotate(inp: RecipeInput, binding: Node, types: list[str], score: float) -> list[Candidate]:
    pattern = need(binding.child_by_field_name("pattern"))
    at = inp.file.end(pattern)
    name = text_of(inp.file, pattern).removeprefix("mut ").strip()
    return [
        inp.insert(
            f"Declare `{name}` as `{ty}` (from how it is used)", at, f": {ty}", score - i * 0.05
        )
        for i, ty in enumerate(types)
    ]


def _parse_turbofish(inp: RecipeInput, value: Node, types: list[str]) -> list[Candidate]:
    """`parse::<T>()` in the binding's value, for the types that are not containers."""
    calls = [
        n
        for n in inp.file.walk(value)
        if n.type == "field_expression"
        and text_of(inp.file, n.child_by_field_name("field")) == "parse"
        and n.parent is not None
        and n.parent.type == "call_expression"
    ]
    if len(calls) != 1:
        return []
    at = inp.file.end(calls[0])
    return [
        inp.insert(f"Parse as `{ty}`: `parse::<{ty}>()`", at, f"::<{ty}>", 0.8 - i * 0.05)
        for i, ty in enumerate(types)
        if "<" not in ty or ty.startswith("Vec<")
    ]


@edit_kind("annotate-from-uses", prepare=viewed)
def annotate_from_uses(inp: RecipeInput) -> list[Candidate]:
    """Write the type rustc asked for, as the binding's (or closure parameter's) later uses
    show it: `let mut seen: Vec<Task> = Vec::new();`, `parse::<u64>()`, `|r: &Record|`."""
    reader = LocalTypes(inp.file)
    node = primary_node(inp)
    params = node.parent
    if params is not None and params.type == "parameter":
        params = params.parent
    if params is not None and params.type == "closure_parameters" and node.type == "identifier":
        param = node if node.parent == params else need(node.parent)
        index = [c.id for c in params.named_children].index(param.id)
        closure = need(params.parent)
        types, root = closure_param_types(reader, closure, index)
        result = [
            inp.insert(
                f"Declare the closure parameter `{text_of(inp.file, node)}` as `{ty}`",
                inp.file.end(node),
                f": {ty}",
                0.75,
            )
            for ty in types
            if node.parent == params
        ]
        binding = _let_of(reader, root) if root is not None and root.type == "identifier" else None
        if binding is not None:
            result += _annotate(inp, binding, binding_types(reader, binding), 0.8)
        return result
    binding = need(inp.enclosing("let_declaration"))
    types = binding_types(reader, binding)
    value = binding.child_by_field_name("value")
    result = _parse_turbofish(inp, value, types) if value is not None else []
    return result + _annotate(inp, binding, types, 0.78)


@edit_kind("turbofish-from-target", prepare=viewed)
def turbofish_from_target(inp: RecipeInput) -> list[Candidate]:
    """`parse()` inside a chain whose result is declared: `let total: u64 = ….sum()` tells
    `parse::<u64>()`; `let v: Vec<f64> = ….collect()` tells `parse::<f64>()`."""
    node = primary_node(inp)
    field = need(inp.file.enclosing(node, "field_expression"))
    if text_of(inp.file, field.child_by_field_name("field")) != "parse":
        return []
    binding = need(inp.file.enclosing(field, "let_declaration"))
    declared = text_of(inp.file, need(binding.child_by_field_name("type")))
    value = text_of(inp.file, need(binding.child_by_field_name("value")))
    ty = None
    if re.search(r"\.(?:sum|product)\(\)\s*$", value):
        ty = declared
    elif re.search(r"\.collect\(\)\s*$", value):
        parts = generic_args_of(declared)
        ty = parts[1][0] if parts and parts[1] else None
    ty = need(ty)
    if "_" in ty:
        return []
    return [
        inp.insert(f"Parse as `{ty}`: `parse::<{ty}>()`", inp.file.end(field), f"::<{ty}>", 0.8)
    ]
