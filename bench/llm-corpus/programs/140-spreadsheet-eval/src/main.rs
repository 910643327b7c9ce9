use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::str::FromStr;

use anyhow::{Context, Result};
use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq)]
enum SheetError {
    #[error("invalid cell reference '{0}'")]
    InvalidRef(String),
    #[error("cell {0} is defined twice")]
    Duplicate(String),
    #[error("parse error in {cell} at column {pos}: {message}")]
    Parse { cell: String, pos: usize, message: String },
    #[error("unknown function {name} in {cell}")]
    UnknownFunction { cell: String, name: String },
    #[error("circular reference: {}", .0.join(" -> "))]
    Cycle(Vec<String>),
    #[error("division by zero in {0}")]
    DivisionByZero(String),
    #[error("{cell} refers to text cell {target}")]
    NotANumber { cell: String, target: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct CellRef {
    row: u32,
    col: u32,
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut letters = Vec::new();
        let mut n = self.col + 1;
        while n > 0 {
            letters.push((b'A' + ((n - 1) % 26) as u8) as char);
            n = (n - 1) / 26;
        }
        letters.reverse();
        write!(f, "{}{}", letters.into_iter().collect::<String>(), self.row + 1)
    }
}

impl FromStr for CellRef {
    type Err = SheetError;
    fn from_str(s: &str) -> Result<Self, SheetError> {
        let s = s.trim().to_ascii_uppercase();
        let split = s.find(|c: char| c.is_ascii_digit()).ok_or_else(|| SheetError::InvalidRef(s.clone()))?;
        let (letters, digits) = s.split_at(split);
        if letters.is_empty() || !letters.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(SheetError::InvalidRef(s.clone()));
        }
        let row: u32 = digits.parse().map_err(|_| SheetError::InvalidRef(s.clone()))?;
        if row == 0 {
            return Err(SheetError::InvalidRef(s.clone()));
        }
        let col = letters.bytes().fold(0u32, |acc, b| acc * 26 + (b - b'A' + 1) as u32) - 1;
        Ok(CellRef { row: row - 1, col })
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Ident(String),
    LParen,
    RParen,
    Comma,
    Colon,
    Op(char),
}

#[derive(Debug, Clone)]
enum Arg {
    Expr(Expr),
    Range(CellRef, CellRef),
}

#[derive(Debug, Clone)]
enum Expr {
    Num(f64),
    Ref(CellRef),
    Neg(Box<Expr>),
    Bin(char, Box<Expr>, Box<Expr>),
    Call(String, Vec<Arg>),
}

#[derive(Debug, Clone)]
enum Content {
    Number(f64),
    Text(String),
    Formula(Expr),
}

fn tokenize(src: &str, cell: &str) -> Result<Vec<(usize, Tok)>, SheetError> {
    let chars: Vec<char> = src.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() || c == '.' {
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            let n = text.parse().map_err(|_| SheetError::Parse { cell: cell.into(), pos: start, message: format!("bad number '{text}'") })?;
            toks.push((start, Tok::Num(n)));
        } else if c.is_ascii_alphabetic() {
            while i < chars.len() && chars[i].is_ascii_alphanumeric() {
                i += 1;
            }
            toks.push((start, Tok::Ident(chars[start..i].iter().collect::<String>().to_ascii_uppercase())));
        } else {
            let tok = match c {
                '(' => Tok::LParen,
                ')' => Tok::RParen,
                ',' => Tok::Comma,
                ':' => Tok::Colon,
                '+' | '-' | '*' | '/' | '^' => Tok::Op(c),
                _ => return Err(SheetError::Parse { cell: cell.into(), pos: start, message: format!("unexpected '{c}'") }),
            };
            toks.push((start, tok));
            i += 1;
        }
    }
    Ok(toks)
}

