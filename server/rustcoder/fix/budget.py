"""Time budgets of a fix run: for the whole run and for each error.

A crate with fifty errors must not keep `rustcoder fix` busy for an hour, and
one error whose every candidate takes a slow build must not eat the time of
the others. The run budget stops new work (the run then ends with the best
state it reached); an error over its budget is not tried again.
"""

from __future__ import annotations

import time
from collections.abc import Hashable
from dataclasses import dataclass, field


@dataclass
class Budget:
    run_seconds: float
    error_seconds: float
    started: float = field(default_factory=time.monotonic)
    spent: dict[Hashable, float] = field(default_factory=dict)

    def remaining(self) -> float:
        return self.run_seconds - (time.monotonic() - self.started)

    @property
    def run_over(self) -> bool:
        return self.remaining() <= 0

    def error_remaining(self, error: Hashable) -> float:
        return self.error_seconds - self.spent.get(error, 0.0)

    def error_over(self, error: Hashable) -> bool:
        return self.error_remaining(error) <= 0

    def limit_for(self, error: Hashable) -> float:
        """Seconds one attempt at this error may take: its own budget within the run's."""
        return max(0.0, min(self.remaining(), self.error_remaining(error)))

    def charge(self, errors: list[Hashable], seconds: float) -> None:
        """Time spent on these errors together, shared out evenly."""
        for error in errors:
            self.spent[error] = self.spent.get(error, 0.0) + seconds / max(1, len(errors))
