//! An RPN calculator REPL driven by scripted sessions.
//!
//! Every session runs on its own thread (`std::thread::scope`) with its own
//! calculator; each evaluated line is sent over an mpsc channel and the
//! transcripts are merged and summarised at the end. A line that fails is
//! rolled back, so the stack and variables are unchanged by errors.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::mpsc;
use std::thread;

#[derive(Debug, Clone, PartialEq)]
enum CalcError {
    StackUnderflow { op: String, needed: usize, available: usize },
    DivisionByZero(String),
    UnknownToken(String),
    UndefinedVariable(String),
    Domain { op: String, value: f64 },
    InvalidName(String),
}

impl CalcError {
    fn kind(&self) -> &'static str {
        match self {
            CalcError::StackUnderflow { .. } => "stack underflow",
            CalcError::DivisionByZero(_) => "division by zero",
            CalcError::UnknownToken(_) => "unknown token",
            CalcError::UndefinedVariable(_) => "undefined variable",
            CalcError::Domain { .. } => "domain error",
            CalcError::InvalidName(_) => "invalid name",
        }
    }
}

impl fmt::Display for CalcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CalcError::StackUnderflow { op, needed, available } => {
                write!(f, "'{op}' needs {needed} value(s) but the stack has {available}")
            }
            CalcError::DivisionByZero(op) => write!(f, "division by zero in '{op}'"),
            CalcError::UnknownToken(t) => write!(f, "unknown token '{t}'"),
            CalcError::UndefinedVariable(v) => write!(f, "variable '{v}' is not defined"),
            CalcError::Domain { op, value } => write!(f, "'{op}' is undefined for {}", fmt_num(*value)),
            CalcError::InvalidName(n) => write!(f, "'{n}' is not a valid variable name"),
        }
    }
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else if x.is_finite() {
        let s = format!("{x:.10}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        format!("{x}")
    }
}

fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_') && chars.all(|c| c.is_alphanumeric() || c == '_')
}

#[derive(Default, Clone)]
struct Calculator {
    stack: Vec<f64>,
    vars: HashMap<String, f64>,
}

impl Calculator {
    fn pop_n(&mut self, op: &str, n: usize) -> Result<Vec<f64>, CalcError> {
        if self.stack.len() < n {
            return Err(CalcError::StackUnderflow { op: op.to_string(), needed: n, available: self.stack.len() });
        }
        Ok(self.stack.split_off(self.stack.len() - n))
    }

    fn peek(&self, op: &str) -> Result<f64, CalcError> {
        self.stack.last().copied().ok_or_else(|| CalcError::StackUnderflow { op: op.to_string(), needed: 1, available: 0 })
    }

    fn binary(&mut self, op: &str) -> Result<(), CalcError> {
        let v = self.pop_n(op, 2)?;
        let (a, b) = (v[0], v[1]);
        let r = match op {
            "+" => a + b,
            "-" => a - b,
            "*" => a * b,
            "/" | "%" if b == 0.0 => return Err(CalcError::DivisionByZero(op.to_string())),
            "/" => a / b,
            "%" => a % b,
            "^" => {
                let r = a.powf(b);
                if r.is_nan() {
                    return Err(CalcError::Domain { op: op.to_string(), value: a });
                }
                r
            }
            "min" => a.min(b),
            "max" => a.max(b),
            _ => unreachable!("binary() called with {op}"),
        };
        self.stack.push(r);
        Ok(())
    }

    fn unary(&mut self, op: &str) -> Result<(), CalcError> {
        let x = self.pop_n(op, 1)?[0];
        let r = match op {
            "neg" => -x,
            "abs" => x.abs(),
            "floor" => x.floor(),
            "sqrt" if x < 0.0 => return Err(CalcError::Domain { op: op.into(), value: x }),
            "sqrt" => x.sqrt(),
            "ln" if x <= 0.0 => return Err(CalcError::Domain { op: op.into(), value: x }),
            "ln" => x.ln(),
            _ => unreachable!("unary() called with {op}"),
        };
        self.stack.push(r);
        Ok(())
    }

    fn eval_token(&mut self, token: &str, printed: &mut Vec<String>) -> Result<(), CalcError> {
        match token {
            "+" | "-" | "*" | "/" | "%" | "^" | "min" | "max" => self.binary(token)?,
            "neg" | "abs" | "floor" | "sqrt" | "ln" => self.unary(token)?,
            "dup" => {
                let x = self.peek(token)?;
                self.stack.push(x);
            }
            "drop" => {
                self.pop_n(token, 1)?;
            }
            "swap" => {
                let v = self.pop_n(token, 2)?;
                self.stack.extend([v[1], v[0]]);
            }
            "over" => {
                let v = self.pop_n(token, 2)?;
                self.stack.extend([v[0], v[1], v[0]]);
            }
            "rot" => {
                let v = self.pop_n(token, 3)?;
                self.stack.extend([v[1], v[2], v[0]]);
            }
            "clear" => self.stack.clear(),
            "depth" => self.stack.push(self.stack.len() as f64),
            "sum" => {
                let total = self.stack.drain(..).sum();
                self.stack.push(total);
            }
            "prod" => {
                let total = self.stack.drain(..).product();
                self.stack.push(total);
            }
            "pi" => self.stack.push(std::f64::consts::PI),
            "e" => self.stack.push(std::f64::consts::E),
            "." => printed.push(fmt_num(self.peek(token)?)),
            ".s" => printed.push(format!("<{}> {}", self.stack.len(), self.render_stack())),
            "vars" => {
                let sorted: BTreeMap<&String, &f64> = self.vars.iter().collect();
                let list: Vec<String> = sorted.iter().map(|(k, v)| format!("{k}={}", fmt_num(**v))).collect();
                printed.push(if list.is_empty() { "(no variables)".into() } else { list.join(" ") });
            }
            _ => return self.eval_other(token),
        }
        Ok(())
    }

