pub fn shout(text: &str) -> String {
    text.to_uppercase()
}

pub fn greet(name: String) -> String {
    shout(name)
}
