use uuid::Uuid;

fn new_order_id() -> String {
    Uuid::new_v4().to_string()
}

fn main() {
    println!("order {}", new_order_id());
}
