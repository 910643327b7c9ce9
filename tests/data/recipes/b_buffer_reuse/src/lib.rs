/// Groups lines into paragraphs separated by blank lines.
pub fn paragraphs(text: &str) -> Vec<Vec<String>> {
    let mut result = Vec::new();
    let mut current = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                result.push(current);
                current.clear();
            }
        } else {
            current.push(line.to_string());
        }
    }
    if !current.is_empty() {
        result.push(current);
    }
    result
}
