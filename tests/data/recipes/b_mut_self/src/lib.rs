pub struct Counter {
    hits: Vec<u32>,
}

impl Counter {
    pub fn record(&self, value: u32) {
        self.hits.push(value);
    }

    pub fn count(&self) -> usize {
        self.hits.len()
    }
}
