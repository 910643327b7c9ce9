"""Fix recipes: structured edits applied to the code at a diagnostic.

Each family (a module or package) registers its edit kinds with
`base.edit_kind`; `syntax` is the toolkit they share. Every module of this
package is loaded by `load_all`.
"""

from __future__ import annotations

import importlib
import pkgutil


def load_all() -> None:
    for module in pkgutil.iter_modules(__path__):
        if module.name != "base":
            importlib.import_module(f"{__name__}.{module.name}")
