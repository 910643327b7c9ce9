"""Recipes for ownership errors the `borrow` family leaves: aliasing `&mut`
(E0499, E0503), borrows held across a change (E0502, E0505, E0506), values
that die too early (E0597, E0716, E0515), closures and threads that outlive
what they borrow (E0373, E0521), moves out of places (E0382, E0507), and `&`
references that are written through (E0596, E0594).

rustc's own help for these is often a note without an edit (E0499's
`split_at_mut`, E0597, E0521, a partial move) or an edit that cannot compile
alone (`&mut` in a signature whose callers pass `&x`). These edit kinds
propose the usual rewrites; every candidate is compiled before it is offered,
and a kind proposes nothing where its rewrite could change what the program
does (a reordering past a read, a lookup repeated after the collection
changed).

The edit kinds are grouped by the error they answer: `aliasing` (two `&mut`),
`live_borrows` (a borrow alive across a change), `lifetimes` (values that die
too early), `moves` (closures and moves out of places) and `mutability`
(`&` written through); `_common` holds the syntax helpers they share.
Importing this package registers every edit kind.
"""

from rustcoder.fix.recipes.ownership import (
    aliasing,
    lifetimes,
    live_borrows,
    moves,
    mutability,
    reborrow,
)

__all__ = ["aliasing", "lifetimes", "live_borrows", "moves", "mutability", "reborrow"]
