fn field_count(doc: &serde_json::JsonValue) -> usize {
    doc.as_object().map(|o| o.len()).unwrap_or(0)
}

fn main() {
    let doc = serde_json::json!({ "a": 1, "b": 2 });
    println!("{}", field_count(&doc));
}
