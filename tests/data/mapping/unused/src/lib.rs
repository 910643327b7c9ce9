use std::collections::HashMap;

fn helper() -> u32 {
    7
}

pub fn run() -> u32 {
    let mut total = 1;
    let unused = 2;
    total
}
