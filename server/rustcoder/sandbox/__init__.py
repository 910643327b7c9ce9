"""Isolation for code that comes from outside: REST, MCP and crate generation.

`start_job()` makes a job dir; `run_contained()` runs one build or program
of it in the bubblewrap sandbox (where `isolation()` says one can be made)
under `Limits`; `RunQueue` admits runs. The user's own crate (flycheck,
shadow verification) is not built here: it builds with the user's rights.
"""

from rustcoder.sandbox.bwrap import Isolation, isolation
from rustcoder.sandbox.contained import BusyError, RunQueue, run_contained, start_job
from rustcoder.sandbox.job import Job
from rustcoder.sandbox.limits import BUILD_LIMITS, RUN_LIMITS, Limits, RunResult

__all__ = [
    "BUILD_LIMITS",
    "RUN_LIMITS",
    "BusyError",
    "Isolation",
    "Job",
    "Limits",
    "RunQueue",
    "RunResult",
    "isolation",
    "run_contained",
    "start_job",
]
