use std::collections::HashMap;
use std::io::{self, BufRead};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Num(f64),
    Ident(String),
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Caret,
    LParen,
    RParen,
    Assign,
    Let,
}

#[derive(Debug, Error)]
enum CalcError {
    #[error("unexpected character '{0}' at position {1}")]
    BadChar(char, usize),
    #[error("invalid number '{0}'")]
    BadNumber(String),
    #[error("unexpected token {0:?}")]
    Unexpected(Token),
    #[error("unexpected end of input")]
    Eof,
    #[error("unknown variable '{0}'")]
    UnknownVar(String),
    #[error("division by zero")]
    DivByZero,
}

fn tokenize(src: &str) -> Result<Vec<Token>, CalcError> {
    let chars: Vec<char> = src.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' => {
                i += 1;
            }
            '0'..='9' | '.' => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                let s: String = chars[start..i].iter().collect();
                tokens.push(Token::Num(s.parse().map_err(|_| CalcError::BadNumber(s.clone()))?));
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                let s: String = chars[start..i].iter().collect();
                tokens.push(if s == "let" { Token::Let } else { Token::Ident(s) });
            }
            _ => {
                let t = match c {
                    '+' => Token::Plus,
                    '-' => Token::Minus,
                    '*' => Token::Star,
                    '/' => Token::Slash,
                    '%' => Token::Percent,
                    '^' => Token::Caret,
                    '(' => Token::LParen,
                    ')' => Token::RParen,
                    '=' => Token::Assign,
                    other => return Err(CalcError::BadChar(other, i)),
                };
                tokens.push(t);
                i += 1;
            }
        }
    }
    Ok(tokens)
}

struct Parser<'a> {
    tokens: &'a [Token],
    pos: usize,
    vars: &'a HashMap<String, f64>,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    // expr := term (('+' | '-') term)*
    fn expr(&mut self) -> Result<f64, CalcError> {
        let mut v = self.term()?;
        while let Some(t) = self.peek() {
            match t {
                Token::Plus => { self.pos += 1; v += self.term()?; }
                Token::Minus => { self.pos += 1; v -= self.term()?; }
                _ => break,
            }
        }
        Ok(v)
    }

    // term := unary (('*' | '/' | '%') unary)*
    fn term(&mut self) -> Result<f64, CalcError> {
        let mut v = self.unary()?;
        loop {
            match self.peek() {
                Some(Token::Star) => { self.pos += 1; v *= self.unary()?; }
                Some(Token::Slash) => {
                    self.pos += 1;
                    let d = self.unary()?;
                    if d == 0.0 { return Err(CalcError::DivByZero); }
                    v /= d;
                }
                Some(Token::Percent) => {
                    self.pos += 1;
                    let d = self.unary()?;
                    if d == 0.0 { return Err(CalcError::DivByZero); }
                    v %= d;
                }
                _ => break,
            }
        }
        Ok(v)
    }

    // unary := '-' unary | power
    fn unary(&mut self) -> Result<f64, CalcError> {
        if let Some(Token::Minus) = self.peek() {
            self.pos += 1;
            return Ok(-self.unary()?);
        }
        if let Some(Token::Plus) = self.peek() {
            self.pos += 1;
            return self.unary();
        }
        self.power()
    }

    // power := primary ('^' unary)?   (right associative)
    fn power(&mut self) -> Result<f64, CalcError> {
        let base = self.primary()?;
        if let Some(Token::Caret) = self.peek() {
            self.pos += 1;
            let exp = self.unary()?;
            return Ok(base.powf(exp));
        }
        Ok(base)
    }

    fn primary(&mut self) -> Result<f64, CalcError> {
        match self.next() {
            Some(Token::Num(n)) => Ok(n),
            Some(Token::Ident(name)) => self.vars.get(&name).copied().ok_or(CalcError::UnknownVar(name)),
            Some(Token::LParen) => {
                let v = self.expr()?;
                match self.next() {
                    Some(Token::RParen) => Ok(v),
                    Some(t) => Err(CalcError::Unexpected(t)),
                    None => Err(CalcError::Eof),
                }
            }
            Some(t) => Err(CalcError::Unexpected(t)),
            None => Err(CalcError::Eof),
        }
    }
}

struct Calculator {
    vars: HashMap<String, f64>,
}

impl Calculator {
    fn new() -> Self {
        let mut vars = HashMap::new();
        vars.insert("pi".to_string(), std::f64::consts::PI);
        vars.insert("e".to_string(), std::f64::consts::E);
        Calculator { vars }
    }

    /// Evaluate a line; returns the optional name assigned and the value.
    fn eval_line(&mut self, line: &str) -> Result<(Option<String>, f64), CalcError> {
        let tokens = tokenize(line)?;
        let (target, body) = match tokens.as_slice() {
            [Token::Let, Token::Ident(name), Token::Assign, rest @ ..] => (Some(name.clone()), rest),
            [Token::Let, t, ..] => return Err(CalcError::Unexpected(t.clone())),
            [Token::Let] => return Err(CalcError::Eof),
            all => (None, all),
        };
        let mut p = Parser { tokens: body, pos: 0, vars: &self.vars };
        let value = p.expr()?;
        if let Some(t) = p.peek() {
            return Err(CalcError::Unexpected(t.clone()));
        }
        if let Some(name) = &target {
            self.vars.insert(name.clone(), value);
        }
        self.vars.insert("ans".to_string(), value);
        Ok((target, value))
    }
}

fn main() {
    let mut calc = Calculator::new();
    let script = [
        "1 + 2 * 3",
        "(1 + 2) * 3",
        "2 ^ 3 ^ 2",
        "-2 ^ 2",
        "let x = 10",
        "let y = x / 4 + 0.5",
        "x * y - 3 % 2",
        "ans * 2",
        "2 * pi * x",
        "10 / (5 - 5)",
        "let = 3",
        "z + 1",
        "3 + * 4",
        "(1 + 2",
        "4 $ 4",
    ];

    println!("Running built-in script:");
    for line in script {
        match calc.eval_line(line) {
            Ok((Some(name), v)) => println!("  {:<20} => {} = {}", line, name, v),
            Ok((None, v)) => println!("  {:<20} => {}", line, v),
            Err(e) => println!("  {:<20} => error: {}", line, e),
        }
    }

    println!("\nEnter expressions (empty line or EOF to quit):");
    let stdin = io::stdin();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let line = line.trim();
        if line.is_empty() {
            break;
        }
        match calc.eval_line(line) {
            Ok((Some(name), v)) => println!("{} = {}", name, v),
            Ok((None, v)) => println!("{}", v),
            Err(e) => println!("error: {}", e),
        }
    }
}