struct Parser<'a> {
    toks: &'a [(usize, Tok)],
    pos: usize,
    cell: &'a str,
    end: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(_, t)| t)
    }
    fn error(&self, message: &str) -> SheetError {
        let pos = self.toks.get(self.pos).map(|(p, _)| *p).unwrap_or(self.end);
        SheetError::Parse { cell: self.cell.into(), pos, message: message.into() }
    }
    fn expect(&mut self, tok: Tok, what: &str) -> Result<(), SheetError> {
        if self.peek() == Some(&tok) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(&format!("expected {what}")))
        }
    }
    fn expr(&mut self) -> Result<Expr, SheetError> {
        let mut lhs = self.term()?;
        while let Some(Tok::Op(op @ ('+' | '-'))) = self.peek().cloned() {
            self.pos += 1;
            lhs = Expr::Bin(op, Box::new(lhs), Box::new(self.term()?));
        }
        Ok(lhs)
    }
    fn term(&mut self) -> Result<Expr, SheetError> {
        let mut lhs = self.unary()?;
        while let Some(Tok::Op(op @ ('*' | '/'))) = self.peek().cloned() {
            self.pos += 1;
            lhs = Expr::Bin(op, Box::new(lhs), Box::new(self.unary()?));
        }
        Ok(lhs)
    }
    fn unary(&mut self) -> Result<Expr, SheetError> {
        if self.peek() == Some(&Tok::Op('-')) {
            self.pos += 1;
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        let base = self.primary()?;
        if self.peek() == Some(&Tok::Op('^')) {
            self.pos += 1;
            return Ok(Expr::Bin('^', Box::new(base), Box::new(self.unary()?)));
        }
        Ok(base)
    }
    fn cell_ref(&self, name: &str) -> Result<CellRef, SheetError> {
        name.parse::<CellRef>().map_err(|_| self.error(&format!("'{name}' is not a cell reference")))
    }
    fn primary(&mut self) -> Result<Expr, SheetError> {
        let tok = self.peek().cloned().ok_or_else(|| self.error("unexpected end of formula"))?;
        self.pos += 1;
        match tok {
            Tok::Num(n) => Ok(Expr::Num(n)),
            Tok::LParen => {
                let e = self.expr()?;
                self.expect(Tok::RParen, "')'")?;
                Ok(e)
            }
            Tok::Ident(name) if self.peek() == Some(&Tok::LParen) => {
                self.pos += 1;
                let mut args = Vec::new();
                if self.peek() != Some(&Tok::RParen) {
                    loop {
                        args.push(self.arg()?);
                        if self.peek() == Some(&Tok::Comma) {
                            self.pos += 1;
                        } else {
                            break;
                        }
                    }
                }
                self.expect(Tok::RParen, "')' after arguments")?;
                Ok(Expr::Call(name, args))
            }
            Tok::Ident(name) => {
                self.pos -= 1;
                let r = self.cell_ref(&name)?;
                self.pos += 1;
                Ok(Expr::Ref(r))
            }
            _ => {
                self.pos -= 1;
                Err(self.error("expected a value"))
            }
        }
    }
    fn arg(&mut self) -> Result<Arg, SheetError> {
        if let (Some((_, Tok::Ident(a))), Some((_, Tok::Colon)), Some((_, Tok::Ident(b)))) =
            (self.toks.get(self.pos), self.toks.get(self.pos + 1), self.toks.get(self.pos + 2))
        {
            let range = Arg::Range(self.cell_ref(a)?, self.cell_ref(b)?);
            self.pos += 3;
            return Ok(range);
        }
        Ok(Arg::Expr(self.expr()?))
    }
}

fn parse_content(cell: &str, input: &str) -> Result<Content, SheetError> {
    let input = input.trim();
    if let Some(formula) = input.strip_prefix('=') {
        let toks = tokenize(formula, cell)?;
        let mut p = Parser { toks: &toks, pos: 0, cell, end: formula.len() };
        let expr = p.expr()?;
        if p.pos != toks.len() {
            return Err(p.error("unexpected trailing input"));
        }
        Ok(Content::Formula(expr))
    } else if let Ok(n) = input.parse::<f64>() {
        Ok(Content::Number(n))
    } else {
        Ok(Content::Text(input.to_string()))
    }
}

#[derive(Default)]
struct SheetBuilder {
    raw: Vec<(String, String)>,
}

