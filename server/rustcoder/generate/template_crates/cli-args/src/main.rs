//! A `wc`-like counter: `count [--lines] [--words] [--min-len N] [TEXT...]`.
use std::env;
use std::process::ExitCode;

#[derive(Debug, Default, PartialEq)]
struct Options {
    lines: bool,
    words: bool,
    min_len: usize,
    inputs: Vec<String>,
}

fn parse_args<I: IntoIterator<Item = String>>(args: I) -> Result<Options, String> {
    let mut options = Options::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-l" | "--lines" => options.lines = true,
            "-w" | "--words" => options.words = true,
            "--min-len" => {
                let value = args.next().ok_or("--min-len needs a value")?;
                options.min_len = value
                    .parse()
                    .map_err(|_| format!("--min-len: `{value}` is not a number"))?;
            }
            "-h" | "--help" => return Err(usage()),
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag}\n{}", usage())),
            _ => options.inputs.push(arg),
        }
    }
    if !options.lines && !options.words {
        options.words = true;
    }
    Ok(options)
}

fn usage() -> String {
    "usage: count [--lines] [--words] [--min-len N] [TEXT...]".to_string()
}

fn count(options: &Options, text: &str) -> (usize, usize) {
    let lines = text.lines().count();
    let words = text.split_whitespace().filter(|w| w.len() >= options.min_len).count();
    (lines, words)
}

fn main() -> ExitCode {
    let options = match parse_args(env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let text = options.inputs.join("\n");
    let (lines, words) = count(&options, &text);
    if options.lines {
        println!("lines: {lines}");
    }
    if options.words {
        println!("words: {words}");
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_flags_and_values() {
        let options = parse_args(args(&["--lines", "--min-len", "3", "a b"])).unwrap();
        assert!(options.lines && !options.words);
        assert_eq!(options.min_len, 3);
        assert_eq!(options.inputs, vec!["a b"]);
    }

    #[test]
    fn rejects_bad_input() {
        assert!(parse_args(args(&["--min-len", "x"])).is_err());
        assert!(parse_args(args(&["--bogus"])).unwrap_err().contains("unknown option"));
    }

    #[test]
    fn counts_words_longer_than_min() {
        let options = Options { words: true, min_len: 3, ..Options::default() };
        assert_eq!(count(&options, "a bb ccc dddd\nx"), (2, 2));
    }
}
