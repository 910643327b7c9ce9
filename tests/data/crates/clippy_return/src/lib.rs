//! Builds cleanly under `cargo check`; `cargo clippy` warns about the `return`.

pub fn answer() -> u32 {
    return 42;
}
