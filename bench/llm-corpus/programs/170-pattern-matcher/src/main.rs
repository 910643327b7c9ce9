//! Glob pattern matching with `*`, `?`, character classes (`[abc]`, `[a-z]`,
//! `[!x]`) and backslash escaping. Matchers live behind trait objects in a
//! registry keyed by name; the trait provides generic helper methods.

use std::collections::HashMap;
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
enum ClassItem {
    Single(char),
    Range(char, char),
}

impl ClassItem {
    fn contains(&self, c: char) -> bool {
        match *self {
            ClassItem::Single(s) => s == c,
            ClassItem::Range(lo, hi) => lo <= c && c <= hi,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Literal(char),
    AnyChar,
    AnySeq,
    Class { negated: bool, items: Vec<ClassItem> },
}

#[derive(Debug, Clone, PartialEq)]
enum GlobError {
    TrailingEscape(usize),
    UnclosedClass(usize),
    InvalidRange(char, char),
}

impl fmt::Display for GlobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GlobError::TrailingEscape(i) => write!(f, "dangling escape at position {i}"),
            GlobError::UnclosedClass(i) => write!(f, "character class opened at position {i} is never closed"),
            GlobError::InvalidRange(a, b) => write!(f, "invalid range {a}-{b}"),
        }
    }
}

fn compile(pattern: &str) -> Result<Vec<Token>, GlobError> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                let c = chars.get(i + 1).copied().ok_or(GlobError::TrailingEscape(i))?;
                tokens.push(Token::Literal(c));
                i += 2;
            }
            '*' => {
                if tokens.last() != Some(&Token::AnySeq) {
                    tokens.push(Token::AnySeq);
                }
                i += 1;
            }
            '?' => {
                tokens.push(Token::AnyChar);
                i += 1;
            }
            '[' => {
                let (token, next) = parse_class(&chars, i)?;
                tokens.push(token);
                i = next;
            }
            c => {
                tokens.push(Token::Literal(c));
                i += 1;
            }
        }
    }
    Ok(tokens)
}

fn parse_class(chars: &[char], start: usize) -> Result<(Token, usize), GlobError> {
    let unclosed = GlobError::UnclosedClass(start);
    let mut i = start + 1;
    let negated = matches!(chars.get(i).copied(), Some('!') | Some('^'));
    if negated {
        i += 1;
    }
    let mut items = Vec::new();
    let mut first = true;
    loop {
        let c = chars.get(i).copied().ok_or_else(|| unclosed.clone())?;
        if c == ']' && !first {
            i += 1;
            break;
        }
        first = false;
        let lo = if c == '\\' {
            i += 1;
            chars.get(i).copied().ok_or_else(|| unclosed.clone())?
        } else {
            c
        };
        i += 1;
        let is_range = chars.get(i).copied() == Some('-') && chars.get(i + 1).map_or(false, |&n| n != ']');
        if is_range {
            let mut hi = chars[i + 1];
            i += 2;
            if hi == '\\' {
                hi = chars.get(i).copied().ok_or_else(|| unclosed.clone())?;
                i += 1;
            }
            if hi < lo {
                return Err(GlobError::InvalidRange(lo, hi));
            }
            items.push(ClassItem::Range(lo, hi));
        } else {
            items.push(ClassItem::Single(lo));
        }
    }
    Ok((Token::Class { negated, items }, i))
}

#[derive(Debug, Clone, Copy, Default)]
struct Options {
    /// `*`, `?` and negated classes never match `/`.
    path_aware: bool,
    /// Names starting with `.` only match patterns that start with a literal `.`.
    hidden_needs_dot: bool,
    case_insensitive: bool,
}

fn fold(c: char, opts: &Options) -> char {
    if opts.case_insensitive {
        c.to_ascii_lowercase()
    } else {
        c
    }
}

impl Token {
    fn matches_char(&self, c: char, opts: &Options) -> bool {
        let wildcard_ok = !(opts.path_aware && c == '/');
        match self {
            Token::Literal(l) => fold(*l, opts) == fold(c, opts),
            Token::AnyChar => wildcard_ok,
            Token::AnySeq => false,
            Token::Class { negated, items } => {
                let hit = items.iter().any(|it| it.contains(c) || (opts.case_insensitive && it.contains(swap_case(c))));
                if *negated {
                    !hit && wildcard_ok
                } else {
                    hit
                }
            }
        }
    }
}

fn swap_case(c: char) -> char {
    if c.is_ascii_lowercase() {
        c.to_ascii_uppercase()
    } else {
        c.to_ascii_lowercase()
    }
}

