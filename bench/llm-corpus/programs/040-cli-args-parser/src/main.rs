use std::collections::HashMap;
use std::env;
use thiserror::Error;

#[derive(Debug, Clone)]
struct OptSpec {
    long: &'static str,
    short: Option<char>,
    takes_value: bool,
    help: &'static str,
    default: Option<&'static str>,
}

#[derive(Debug, Error, PartialEq)]
enum ArgError {
    #[error("unknown option '{0}'")]
    Unknown(String),
    #[error("option '--{0}' requires a value")]
    MissingValue(String),
    #[error("flag '--{0}' does not take a value")]
    UnexpectedValue(String),
    #[error("missing required argument <{0}>")]
    MissingPositional(String),
    #[error("too many arguments: {0:?}")]
    TooMany(Vec<String>),
    #[error("invalid value '{value}' for --{name}: {reason}")]
    Invalid { name: String, value: String, reason: String },
}

#[derive(Debug, Default)]
struct Matches {
    flags: HashMap<String, usize>,
    values: HashMap<String, Vec<String>>,
    positionals: Vec<String>,
    help: bool,
}

impl Matches {
    fn flag(&self, name: &str) -> bool {
        self.flags.contains_key(name)
    }
    fn count(&self, name: &str) -> usize {
        self.flags.get(name).copied().unwrap_or(0)
    }
    fn value(&self, name: &str) -> Option<&str> {
        self.values.get(name).and_then(|v| v.last()).map(|s| s.as_str())
    }
    fn values(&self, name: &str) -> &[String] {
        self.values.get(name).map(|v| v.as_slice()).unwrap_or(&[])
    }
    fn parse_value<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>, ArgError>
    where
        T::Err: std::fmt::Display,
    {
        match self.value(name) {
            None => Ok(None),
            Some(v) => v.parse::<T>().map(Some).map_err(|e| ArgError::Invalid {
                name: name.to_string(),
                value: v.to_string(),
                reason: e.to_string(),
            }),
        }
    }
}

struct Parser {
    program: &'static str,
    about: &'static str,
    options: Vec<OptSpec>,
    positionals: Vec<(&'static str, bool)>, // (name, required)
}

impl Parser {
    fn new(program: &'static str, about: &'static str) -> Self {
        let mut p = Parser { program, about, options: Vec::new(), positionals: Vec::new() };
        p.options.push(OptSpec { long: "help", short: Some('h'), takes_value: false, help: "Print this help message", default: None });
        p
    }

    fn flag(mut self, long: &'static str, short: Option<char>, help: &'static str) -> Self {
        self.options.push(OptSpec { long, short, takes_value: false, help, default: None });
        self
    }

    fn option(mut self, long: &'static str, short: Option<char>, help: &'static str, default: Option<&'static str>) -> Self {
        self.options.push(OptSpec { long, short, takes_value: true, help, default });
        self
    }

    fn positional(mut self, name: &'static str, required: bool) -> Self {
        self.positionals.push((name, required));
        self
    }

    fn usage(&self) -> String {
        let mut s = format!("{}\n\nUsage: {} [OPTIONS]", self.about, self.program);
        for (name, required) in &self.positionals {
            if *required { s += &format!(" <{}>", name) } else { s += &format!(" [{}]", name) }
        }
        s += "\n\nOptions:\n";
        for o in &self.options {
            let short = o.short.map(|c| format!("-{}, ", c)).unwrap_or_else(|| "    ".into());
            let long = if o.takes_value { format!("--{} <{}>", o.long, o.long.to_uppercase()) } else { format!("--{}", o.long) };
            let default = o.default.map(|d| format!(" [default: {}]", d)).unwrap_or_default();
            s += &format!("  {}{:<24} {}{}\n", short, long, o.help, default);
        }
        s
    }

    fn find_long(&self, name: &str) -> Result<&OptSpec, ArgError> {
        self.options.iter().find(|o| o.long == name).ok_or_else(|| ArgError::Unknown(format!("--{}", name)))
    }

    fn find_short(&self, c: char) -> Result<&OptSpec, ArgError> {
        self.options.iter().find(|o| o.short == Some(c)).ok_or_else(|| ArgError::Unknown(format!("-{}", c)))
    }

    fn record(m: &mut Matches, spec: &OptSpec, value: Option<String>) {
        if spec.long == "help" {
            m.help = true;
        }
        match value {
            Some(v) => m.values.entry(spec.long.to_string()).or_default().push(v),
            None => *m.flags.entry(spec.long.to_string()).or_insert(0) += 1,
        }
    }