impl SheetBuilder {
    fn new() -> Self {
        Self::default()
    }
    fn cell(mut self, addr: &str, input: impl Into<String>) -> Self {
        self.raw.push((addr.to_string(), input.into()));
        self
    }
    fn row(mut self, row: u32, values: &[&str]) -> Self {
        for (i, v) in values.iter().enumerate() {
            let addr = CellRef { row: row - 1, col: i as u32 }.to_string();
            self.raw.push((addr, v.to_string()));
        }
        self
    }
    fn build(self) -> Result<Sheet, SheetError> {
        let mut cells = HashMap::new();
        for (addr, input) in self.raw {
            let r: CellRef = addr.parse()?;
            let content = parse_content(&r.to_string(), &input)?;
            if cells.insert(r, content).is_some() {
                return Err(SheetError::Duplicate(r.to_string()));
            }
        }
        Ok(Sheet { cells })
    }
}

struct Sheet {
    cells: HashMap<CellRef, Content>,
}

struct Evaluator<'a> {
    sheet: &'a Sheet,
    cache: HashMap<CellRef, f64>,
    stack: Vec<CellRef>,
}

impl<'a> Evaluator<'a> {
    fn value(&mut self, cell: CellRef) -> Result<f64, SheetError> {
        if let Some(v) = self.cache.get(&cell) {
            return Ok(*v);
        }
        if let Some(pos) = self.stack.iter().position(|c| *c == cell) {
            let mut cycle: Vec<String> = self.stack[pos..].iter().map(|c| c.to_string()).collect();
            cycle.push(cell.to_string());
            return Err(SheetError::Cycle(cycle));
        }
        self.stack.push(cell);
        let result = match self.sheet.cells.get(&cell) {
            None => Ok(0.0),
            Some(Content::Number(n)) => Ok(*n),
            Some(Content::Text(_)) => {
                let from = self.stack.iter().rev().nth(1).copied().unwrap_or(cell);
                Err(SheetError::NotANumber { cell: from.to_string(), target: cell.to_string() })
            }
            Some(Content::Formula(expr)) => self.eval(expr, cell),
        };
        self.stack.pop();
        let v = result?;
        self.cache.insert(cell, v);
        Ok(v)
    }

    fn eval(&mut self, expr: &Expr, at: CellRef) -> Result<f64, SheetError> {
        Ok(match expr {
            Expr::Num(n) => *n,
            Expr::Ref(r) => self.value(*r)?,
            Expr::Neg(e) => -self.eval(e, at)?,
            Expr::Bin(op, a, b) => {
                let (x, y) = (self.eval(a, at)?, self.eval(b, at)?);
                match op {
                    '+' => x + y,
                    '-' => x - y,
                    '*' => x * y,
                    '/' if y == 0.0 => return Err(SheetError::DivisionByZero(at.to_string())),
                    '/' => x / y,
                    _ => x.powf(y),
                }
            }
            Expr::Call(name, args) => {
                let mut values = Vec::new();
                for arg in args {
                    match arg {
                        Arg::Expr(e) => values.push(self.eval(e, at)?),
                        Arg::Range(a, b) => {
                            for row in a.row.min(b.row)..=a.row.max(b.row) {
                                for col in a.col.min(b.col)..=a.col.max(b.col) {
                                    let r = CellRef { row, col };
                                    if !matches!(self.sheet.cells.get(&r), Some(Content::Text(_))) {
                                        values.push(self.value(r)?);
                                    }
                                }
                            }
                        }
                    }
                }
                match name.as_str() {
                    "SUM" => values.iter().sum(),
                    "AVG" | "AVERAGE" if values.is_empty() => return Err(SheetError::DivisionByZero(at.to_string())),
                    "AVG" | "AVERAGE" => values.iter().sum::<f64>() / values.len() as f64,
                    "MIN" => values.iter().copied().fold(f64::INFINITY, f64::min),
                    "MAX" => values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                    "COUNT" => values.len() as f64,
                    _ => return Err(SheetError::UnknownFunction { cell: at.to_string(), name: name.clone() }),
                }
            }
        })
    }
}

impl Sheet {
    fn evaluate_all(&self) -> BTreeMap<CellRef, Result<f64, SheetError>> {
        let mut ev = Evaluator { sheet: self, cache: HashMap::new(), stack: Vec::new() };
        self.cells
            .iter()
            .filter(|(_, c)| !matches!(c, Content::Text(_)))
            .map(|(r, _)| (*r, ev.value(*r)))
            .collect()
    }

