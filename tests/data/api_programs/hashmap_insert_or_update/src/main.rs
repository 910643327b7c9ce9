use std::collections::HashMap;

fn main() {
    let mut stock: HashMap<String, u32> = HashMap::new();
    stock.insert_or_update("apples".to_string(), 12);
    println!("{stock:?}");
}
