pub struct Slot {
    pending: Option<String>,
}

impl Slot {
    pub fn new(value: &str) -> Self {
        Slot { pending: Some(value.to_string()) }
    }

    /// Hands out the pending value once.
    pub fn claim(&mut self) -> Option<String> {
        let value = self.pending?;
        Some(value)
    }
}
