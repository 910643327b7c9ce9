//! lexer-json: a hand-written JSON lexer and recursive-descent parser (no
//! serde). The result is a tree of nodes: children are held as
//! Rc<RefCell<Node>>, and every node keeps a Weak back-reference to its parent
//! so a node can report its own path.
//!
//! Usage: lexer-json [FILE]

use std::cell::RefCell;
use std::fmt;
use std::rc::{Rc, Weak};

#[derive(Debug, Clone, Copy, PartialEq)]
struct Pos {
    line: usize,
    col: usize,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    Colon,
    Comma,
    Str(String),
    Num(f64),
    True,
    False,
    Null,
    Eof,
}

#[derive(Debug)]
struct ParseError {
    message: String,
    pos: Pos,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error at {}: {}", self.pos, self.message)
    }
}

struct Lexer<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    pos: Pos,
}

impl<'a> Lexer<'a> {
    fn new(src: &'a str) -> Self {
        Lexer { chars: src.chars().peekable(), pos: Pos { line: 1, col: 1 } }
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.chars.next()?;
        if c == '\n' {
            self.pos.line += 1;
            self.pos.col = 1;
        } else {
            self.pos.col += 1;
        }
        Some(c)
    }

    fn err<T>(&self, message: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError { message: message.into(), pos: self.pos })
    }

    fn tokenize(mut self) -> Result<Vec<(Token, Pos)>, ParseError> {
        let mut tokens = Vec::new();
        loop {
            while matches!(self.chars.peek(), Some(' ' | '\t' | '\n' | '\r')) {
                self.bump();
            }
            let start = self.pos;
            let Some(&c) = self.chars.peek() else {
                tokens.push((Token::Eof, start));
                return Ok(tokens);
            };
            let tok = match c {
                '{' | '}' | '[' | ']' | ':' | ',' => {
                    self.bump();
                    match c {
                        '{' => Token::LBrace,
                        '}' => Token::RBrace,
                        '[' => Token::LBracket,
                        ']' => Token::RBracket,
                        ':' => Token::Colon,
                        _ => Token::Comma,
                    }
                }
                '"' => Token::Str(self.string()?),
                '-' | '0'..='9' => Token::Num(self.number()?),
                'a'..='z' => {
                    let mut word = String::new();
                    while let Some(&c) = self.chars.peek() {
                        if !c.is_ascii_alphabetic() {
                            break;
                        }
                        word.push(c);
                        self.bump();
                    }
                    match word.as_str() {
                        "true" => Token::True,
                        "false" => Token::False,
                        "null" => Token::Null,
                        _ => return Err(ParseError { message: format!("unknown literal '{word}'"), pos: start }),
                    }
                }
                other => return self.err(format!("unexpected character {other:?}")),
            };
            tokens.push((tok, start));
        }
    }

    fn string(&mut self) -> Result<String, ParseError> {
        self.bump(); // opening quote
        let mut out = String::new();
        loop {
            match self.bump() {
                None => return self.err("unterminated string"),
                Some('"') => return Ok(out),
                Some('\\') => match self.bump() {
                    Some('"') => out.push('"'),
                    Some('\\') => out.push('\\'),
                    Some('/') => out.push('/'),
                    Some('b') => out.push('\u{8}'),
                    Some('f') => out.push('\u{c}'),
                    Some('n') => out.push('\n'),
                    Some('r') => out.push('\r'),
                    Some('t') => out.push('\t'),
                    Some('u') => {
                        let hi = self.hex4()?;
                        let code = if (0xD800..0xDC00).contains(&hi) {
                            if self.bump() != Some('\\') || self.bump() != Some('u') {
                                return self.err("expected low surrogate");
                            }
                            let lo = self.hex4()?;
                            if !(0xDC00..0xE000).contains(&lo) {
                                return self.err("invalid low surrogate");
                            }
                            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                        } else {
                            hi
                        };
                        match char::from_u32(code) {
                            Some(ch) => out.push(ch),
                            None => return self.err(format!("invalid code point U+{code:04X}")),
                        }
                    }
                    Some(other) => return self.err(format!("invalid escape '\\{other}'")),
                    None => return self.err("unterminated escape"),
                },
                Some(c) if (c as u32) < 0x20 => return self.err("control character in string"),
                Some(c) => out.push(c),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let mut v = 0;
        for _ in 0..4 {
            match self.bump().and_then(|c| c.to_digit(16)) {
                Some(d) => v = v * 16 + d,
                None => return self.err("expected 4 hex digits"),
            }
        }
        Ok(v)
    }

    fn number(&mut self) -> Result<f64, ParseError> {
        let start = self.pos;
        let mut text = String::new();
        let mut take_digits = |lx: &mut Self, text: &mut String| -> usize {
            let mut n = 0;
            while let Some(&c) = lx.chars.peek() {
                if !c.is_ascii_digit() {
                    break;
                }
                text.push(c);
                lx.bump();
                n += 1;
            }
            n
        };
        if self.chars.peek() == Some(&'-') {
            text.push('-');
            self.bump();
        }
        let int_start = text.len();
        if take_digits(self, &mut text) == 0 {
            return self.err("expected digit");
        }
        if text[int_start..].starts_with('0') && text.len() - int_start > 1 {
            return Err(ParseError { message: "leading zeros are not allowed".into(), pos: start });
        }
        if self.chars.peek() == Some(&'.') {
            text.push('.');
            self.bump();
            if take_digits(self, &mut text) == 0 {
                return self.err("expected digit after decimal point");
            }
        }
        if matches!(self.chars.peek(), Some('e' | 'E')) {
            text.push('e');
            self.bump();
            if let Some(&sign @ ('+' | '-')) = self.chars.peek() {
                text.push(sign);
                self.bump();
            }
            if take_digits(self, &mut text) == 0 {
                return self.err("expected exponent digits");
            }
        }
        text.parse().map_err(|_| ParseError { message: format!("bad number '{text}'"), pos: start })
    }
}

type NodeRef = Rc<RefCell<Node>>;

#[derive(Debug)]
enum Value {
    Null,
    Bool(bool),
    Number(f64),
    Str(String),
    Array(Vec<NodeRef>),
    Object(Vec<(String, NodeRef)>),
}

#[derive(Debug)]
struct Node {
    value: Value,
    pos: Pos,
    parent: Weak<RefCell<Node>>,
}

struct Parser {
    tokens: Vec<(Token, Pos)>,
    i: usize,
}

impl Parser {
    fn peek(&self) -> &(Token, Pos) {
        &self.tokens[self.i.min(self.tokens.len() - 1)]
    }

    fn next(&mut self) -> (Token, Pos) {
        let t = self.peek().clone();
        self.i += 1;
        t
    }

    fn expect(&mut self, want: Token, what: &str) -> Result<(), ParseError> {
        let (tok, pos) = self.next();
        if tok == want {
            Ok(())
        } else {
            Err(ParseError { message: format!("expected {what}, found {tok:?}"), pos })
        }
    }

    fn parse_document(mut self) -> Result<NodeRef, ParseError> {
        let root = self.parse_value(Weak::new())?;
        let (tok, pos) = self.next();
        if tok != Token::Eof {
            return Err(ParseError { message: format!("trailing content {tok:?}"), pos });
        }
        Ok(root)
    }

    fn parse_value(&mut self, parent: Weak<RefCell<Node>>) -> Result<NodeRef, ParseError> {
        let (tok, pos) = self.next();
        let leaf = |value| Ok(Rc::new(RefCell::new(Node { value, pos, parent: parent.clone() })));
        match tok {
            Token::Null => leaf(Value::Null),
            Token::True => leaf(Value::Bool(true)),
            Token::False => leaf(Value::Bool(false)),
            Token::Num(n) => leaf(Value::Number(n)),
            Token::Str(s) => leaf(Value::Str(s)),
            Token::LBracket => {
                let node = Rc::new(RefCell::new(Node { value: Value::Array(Vec::new()), pos, parent }));
                if self.peek().0 == Token::RBracket {
                    self.next();
                    return Ok(node);
                }
                loop {
                    let child = self.parse_value(Rc::downgrade(&node))?;
                    if let Value::Array(items) = &mut node.borrow_mut().value {
                        items.push(child);
                    }
                    let (tok, pos) = self.next();
                    match tok {
                        Token::Comma => continue,
                        Token::RBracket => return Ok(node),
                        other => return Err(ParseError { message: format!("expected ',' or ']', found {other:?}"), pos }),
                    }
                }
            }
            Token::LBrace => {
                let node = Rc::new(RefCell::new(Node { value: Value::Object(Vec::new()), pos, parent }));
                if self.peek().0 == Token::RBrace {
                    self.next();
                    return Ok(node);
                }
                loop {
                    let (tok, kpos) = self.next();
                    let Token::Str(key) = tok else {
                        return Err(ParseError { message: format!("expected string key, found {tok:?}"), pos: kpos });
                    };
                    self.expect(Token::Colon, "':'")?;
                    let child = self.parse_value(Rc::downgrade(&node))?;
                    if let Value::Object(fields) = &mut node.borrow_mut().value {
                        if fields.iter().any(|(k, _)| *k == key) {
                            return Err(ParseError { message: format!("duplicate key \"{key}\""), pos: kpos });
                        }
                        fields.push((key, child));
                    }
                    let (tok, pos) = self.next();
                    match tok {
                        Token::Comma => continue,
                        Token::RBrace => return Ok(node),
                        other => return Err(ParseError { message: format!("expected ',' or '}}', found {other:?}"), pos }),
                    }
                }
            }
            other => Err(ParseError { message: format!("unexpected token {other:?}"), pos }),
        }
    }
}

fn parse(src: &str) -> Result<NodeRef, ParseError> {
    let tokens = Lexer::new(src).tokenize()?;
    Parser { tokens, i: 0 }.parse_document()
}

/// Walk up the Weak parent links to build a JSONPath-like path.
fn path_of(node: &NodeRef) -> String {
    let mut segments = Vec::new();
    let mut current = Rc::clone(node);
    loop {
        let parent = current.borrow().parent.upgrade();
        let Some(parent) = parent else { break };
        let segment = match &parent.borrow().value {
            Value::Array(items) => items.iter().position(|c| Rc::ptr_eq(c, &current)).map(|i| format!("[{i}]")),
            Value::Object(fields) => fields.iter().find(|(_, c)| Rc::ptr_eq(c, &current)).map(|(k, _)| format!(".{k}")),
            _ => None,
        };
        segments.push(segment.unwrap_or_else(|| "?".into()));
        current = parent;
    }
    segments.reverse();
    format!("${}", segments.concat())
}

fn find_all(node: &NodeRef, pred: &dyn Fn(&Value) -> bool, out: &mut Vec<NodeRef>) {
    let n = node.borrow();
    if pred(&n.value) {
        out.push(Rc::clone(node));
    }
    match &n.value {
        Value::Array(items) => items.iter().for_each(|c| find_all(c, pred, out)),
        Value::Object(fields) => fields.iter().for_each(|(_, c)| find_all(c, pred, out)),
        _ => {}
    }
}

fn render(node: &NodeRef, indent: usize, out: &mut String) {
    let pad = "  ".repeat(indent);
    match &node.borrow().value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(&b.to_string()),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::Str(s) => out.push_str(&format!("{s:?}")),
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Array(items) => {
            out.push_str("[\n");
            for (i, c) in items.iter().enumerate() {
                out.push_str(&format!("{pad}  "));
                render(c, indent + 1, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&format!("{pad}]"));
        }
        Value::Object(fields) if fields.is_empty() => out.push_str("{}"),
        Value::Object(fields) => {
            out.push_str("{\n");
            for (i, (k, c)) in fields.iter().enumerate() {
                out.push_str(&format!("{pad}  {k:?}: "));
                render(c, indent + 1, out);
                out.push_str(if i + 1 < fields.len() { ",\n" } else { "\n" });
            }
            out.push_str(&format!("{pad}}}"));
        }
    }
}

const SAMPLE: &str = r#"{
  "name": "lexer-json",
  "version": 1.5e0,
  "tags": ["parser", "json", "caf\u00e9 \ud83d\ude00"],
  "owner": { "login": "rustacean", "id": 42, "active": true, "manager": null },
  "matrix": [[1, 2], [3, -4.25]]
}"#;

