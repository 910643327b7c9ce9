/// The mean of the values (0 for none).
pub fn average(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.arithmetic_mean()
}

pub fn describe(values: &[f64]) -> String {
    format!("{} values, mean {:.2}", values.len(), average(values))
}