    fn parse<I: IntoIterator<Item = String>>(&self, args: I) -> Result<Matches, ArgError> {
        let mut m = Matches::default();
        let mut iter = args.into_iter().peekable();
        let mut only_positional = false;
        while let Some(arg) = iter.next() {
            if only_positional || arg == "-" || !arg.starts_with('-') {
                m.positionals.push(arg);
            } else if arg == "--" {
                only_positional = true;
            } else if let Some(body) = arg.strip_prefix("--") {
                let (name, inline) = match body.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (body, None),
                };
                let spec = self.find_long(name)?;
                let value = match (spec.takes_value, inline) {
                    (true, Some(v)) => Some(v),
                    (true, None) => Some(iter.next().ok_or_else(|| ArgError::MissingValue(name.to_string()))?),
                    (false, Some(_)) => return Err(ArgError::UnexpectedValue(name.to_string())),
                    (false, None) => None,
                };
                Self::record(&mut m, spec, value);
            } else {
                // Short options, possibly bundled: -vvq, -o file, -ofile
                let chars: Vec<char> = arg[1..].chars().collect();
                let mut i = 0;
                while i < chars.len() {
                    let spec = self.find_short(chars[i])?;
                    if spec.takes_value {
                        let rest: String = chars[i + 1..].iter().collect();
                        let value = if !rest.is_empty() {
                            rest
                        } else {
                            iter.next().ok_or_else(|| ArgError::MissingValue(spec.long.to_string()))?
                        };
                        Self::record(&mut m, spec, Some(value));
                        break;
                    }
                    Self::record(&mut m, spec, None);
                    i += 1;
                }
            }
        }
        if m.help {
            return Ok(m);
        }
        for o in &self.options {
            if let (true, Some(d)) = (o.takes_value, o.default) {
                m.values.entry(o.long.to_string()).or_insert_with(|| vec![d.to_string()]);
            }
        }
        for (idx, (name, required)) in self.positionals.iter().enumerate() {
            if *required && m.positionals.len() <= idx {
                return Err(ArgError::MissingPositional(name.to_string()));
            }
        }
        if m.positionals.len() > self.positionals.len() {
            return Err(ArgError::TooMany(m.positionals[self.positionals.len()..].to_vec()));
        }
        Ok(m)
    }
}

fn build_parser() -> Parser {
    Parser::new("copytool", "copytool — copies files with style (argument parser demo)")
        .flag("verbose", Some('v'), "Increase verbosity (repeatable)")
        .flag("force", Some('f'), "Overwrite existing files")
        .flag("dry-run", None, "Show what would be done")
        .option("exclude", Some('x'), "Glob pattern to exclude (repeatable)", None)
        .option("jobs", Some('j'), "Number of parallel jobs", Some("4"))
        .option("mode", Some('m'), "Copy mode: fast|safe", Some("safe"))
        .positional("SOURCE", true)
        .positional("DEST", false)
}

fn run(parser: &Parser, args: Vec<String>) -> Result<(), ArgError> {
    let m = parser.parse(args)?;
    if m.help {
        println!("{}", parser.usage());
        return Ok(());
    }
    let jobs: u32 = m.parse_value("jobs")?.unwrap_or(4);
    let mode = m.value("mode").unwrap_or("safe");
    if mode != "fast" && mode != "safe" {
        return Err(ArgError::Invalid { name: "mode".into(), value: mode.into(), reason: "expected fast or safe".into() });
    }
    println!("source   = {}", m.positionals[0]);
    println!("dest     = {}", m.positionals.get(1).map(String::as_str).unwrap_or("."));
    println!("verbose  = {} (level {})", m.flag("verbose"), m.count("verbose"));
    println!("force    = {}", m.flag("force"));
    println!("dry-run  = {}", m.flag("dry-run"));
    println!("jobs     = {}", jobs);
    println!("mode     = {}", mode);
    println!("excludes = {:?}", m.values("exclude"));
    Ok(())
}

fn main() {
    let parser = build_parser();
    let real: Vec<String> = env::args().skip(1).collect();
    let samples: Vec<Vec<&str>> = if real.is_empty() {
        vec![
            vec!["src/", "backup/", "-vv", "--force", "-x", "*.tmp", "--exclude=*.log", "-j8"],
            vec!["--dry-run", "--mode", "fast", "notes.txt"],
            vec!["--", "-weird-file-name"],
            vec!["-h"],
            vec!["--jobs", "many", "a"],
            vec!["--mode=turbo", "a"],
            vec!["--force=yes", "a"],
            vec!["--colour", "a"],
            vec!["-j"],
            vec!["-vq", "a"],
            vec![],
            vec!["a", "b", "c"],
        ]
    } else {
        vec![]
    };

    if !real.is_empty() {
        if let Err(e) = run(&parser, real) {
            eprintln!("error: {}\n\n{}", e, parser.usage());
            std::process::exit(2);
        }
        return;
    }

    for args in samples {
        println!("$ copytool {}", args.join(" "));
        let owned: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        if let Err(e) = run(&parser, owned) {
            println!("error: {}", e);
        }
        println!();
    }
}
