"""The escape probes' tests, the same through every surface (REST, MCP, generate).

A surface's module defines a module-scoped `runs` fixture (every probe run
once through that surface, with what each left behind) and a class
`TestX(EscapeChecks)`; the class gives each probe its own test.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.sandbox.conftest import (
    RESOURCE_PROBES,
    TAGGED_PROBES,
    Aftermath,
    assert_contained,
    assert_resource_probe,
)
from tests.sandbox.probes import probe_results

Runs = dict[str, tuple[dict[str, Any], Aftermath]]


class EscapeChecks:
    #: The reply field saying the crate built.
    built = "build_success"

    @pytest.mark.parametrize("probe", TAGGED_PROBES)
    def test_probe_does_not_escape(self, runs: Runs, probe: str) -> None:
        body, _ = runs["escape"]
        assert body[self.built], body["build_output"]
        result = probe_results(body["run_output"]).get(probe)
        assert result is not None, body["run_output"]
        assert not result.startswith("ESCAPED"), result

    def test_escape_probes_left_nothing_outside(self, runs: Runs) -> None:
        assert_contained(runs["escape"][1])

    @pytest.mark.parametrize("probe", RESOURCE_PROBES)
    def test_resource_probe_is_contained(self, runs: Runs, probe: str) -> None:
        body, after = runs[probe]
        assert body[self.built], body["build_output"]
        assert_resource_probe(probe, after, body["run_output"])