fn main() {
    let src = std::env::args().nth(1).and_then(|p| std::fs::read_to_string(p).ok()).unwrap_or_else(|| SAMPLE.to_string());

    match parse(&src) {
        Ok(root) => {
            let mut out = String::new();
            render(&root, 0, &mut out);
            println!("Parsed document:\n{out}\n");

            let mut numbers = Vec::new();
            find_all(&root, &|v| matches!(v, Value::Number(_)), &mut numbers);
            println!("Numbers found via tree walk, with paths from parent links:");
            for n in &numbers {
                if let Value::Number(x) = n.borrow().value {
                    println!("  {:<16} = {:<6} (line {})", path_of(n), x, n.borrow().pos.line);
                }
            }
            let mut strings = Vec::new();
            find_all(&root, &|v| matches!(v, Value::Str(_)), &mut strings);
            println!("Strings: {}", strings.iter().map(path_of).collect::<Vec<_>>().join(", "));
        }
        Err(e) => println!("{e}"),
    }

    println!("\nError reporting:");
    let bad_inputs = [
        "{\"a\": 1,}",
        "[1, 2",
        "{\"a\" 1}",
        "[01]",
        "\"unterminated",
        "{\"x\": tru}",
        "[1, 2] 3",
        "{\"k\": 1, \"k\": 2}",
        "{\n  \"emoji\": \"\\ud83d\"\n}",
        "[1.]",
    ];
    for input in bad_inputs {
        match parse(input) {
            Ok(_) => println!("  {input:?} unexpectedly parsed"),
            Err(e) => println!("  {:<26} {e}", format!("{input:?}")),
        }
    }
}
