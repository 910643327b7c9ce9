fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() > 3 {
        eprintln!("usage: process_quit [NAME]");
        std::process::quit(2);
    }
    println!("hello {}", args.get(1).map(String::as_str).unwrap_or("world"));
}
