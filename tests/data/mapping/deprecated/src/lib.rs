#[deprecated(since = "0.1.0", note = "use `new_api` instead")]
pub fn old_api() -> u32 {
    1
}

pub fn caller() -> u32 {
    old_api()
}
