"""Hybrid search on the real base: paraphrased messages with other identifiers find their recipe."""

from __future__ import annotations

import json

import numpy as np
import pytest

from rustcoder.kb.builder import BuildReport
from rustcoder.kb.knowledge_base import KnowledgeBase
from rustcoder.kb.normalize import find_code, normalize_message
from rustcoder.kb.store import KbStore
from rustcoder.kb.vector_index import EXACT_LIMIT, VectorIndex
from rustcoder.models.embedder import DIM, Embedder
from tests.kb.conftest import run_cli

# (message as a user might paste or paraphrase it, its code or None, acceptable recipe ids).
# Written for this test with identifiers of its own, not copied from the recipes' examples.
QUERIES: list[tuple[str, str | None, tuple[str, ...]]] = [
    (
        "cannot borrow `counter` as mutable, as it is not declared as mutable",
        "E0596",
        ("E0596-add-mut-binding",),
    ),
    (
        "can't borrow local variable `totals` mutably because it isn't mut",
        None,
        ("E0596-add-mut-binding",),
    ),
    (
        "cannot borrow `self.entries` as mutable, as it is behind a `&` reference",
        "E0596",
        ("E0596-mut-self", "E0596-mut-ref-param"),
    ),
    (
        "borrow of moved value: `settings`",
        "E0382",
        (
            "E0382-mem-take",
            "E0382-borrow-param",
            "E0382-option-as-ref",
            "E0382-partial-move-borrow",
        ),
    ),
    (
        "value `packet` used here after it was moved",
        None,
        ("E0382-mem-take", "E0382-borrow-param", "E0382-partial-move-borrow"),
    ),
    ("cannot move out of index of `Vec<Ticket>`", "E0507", ("E0507-index-take",)),
    (
        "cannot move out of `self.buffer` which is behind a mutable reference",
        "E0507",
        ("E0507-take",),
    ),
    ("cannot return reference to local variable `joined`", "E0515", ("E0515-return-owned",)),
    (
        "returns a value referencing data owned by the current function",
        None,
        ("E0515-return-owned",),
    ),
    (
        "cannot find type `BTreeSet` in this scope",
        "E0412",
        ("E0433-import-std", "E0425-import-crate-item"),
    ),
    ("failed to resolve: use of undeclared type `HashMap`", "E0433", ("E0433-import-std",)),
    ("function `compute_hash` is private", "E0603", ("E0603-make-item-pub",)),
    ("field `secret` of struct `Vault` is private", "E0616", ("E0616-make-field-pub",)),
    ("method `recalc` is private", "E0624", ("E0624-make-method-pub",)),
    (
        "missing fields `port` and `host` in initializer of `ServerConfig`",
        "E0063",
        ("E0063-default-fields", "E0063-struct-update-default"),
    ),
    (
        "struct literal for `Options` lacks the fields `verbose`, `depth`",
        "E0063",
        ("E0063-default-fields", "E0063-struct-update-default"),
    ),
    (
        "non-exhaustive patterns: `Shape::Triangle` not covered",
        "E0004",
        ("E0004-add-missing-arms", "E0004-wildcard-arm"),
    ),
    (
        "match does not cover every variant of the enum: `Color::Blue` missing",
        None,
        ("E0004-add-missing-arms", "E0004-wildcard-arm"),
    ),
    (
        "missing lifetime specifier in struct field holding `&str`",
        "E0106",
        (
            "E0106-struct-lifetime",
            "E0106-owned-field",
            "E0106-lifetime-in-field-type",
            "E0106-owned-return",
        ),
    ),
    (
        "call to unsafe function `read_raw` is unsafe and requires unsafe block",
        "E0133",
        ("E0133-unsafe-block",),
    ),
    ("used binding `score` isn't initialized", "E0381", ("E0381-init-binding",)),
    ("type parameter `Unit` is never used", "E0392", ("E0392-phantom-data",)),
    (
        "`await` is only allowed inside `async` functions and blocks",
        "E0728",
        ("E0728-make-fn-async",),
    ),
    (
        "cannot borrow `grid` as mutable more than once at a time",
        "E0499",
        (
            "E0499-slice-swap",
            "E0499-split-at-mut",
            "E0499-use-existing-borrow",
            "E0499-inline-lookup",
            "E0499-index-loop",
        ),
    ),
    ("`line` does not live long enough", "E0597", ("E0597-store-owned", "E0597-hoist-binding")),
    ("temporary value dropped while borrowed", "E0716", ("E0716-bind-temporary",)),
    (
        "closure may outlive the current function, but it borrows `tally`, "
        "which is owned by the current function",
        "E0373",
        ("E0373-clone-into-thread",),
    ),
    ("the trait bound `Invoice: Clone` is not satisfied", "E0277", ("E0277-derive-trait",)),
    ("`Matrix` doesn't implement `Debug`", "E0277", ("E0277-derive-debug",)),
    (
        "binary operation `==` cannot be applied to type `Token`",
        "E0369",
        ("E0369-derive-partialeq",),
    ),
    (
        "no method named `clone` found for struct `Sprite` in the current scope",
        "E0599",
        ("E0599-derive-method",),
    ),
    (
        "`Celsius` doesn't implement `std::fmt::Display`",
        "E0277",
        ("E0277-display-as-debug", "E0599-impl-display"),
    ),
    (
        "the `?` operator can only be used in a function that returns `Result` or `Option`",
        "E0277",
        ("E0277-question-mark-unit-fn",),
    ),
    ("using ? inside main which returns unit", None, ("E0277-question-mark-unit-fn",)),
    ("not all trait items implemented, missing: `area`", "E0046", ("E0046-missing-trait-items",)),
    (
        "method `render` is not a member of trait `Widget`",
        "E0407",
        ("E0407-move-to-inherent-impl",),
    ),
    ("expected `u64`, found `Option<u64>`", "E0308", ("E0308-unwrap-option",)),
    ("mismatched types: expected `i64`, found `u8`", "E0308", ("E0308-numeric-as-cast",)),
    ("type annotations needed for collect", "E0282", ("E0282-collect-turbofish",)),
    ("the type `str` cannot be indexed by `{integer}`", "E0277", ("E0277-string-index",)),
    (
        "this function takes 3 arguments but 2 arguments were supplied",
        "E0061",
        ("E0061-argument-count",),
    ),
    ("cannot apply unary operator `-` to type `u32`", "E0600", ("E0600-unary-operator",)),
    ("non-primitive cast: `Meters` as `f64`", "E0605", ("E0605-non-primitive-cast",)),
    ("the trait `Copy` cannot be implemented for this type", "E0204", ("E0204-drop-copy",)),
]


