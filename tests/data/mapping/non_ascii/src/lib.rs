pub fn label() -> usize {
    let crab = "héllo 🦀"; let count: usize = crab;
    count
}
