use std::collections::HashMap;

/// Lower-cased words with surrounding punctuation removed.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase())
        .filter(|w| !w.is_empty())
}

fn frequencies(text: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for word in words(text) {
        *counts.entry(word).or_insert(0) += 1;
    }
    counts
}

fn top_words(text: &str, n: usize) -> Vec<(String, usize)> {
    let mut pairs: Vec<(String, usize)> = frequencies(text).into_iter().collect();
    pairs.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    pairs.truncate(n);
    pairs
}

fn main() {
    let text = "The cat sat. The cat ran! A dog sat, the end.";
    for (word, count) in top_words(text, 3) {
        println!("{word}: {count}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_punctuation_and_case() {
        let counts = frequencies("Hello, hello! HELLO?");
        assert_eq!(counts.get("hello"), Some(&3));
    }

    #[test]
    fn top_words_break_ties_alphabetically() {
        let top = top_words("b a c a b", 2);
        assert_eq!(top, vec![("a".to_string(), 2), ("b".to_string(), 2)]);
    }
}
