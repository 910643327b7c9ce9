"""rustcoder: a Rust language server that offers compile-verified quick fixes."""

__version__ = "0.1.0"
