"""The toolchain's own documentation (rustup's `rust-docs`) as searchable passages.

The books, the Reference, the Cargo book and the std API pages ship offline with
every rustup toolchain; chunked into passages with their local links, they
answer learn-Rust questions (`rustcoder ask`) and ground model prompts.
"""