    fn get(&self, addr: &str) -> Result<f64, SheetError> {
        let r: CellRef = addr.parse()?;
        Evaluator { sheet: self, cache: HashMap::new(), stack: Vec::new() }.value(r)
    }

    fn render(&self) -> String {
        let values = self.evaluate_all();
        let max_row = self.cells.keys().map(|r| r.row).max().unwrap_or(0);
        let max_col = self.cells.keys().map(|r| r.col).max().unwrap_or(0);
        let mut out = format!("{:>4}", "");
        for col in 0..=max_col {
            let name = CellRef { row: 0, col }.to_string();
            out.push_str(&format!(" {:>12}", name.trim_end_matches(char::is_numeric)));
        }
        out.push('\n');
        for row in 0..=max_row {
            out.push_str(&format!("{:>4}", row + 1));
            for col in 0..=max_col {
                let r = CellRef { row, col };
                let text = match (self.cells.get(&r), values.get(&r)) {
                    (Some(Content::Text(t)), _) => t.clone(),
                    (_, Some(Ok(v))) => format!("{v:.2}"),
                    (_, Some(Err(_))) => "#ERR".to_string(),
                    _ => String::new(),
                };
                out.push_str(&format!(" {text:>12}"));
            }
            out.push('\n');
        }
        out
    }
}

fn main() -> Result<()> {
    let budget = SheetBuilder::new()
        .row(1, &["Item", "Cost", "Share %"])
        .row(2, &["Rent", "1200", "=B2/B$6*100"].map(|s| s.replace('$', "")).iter().map(String::as_str).collect::<Vec<_>>())
        .row(3, &["Food", "450.5", "=B3/B6*100"])
        .row(4, &["Transport", "=80*4", "=B4/B6*100"])
        .row(5, &["Fun", "=B3*0.25", "=B5/B6*100"])
        .row(6, &["Total", "=SUM(B2:B5)", "=SUM(C2:C5)"])
        .cell("A8", "Average")
        .cell("B8", "=AVG(B2:B5)")
        .cell("A9", "Spread")
        .cell("B9", "=MAX(B2:B5) - MIN(B2:B5)")
        .cell("A10", "Left of 3k")
        .cell("B10", "=-(B6 - 3000)")
        .cell("A11", "Compound")
        .cell("B11", "=1000 * (1 + 0.05)^10")
        .build()
        .context("building the budget sheet")?;
    println!("Budget sheet:\n{}", budget.render());
    let total = budget.get("B6").context("evaluating B6")?;
    println!("Total cost: {total:.2}\n");

    let cyclic = SheetBuilder::new().cell("A1", "=B1 + 1").cell("B1", "=C1 * 2").cell("C1", "=A1").cell("D1", "5").build()?;
    match cyclic.get("A1").context("evaluating A1 in the cyclic sheet") {
        Ok(v) => println!("unexpected value {v}"),
        Err(e) => println!("cyclic sheet: {e:#}"),
    }
    println!("cyclic sheet still evaluates D1 = {}\n", cyclic.get("D1")?);

    let broken_inputs: [(&str, SheetBuilder); 5] = [
        ("unclosed call", SheetBuilder::new().cell("A1", "=SUM(B1:B3")),
        ("bad reference", SheetBuilder::new().cell("1A", "3")),
        ("duplicate", SheetBuilder::new().cell("A1", "1").cell("a1", "2")),
        ("stray symbol", SheetBuilder::new().cell("A1", "=2 # 3")),
        ("unknown function", SheetBuilder::new().cell("A1", "=MEDIAN(B1:B2)")),
    ];
    for (label, builder) in broken_inputs {
        let result = builder.build().with_context(|| format!("sheet '{label}'")).and_then(|s| {
            s.get("A1").with_context(|| format!("evaluating sheet '{label}'"))
        });
        match result {
            Ok(v) => println!("{label}: evaluated to {v}"),
            Err(e) => println!("{label}: {e:#}"),
        }
    }

    let zero = SheetBuilder::new().cell("A1", "10").cell("B1", "=A1 / (A1 - 10)").cell("C1", "Label").cell("D1", "=C1 + 1").build()?;
    for addr in ["B1", "D1"] {
        if let Err(e) = zero.get(addr).with_context(|| format!("evaluating {addr}")) {
            println!("{e:#}");
        }
    }
    Ok(())
}
