pub fn label() -> usize {
    let crab = "héllo 🦀 wörld"; let count: usize = crab;
    count
}
