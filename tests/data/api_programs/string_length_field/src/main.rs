fn main() {
    let word = String::from("ferris");
    let n = word.length;
    println!("{n}");
}
