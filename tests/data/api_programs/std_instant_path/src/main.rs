fn main() {
    let started = std::instant::Instant::now();
    let total: u64 = (1..=1000).sum();
    println!("{total} in {:?}", started.elapsed());
}
