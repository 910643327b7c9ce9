use std::ops::Range;

fn main() {
    let window = Range { begin: 2, end: 8 };
    println!("{}", window.len());
}
