pub fn ok() -> u8 { "no" }
