use std::collections::HashMap;
use std::io::{self, BufRead, Write};

#[derive(Debug, PartialEq)]
enum Command {
    Set(String, String),
    Get(String),
    Del(String),
    Quit,
}

fn parse(line: &str) -> Result<Command, String> {
    let mut parts = line.split_whitespace();
    let verb = parts.next().ok_or("empty command")?.to_uppercase();
    let mut arg = |name: &str| parts.next().map(str::to_string).ok_or(format!("{verb} needs {name}"));
    match verb.as_str() {
        "SET" => Ok(Command::Set(arg("a key")?, arg("a value")?)),
        "GET" => Ok(Command::Get(arg("a key")?)),
        "DEL" => Ok(Command::Del(arg("a key")?)),
        "QUIT" => Ok(Command::Quit),
        other => Err(format!("unknown command {other}")),
    }
}

#[derive(Default)]
struct Store {
    data: HashMap<String, String>,
}

impl Store {
    fn apply(&mut self, command: Command) -> Option<String> {
        match command {
            Command::Set(k, v) => {
                self.data.insert(k, v);
                Some("OK".into())
            }
            Command::Get(k) => Some(self.data.get(&k).cloned().unwrap_or_else(|| "(nil)".into())),
            Command::Del(k) => Some(if self.data.remove(&k).is_some() { "1" } else { "0" }.into()),
            Command::Quit => None,
        }
    }
}

fn main() -> io::Result<()> {
    let mut store = Store::default();
    let stdout = io::stdout();
    let mut out = stdout.lock();
    for line in io::stdin().lock().lines() {
        let reply = match parse(&line?) {
            Ok(command) => match store.apply(command) {
                Some(reply) => reply,
                None => break,
            },
            Err(message) => format!("ERR {message}"),
        };
        writeln!(out, "{reply}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_commands() {
        assert_eq!(parse("set a 1"), Ok(Command::Set("a".into(), "1".into())));
        assert!(parse("GET").unwrap_err().contains("needs a key"));
        assert!(parse("FLY").is_err());
    }

    #[test]
    fn store_answers_in_order() {
        let mut store = Store::default();
        let replies: Vec<_> = ["SET k v", "GET k", "DEL k", "GET k"]
            .iter()
            .map(|line| store.apply(parse(line).unwrap()).unwrap())
            .collect();
        assert_eq!(replies, ["OK", "v", "1", "(nil)"]);
    }
}
