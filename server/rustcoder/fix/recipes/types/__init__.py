"""Recipes for type errors: mismatches, conversions, inference, casts, lookups.

rustc explains most type errors well but often leaves the edit to the user
(no suggestion, or one with placeholders that cannot be applied). These edit
kinds propose the usual repairs: unwrap or `?` an `Option`, convert between
`String` and `&str`, cast between numeric types, name the type a generic call
should produce, call `.iter()` before an iterator adapter, and so on. Several
alternatives per error are fine: every candidate is compiled before it is
offered, so verification picks the one that fits.

The edit kinds are grouped by the kind of mistake, one module per group;
importing this package imports every module, which registers its edit kinds.
`_syntax` and `_common` hold what several groups share.
"""

from rustcoder.fix.recipes.types import (  # noqa: F401  (imported to register edit kinds)
    casts,
    generics,
    inference,
    iterators,
    lookups,
    methods,
    mismatch,
    related,
    uses,
)
