"""The toolchain's installed documentation, and the shipped base that indexes it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rustcoder.docs.index import DocIndex
from rustcoder.docs.passages import docs_root
from rustcoder.kb import locate
from rustcoder.kb.store import KbStore


@pytest.fixture(scope="session")
def html_root() -> Path:
    root = docs_root()
    if root is None:
        pytest.skip("the toolchain's docs are not installed (rustup component add rust-docs)")
    return root


@pytest.fixture(scope="session")
def shipped_index(html_root: Path) -> Iterator[DocIndex]:
    """The repo's kb.sqlite, built by the test set-up with `rustcoder kb build`."""
    store = KbStore.open(locate.base_path(), readonly=True)
    yield DocIndex(store.conn)
    store.close()