@pytest.mark.parametrize(("query", "code", "wanted"), QUERIES, ids=[q[0][:40] for q in QUERIES])
def test_paraphrased_message_finds_its_recipe_in_the_top_3(
    kb: KnowledgeBase, query: str, code: str | None, wanted: tuple[str, ...]
) -> None:
    result = kb.search(query, code, limit=10)
    top3 = [h.id for h in result.hits[:3]]
    assert any(i in wanted for i in top3), f"{query!r}: top 3 were {top3}"
    best = next(h for h in result.hits if h.id in wanted)
    assert best.kind == "recipe" and best.score > 0
    assert best.details["edit_kind"] and isinstance(best.details["params"], dict)


def test_query_table_is_big_enough() -> None:
    assert len(QUERIES) >= 30
    assert len({q for q, _, _ in QUERIES}) == len(QUERIES)


def test_identifiers_do_not_matter(embedder: Embedder) -> None:
    a = normalize_message("cannot find value `foo` in this scope")
    b = normalize_message("cannot find value `bar_baz` in this scope")
    assert a == b == "cannot find value `x` in this scope"
    assert normalize_message("the trait bound `Point: Clone` is not satisfied") == (
        "the trait bound `T: Clone` is not satisfied"
    )
    # Types that decide the fix are kept; numbers and paths are abstracted.
    assert normalize_message("expected `String`, found `&str`") == "expected `String`, found `&str`"
    assert normalize_message("takes 2 arguments but 3 were supplied at src/lib.rs:4:9") == (
        "takes N arguments but N were supplied at FILE"
    )
    va, vb, vc = embedder.embed(
        [a, b, normalize_message("mismatched types: expected `u8`, found `String`")]
    )
    assert float(va @ vb) > 0.999
    assert float(va @ vc) < 0.8
    assert find_code("error[e0382]: borrow of moved value") == "E0382"


