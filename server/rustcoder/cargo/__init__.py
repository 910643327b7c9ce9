"""Running cargo/rustc and turning their JSON output into LSP terms."""
