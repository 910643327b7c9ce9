use std::time::Duration;

fn pause_for(d: Duration) -> u64 {
    d.as_millis() as u64
}

fn main() {
    let backoff = chrono::Duration::seconds(2);
    println!("{}", pause_for(backoff));
}
