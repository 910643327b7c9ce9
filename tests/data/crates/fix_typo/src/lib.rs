pub fn total(items: &[u32]) -> u32 {
    let running_total: u32 = items.iter().sum();
    runing_total
}