/// dp[i][j] == tokens[i..] matches text[j..]
fn match_tokens(tokens: &[Token], text: &[char], opts: &Options) -> bool {
    if opts.hidden_needs_dot && text.first() == Some(&'.') && tokens.first() != Some(&Token::Literal('.')) {
        return false;
    }
    let (n, m) = (tokens.len(), text.len());
    let mut dp = vec![vec![false; m + 1]; n + 1];
    dp[n][m] = true;
    for i in (0..n).rev() {
        for j in (0..=m).rev() {
            dp[i][j] = match &tokens[i] {
                Token::AnySeq => {
                    dp[i + 1][j] || (j < m && !(opts.path_aware && text[j] == '/') && dp[i][j + 1])
                }
                token => j < m && token.matches_char(text[j], opts) && dp[i + 1][j + 1],
            };
        }
    }
    dp[0][0]
}

trait Matcher {
    fn name(&self) -> &str;
    fn describe(&self) -> String;
    fn is_match(&self, candidate: &str) -> bool;

    fn filter<'a, I>(&self, items: I) -> Vec<&'a str>
    where
        I: IntoIterator<Item = &'a str>,
        Self: Sized,
    {
        items.into_iter().filter(|s| self.is_match(s)).collect()
    }

    fn count_matches<I, S>(&self, items: I) -> usize
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
        Self: Sized,
    {
        items.into_iter().filter(|s| self.is_match(s.as_ref())).count()
    }

    fn partition<'a, I>(&self, items: I) -> (Vec<&'a str>, Vec<&'a str>)
    where
        I: IntoIterator<Item = &'a str>,
        Self: Sized,
    {
        items.into_iter().partition(|s| self.is_match(s))
    }
}

/// Boxed matchers are matchers too, so the generic helpers work on them.
impl Matcher for Box<dyn Matcher> {
    fn name(&self) -> &str {
        (**self).name()
    }
    fn describe(&self) -> String {
        (**self).describe()
    }
    fn is_match(&self, candidate: &str) -> bool {
        (**self).is_match(candidate)
    }
}

struct Glob {
    name: String,
    pattern: String,
    tokens: Vec<Token>,
    opts: Options,
}

impl Glob {
    fn new(name: &str, pattern: &str, opts: Options) -> Result<Self, GlobError> {
        Ok(Glob { name: name.to_string(), pattern: pattern.to_string(), tokens: compile(pattern)?, opts })
    }
}

impl Matcher for Glob {
    fn name(&self) -> &str {
        &self.name
    }
    fn describe(&self) -> String {
        format!("glob {:?}{}", self.pattern, if self.opts.case_insensitive { " (case-insensitive)" } else { "" })
    }
    fn is_match(&self, candidate: &str) -> bool {
        let text: Vec<char> = candidate.chars().collect();
        match_tokens(&self.tokens, &text, &self.opts)
    }
}

struct AnyOf {
    name: String,
    members: Vec<Box<dyn Matcher>>,
}

impl Matcher for AnyOf {
    fn name(&self) -> &str {
        &self.name
    }
    fn describe(&self) -> String {
        let parts: Vec<String> = self.members.iter().map(|m| m.describe()).collect();
        format!("any of [{}]", parts.join(", "))
    }
    fn is_match(&self, candidate: &str) -> bool {
        self.members.iter().any(|m| m.is_match(candidate))
    }
}

struct Not {
    name: String,
    inner: Box<dyn Matcher>,
}

impl Matcher for Not {
    fn name(&self) -> &str {
        &self.name
    }
    fn describe(&self) -> String {
        format!("not ({})", self.inner.describe())
    }
    fn is_match(&self, candidate: &str) -> bool {
        !self.inner.is_match(candidate)
    }
}

#[derive(Default)]
struct Registry {
    matchers: Vec<Box<dyn Matcher>>,
    by_name: HashMap<String, usize>,
}

impl Registry {
    fn register(&mut self, matcher: Box<dyn Matcher>) -> Result<(), String> {
        let name = matcher.name().to_string();
        if self.by_name.contains_key(&name) {
            return Err(format!("a matcher named '{name}' already exists"));
        }
        self.by_name.insert(name, self.matchers.len());
        self.matchers.push(matcher);
        Ok(())
    }

    fn glob(&mut self, name: &str, pattern: &str) -> Result<(), String> {
        let glob = Glob::new(name, pattern, Options::default()).map_err(|e| format!("{name}: {e}"))?;
        self.register(Box::new(glob))
    }

    fn get(&self, name: &str) -> Option<&Box<dyn Matcher>> {
        self.by_name.get(name).map(|&i| &self.matchers[i])
    }

    fn classify<'r>(&'r self, file: &str) -> Vec<&'r str> {
        self.matchers.iter().filter(|m| m.is_match(file)).map(|m| m.name()).collect()
    }
}

