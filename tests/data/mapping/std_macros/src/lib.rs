pub struct Opaque;

pub fn show() -> String {
    let value = Opaque;
    println!("{}", value);
    let list: String = vec![1];
    format!("{}{list}", missing_name)
}
