pub fn shout(name: &str) -> &str {
    let loud = name.to_uppercase();
    &loud
}