fn run_table_tests() -> (usize, usize) {
    let cases: &[(&str, &str, bool)] = &[
        ("*.rs", "main.rs", true),
        ("*.rs", "main.rsx", false),
        ("*.rs", ".rs", true),
        ("file?.txt", "file1.txt", true),
        ("file?.txt", "file10.txt", false),
        ("[abc]*", "banana", true),
        ("[abc]*", "date", false),
        ("[!abc]*", "date", true),
        ("[^abc]*", "apple", false),
        ("data_[0-9][0-9].csv", "data_07.csv", true),
        ("data_[0-9][0-9].csv", "data_7.csv", false),
        ("*.[ch]", "util.h", true),
        ("*.[ch]", "util.cpp", false),
        ("[]x]", "]", true),
        ("[a-]", "-", true),
        (r"\*.txt", "*.txt", true),
        (r"\*.txt", "a.txt", false),
        (r"what\?", "what?", true),
        (r"what\?", "whats", false),
        (r"[\]]", "]", true),
        ("a*b*c", "aXXbYYc", true),
        ("a*b*c", "aXXcYYb", false),
        ("**", "", true),
        ("*", "", true),
        ("?", "", false),
        ("*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false),
        ("héllo*", "héllo wörld", true),
    ];
    let mut passed = 0;
    let mut failed = 0;
    for &(pattern, text, expected) in cases {
        match Glob::new("test", pattern, Options::default()) {
            Ok(glob) if glob.is_match(text) == expected => passed += 1,
            Ok(_) => {
                failed += 1;
                println!("  FAIL {pattern:?} vs {text:?}: expected {expected}");
            }
            Err(e) => {
                failed += 1;
                println!("  FAIL {pattern:?} did not compile: {e}");
            }
        }
    }
    (passed, failed)
}

fn main() {
    let (passed, failed) = run_table_tests();
    println!("table tests: {passed} passed, {failed} failed");

    println!("\nInvalid patterns:");
    for p in [r"abc\", "[abc", "[z-a]", "[!"] {
        match compile(p) {
            Ok(t) => println!("  {p:?} unexpectedly compiled to {t:?}"),
            Err(e) => println!("  {p:?}: {e}"),
        }
    }

    let files = [
        "main.rs", "lib.rs", "Cargo.toml", "Cargo.lock", "README.md", ".gitignore", "src/util.rs",
        "notes.txt", "*.txt", "data_01.csv", "data_2.csv", "image.PNG", "photo.jpg", "build.log",
        "test_main.rs", "what?",
    ];

    let mut registry = Registry::default();
    let setup = [
        ("rust", "*.rs"),
        ("cargo", "Cargo.*"),
        ("docs", "*.[mt][dx]*"),
        ("numbered-data", "data_[0-9][0-9].csv"),
        ("literal-star", r"\*.txt"),
        ("tests", "test_*"),
    ];
    for (name, pattern) in setup {
        if let Err(e) = registry.glob(name, pattern) {
            println!("registration failed: {e}");
        }
    }
    let images = Glob::new("img", "*.[pj][np]g", Options { case_insensitive: true, ..Options::default() });
    let source = Glob::new("src-tree", "src/*", Options { path_aware: true, ..Options::default() });
    let hidden = Glob::new("visible", "*", Options { hidden_needs_dot: true, path_aware: true, ..Options::default() });
    match (images, source, hidden) {
        (Ok(images), Ok(source), Ok(visible)) => {
            registry.register(Box::new(images)).expect("unique name");
            registry.register(Box::new(source)).expect("unique name");
            let media_or_logs = AnyOf {
                name: "media-or-logs".into(),
                members: vec![Box::new(visible), Box::new(Glob::new("logs", "*.log", Options::default()).expect("valid"))],
            };
            registry.register(Box::new(media_or_logs)).expect("unique name");
        }
        _ => println!("failed to compile built-in globs"),
    }
    let not_rust = Not { name: "not-rust".into(), inner: Box::new(Glob::new("r", "*.rs", Options::default()).expect("valid")) };
    registry.register(Box::new(not_rust)).expect("unique name");
    if let Err(e) = registry.glob("rust", "*.rs") {
        println!("\nduplicate registration rejected: {e}");
    }

    println!("\nRegistered matchers:");
    for m in &registry.matchers {
        let count = m.count_matches(files.iter());
        println!("  {:<14} {:<48} matches {count:>2} file(s)", m.name(), m.describe());
    }

    println!("\nFiles by matcher (generic helpers on boxed trait objects):");
    for name in ["rust", "img", "docs", "literal-star", "src-tree"] {
        if let Some(m) = registry.get(name) {
            println!("  {name:<13} {:?}", m.filter(files.iter().copied()));
        }
    }
    if let Some(m) = registry.get("not-rust") {
        let (yes, no) = m.partition(files.iter().copied());
        println!("  not-rust: {} match, {} do not (the Rust files: {:?})", yes.len(), no.len(), no);
    }

    println!("\nClassification of each file:");
    for f in files {
        let names = registry.classify(f);
        println!("  {f:<14} -> {}", if names.is_empty() { "(none)".to_string() } else { names.join(", ") });
    }
}
