pub struct Ledger {
    entries: Vec<i64>,
    total: i64,
}

impl Ledger {
    pub fn new(entries: Vec<i64>) -> Self {
        Ledger { entries, total: 0 }
    }

    fn add(&mut self, amount: i64) {
        self.total += amount;
    }

    pub fn recompute(&mut self) -> i64 {
        self.total = 0;
        for amount in self.entries.iter() {
            self.add(*amount);
        }
        self.total
    }
}