    fn eval_other(&mut self, token: &str) -> Result<(), CalcError> {
        let unsigned = token.strip_prefix('-').unwrap_or(token);
        if unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
            let x: f64 = token.parse().map_err(|_| CalcError::UnknownToken(token.to_string()))?;
            self.stack.push(x);
            return Ok(());
        }
        if let Some(name) = token.strip_prefix('=') {
            // store without popping
            if !valid_name(name) {
                return Err(CalcError::InvalidName(name.to_string()));
            }
            let x = self.peek(token)?;
            self.vars.insert(name.to_string(), x);
            return Ok(());
        }
        if let Some(name) = token.strip_prefix('>') {
            // pop and store
            if !valid_name(name) {
                return Err(CalcError::InvalidName(name.to_string()));
            }
            let x = self.pop_n(token, 1)?[0];
            self.vars.insert(name.to_string(), x);
            return Ok(());
        }
        if valid_name(token) {
            let x = *self.vars.get(token).ok_or_else(|| CalcError::UndefinedVariable(token.to_string()))?;
            self.stack.push(x);
            return Ok(());
        }
        Err(CalcError::UnknownToken(token.to_string()))
    }

    fn render_stack(&self) -> String {
        format!("[{}]", self.stack.iter().map(|&x| fmt_num(x)).collect::<Vec<_>>().join(" "))
    }

    /// Evaluates a whole line atomically.
    fn eval_line(&mut self, line: &str) -> Result<String, CalcError> {
        let snapshot = (self.stack.clone(), self.vars.clone());
        let mut printed = Vec::new();
        for token in line.split_whitespace() {
            if let Err(e) = self.eval_token(token, &mut printed) {
                (self.stack, self.vars) = snapshot;
                return Err(e);
            }
        }
        let stack = self.render_stack();
        Ok(if printed.is_empty() { stack } else { format!("{}   {stack}", printed.join(" ")) })
    }
}

enum Message {
    Line { session: usize, line_no: usize, input: String, result: Result<String, CalcError> },
    Done { session: usize, final_stack: String, variables: usize },
}

struct Transcript {
    name: &'static str,
    lines: Vec<(usize, String, Result<String, CalcError>)>,
    final_stack: String,
    variables: usize,
}

fn run_sessions(sessions: &[(&'static str, &'static str)]) -> Vec<Transcript> {
    let (tx, rx) = mpsc::channel::<Message>();
    thread::scope(|scope| {
        for (session, &(_, script)) in sessions.iter().enumerate() {
            let tx = tx.clone();
            scope.spawn(move || {
                let mut calc = Calculator::default();
                for (i, line) in script.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
                    let result = calc.eval_line(line);
                    let msg = Message::Line { session, line_no: i + 1, input: line.trim().to_string(), result };
                    tx.send(msg).expect("collector alive");
                }
                tx.send(Message::Done { session, final_stack: calc.render_stack(), variables: calc.vars.len() })
                    .expect("collector alive");
            });
        }
    });
    drop(tx);

    let mut transcripts: Vec<Transcript> = sessions
        .iter()
        .map(|&(name, _)| Transcript { name, lines: Vec::new(), final_stack: String::new(), variables: 0 })
        .collect();
    for msg in rx {
        match msg {
            Message::Line { session, line_no, input, result } => transcripts[session].lines.push((line_no, input, result)),
            Message::Done { session, final_stack, variables } => {
                transcripts[session].final_stack = final_stack;
                transcripts[session].variables = variables;
            }
        }
    }
    for t in &mut transcripts {
        t.lines.sort_by_key(|(line_no, _, _)| *line_no);
    }
    transcripts
}

const SESSIONS: [(&str, &str); 4] = [
    ("basics", "3 4 +\n2 *\n10 3 /\n.\n5 0 /\n1 2 3 4 sum\nclear\n2 10 ^\n2 0.5 ^ .\n"),
    ("stack-ops", "1 2 3\nswap\nrot\nover\ndup *\ndrop drop drop\ndrop\ndepth\n.s\n"),
    ("variables", "9.81 >g\n2 >t\ng t t * * 2 / =d\n.s\nd sqrt\nspeed\n-16 sqrt\n3 >2x\nvars\n"),
    ("errors", "1 +\nfoo\n3 4 bar +\n2 -3 ^ .\n-1 ln\n-8 0.5 ^\n1e3 -2.5e-1 *\n12 5 %\n7 0 %\n1.2.3\n"),
];

fn main() {
    let transcripts = run_sessions(&SESSIONS);

    let mut error_kinds: BTreeMap<&'static str, usize> = BTreeMap::new();
    let (mut total, mut failed) = (0, 0);
    for t in &transcripts {
        println!("== session '{}' ==", t.name);
        for (line_no, input, result) in &t.lines {
            total += 1;
            match result {
                Ok(output) => println!("{line_no:>3} rpn> {input:<22} {output}"),
                Err(e) => {
                    failed += 1;
                    *error_kinds.entry(e.kind()).or_insert(0) += 1;
                    println!("{line_no:>3} rpn> {input:<22} error: {e} (line rolled back)");
                }
            }
        }
        println!("    final stack {}, {} variable(s)\n", t.final_stack, t.variables);
    }

    println!("Merged summary: {} sessions, {total} lines, {} ok, {failed} errors", transcripts.len(), total - failed);
    for (kind, count) in error_kinds {
        println!("  {kind:<20} {count}");
    }
}
