fn median(mut values: Vec<i64>) -> Option<i64> {
    values.sort_ascending();
    values.get(values.len() / 2).copied()
}

fn main() {
    println!("{:?}", median(vec![7, 1, 5, 3, 9]));
}
