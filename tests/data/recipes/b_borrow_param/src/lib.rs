fn word_count(text: String) -> usize {
    text.split_whitespace().count()
}

pub fn summary(text: String) -> String {
    let words = word_count(text);
    format!("{} words in {} bytes", words, text.len())
}
