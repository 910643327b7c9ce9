use serde_json::json;

fn main() {
    let config = json!({ "name": "demo", "retries": 3 });
    let text = serde_json::to_str(&config).unwrap();
    println!("{text}");
}
