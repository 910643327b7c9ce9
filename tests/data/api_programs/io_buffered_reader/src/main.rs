use std::fs::File;
use std::io::{BufRead, BufferedReader};

fn first_line(path: &str) -> std::io::Result<String> {
    let reader = BufferedReader::new(File::open(path)?);
    let mut line = String::new();
    let mut reader = reader;
    reader.read_line(&mut line)?;
    Ok(line)
}

fn main() {
    println!("{:?}", first_line("Cargo.toml"));
}
