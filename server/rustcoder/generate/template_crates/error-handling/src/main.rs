use std::fmt;
use std::num::ParseIntError;

#[derive(Debug)]
enum ConfigError {
    Missing(&'static str),
    BadNumber { key: String, source: ParseIntError },
    OutOfRange { key: String, value: u32 },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Missing(key) => write!(f, "missing key `{key}`"),
            ConfigError::BadNumber { key, source } => write!(f, "`{key}` is not a number: {source}"),
            ConfigError::OutOfRange { key, value } => write!(f, "`{key}` = {value} is out of range"),
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ConfigError::BadNumber { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[derive(Debug, PartialEq)]
struct Config {
    port: u32,
    workers: u32,
}

fn lookup<'a>(text: &'a str, key: &'static str) -> Result<&'a str, ConfigError> {
    text.lines()
        .filter_map(|line| line.split_once('='))
        .find(|(k, _)| k.trim() == key)
        .map(|(_, v)| v.trim())
        .ok_or(ConfigError::Missing(key))
}

fn number(text: &str, key: &'static str, max: u32) -> Result<u32, ConfigError> {
    let raw = lookup(text, key)?;
    let value: u32 = raw
        .parse()
        .map_err(|source| ConfigError::BadNumber { key: key.to_string(), source })?;
    if value == 0 || value > max {
        return Err(ConfigError::OutOfRange { key: key.to_string(), value });
    }
    Ok(value)
}

fn parse_config(text: &str) -> Result<Config, ConfigError> {
    Ok(Config { port: number(text, "port", 65535)?, workers: number(text, "workers", 64)? })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = parse_config("port = 8080\nworkers = 4")?;
    println!("{config:?}");
    if let Err(e) = parse_config("port = eighty") {
        println!("error: {e}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_config_parses() {
        assert_eq!(parse_config("workers=2\nport=1").unwrap(), Config { port: 1, workers: 2 });
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert_eq!(parse_config("port=1").unwrap_err().to_string(), "missing key `workers`");
        let err = parse_config("port=x\nworkers=1").unwrap_err();
        assert!(err.to_string().starts_with("`port` is not a number"));
        assert!(std::error::Error::source(&err).is_some());
        assert!(matches!(parse_config("port=0\nworkers=1"), Err(ConfigError::OutOfRange { .. })));
    }
}
