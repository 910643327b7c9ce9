fn main() {
    let day = chrono::naive::date::NaiveDate::from_ymd_opt(2024, 2, 29);
    println!("{day:?}");
}
