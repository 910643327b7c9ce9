"""The REST API: Rust Coder-compatible endpoints over the shared code service."""