def test_results_carry_explanation_and_scores(kb: KnowledgeBase) -> None:
    result = kb.search("borrow of moved value: `reading`", "E0382")
    assert result.code == "E0382"
    assert "moved" in result.explanation
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)
    kinds = {h.kind for h in result.hits}
    assert {"recipe", "code"} <= kinds
    code_hit = next(h for h in result.hits if h.kind == "code")
    assert code_hit.id == "E0382" and code_hit.excerpt


def test_code_filter_keeps_only_that_code(kb: KnowledgeBase) -> None:
    result = kb.search("something went wrong with a reference", "E0499", filter_code=True)
    assert result.hits
    for hit in result.hits:
        codes = hit.details.get("codes", [hit.code])
        assert "E0499" in codes


def test_code_boost_changes_the_ranking(kb: KnowledgeBase) -> None:
    text = "cannot borrow `slots` as mutable"
    plain = kb.search(text, limit=10)
    boosted = kb.search(text, "E0499", limit=10)
    assert boosted.hits[0].code == "E0499"
    assert [h.id for h in plain.hits] != [h.id for h in boosted.hits]


def test_in_memory_index_agrees_with_vec0(built_kb: BuildReport, embedder: Embedder) -> None:
    store = KbStore.open(built_kb.path, readonly=True)
    for text in ("use of moved value", "missing lifetime specifier", "unresolved import"):
        query = embedder.embed_one(normalize_message(text))
        ours = store.knn(query, 5)
        theirs = store.knn_vec0(query, 20)
        # Same similarities in the same order; equal texts tie, so ids may swap within a tie.
        assert np.allclose([s for _, s in ours], [s for _, s in theirs[:5]], atol=1e-4)
        assert {i for i, _ in ours} <= {i for i, _ in theirs}


def test_large_index_uses_bit_shortlist_and_still_finds_neighbours() -> None:
    rng = np.random.default_rng(7)
    n = EXACT_LIMIT + 15_000
    vectors = rng.standard_normal((n, DIM)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = VectorIndex()
    index.add(np.arange(1, n + 1), vectors)
    hits = 0
    for row in rng.choice(n, 50, replace=False):
        query = vectors[row] + 0.3 * rng.standard_normal(DIM).astype(np.float32) / np.sqrt(DIM)
        query /= np.linalg.norm(query)
        ids, sims = index.search(query.astype(np.float32), 5)
        exact = int(np.argmax(vectors @ query)) + 1
        hits += int(ids[0] == exact)
        assert list(sims) == sorted(sims, reverse=True)
    assert hits >= 48
    # Restricted to some rows, only those come back.
    allowed = np.arange(0, n, 2)
    ids, _ = index.search(vectors[10], 10, allowed)
    assert all((i - 1) % 2 == 0 for i in ids)


def test_cli_search_json(built_kb: BuildReport, tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {"RUSTCODER_USER_KB": str(tmp_path / "user.sqlite")}
    rc, out, err = run_cli(
        "kb", "--kb", str(built_kb.path), "search", "use of moved value: `cursor`",
        "--code", "E0382", "--json", "--limit", "3", env=env,
    )  # fmt: skip
    assert rc == 0, err
    data = json.loads(out)
    assert data["code"] == "E0382" and len(data["hits"]) == 3
    assert data["hits"][0]["code"] == "E0382"
    rc, out, _ = run_cli("kb", "--kb", str(built_kb.path), "search", "use of moved value", env=env)
    assert rc == 0 and "[recipe] E0382" in out
