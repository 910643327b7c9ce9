use chrono::{Duration, Utc};

fn main() {
    let timeout = Duration::from_secs(30);
    let deadline = Utc::now() + timeout;
    println!("deadline: {deadline}");
}
