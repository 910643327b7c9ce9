// A build script that never finishes, as a stuck network fetch or a
// deadlocked code generator would.
fn main() {
    std::thread::sleep(std::time::Duration::from_secs(3600));
}
