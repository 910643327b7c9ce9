use std::collections::HashMap;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
}

impl Op {
    fn symbol(self) -> &'static str {
        match self {
            Op::Add => "+",
            Op::Sub => "-",
            Op::Mul => "*",
            Op::Div => "/",
            Op::Pow => "^",
        }
    }
    fn precedence(self) -> u8 {
        match self {
            Op::Add | Op::Sub => 1,
            Op::Mul | Op::Div => 2,
            Op::Pow => 3,
        }
    }
}

/// A token borrows its text from the input line.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Token<'a> {
    Number(&'a str, f64),
    Variable(&'a str),
    Operator(&'a str, Op),
    Negate(&'a str),
}

#[derive(Debug)]
enum ParseError<'a> {
    BadToken { text: &'a str, offset: usize },
    StackUnderflow { token: &'a str },
    Leftover(usize),
    Empty,
}

impl fmt::Display for ParseError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::BadToken { text, offset } => write!(f, "unknown token '{text}' at offset {offset}"),
            ParseError::StackUnderflow { token } => write!(f, "not enough operands for '{token}'"),
            ParseError::Leftover(n) => write!(f, "{n} operands left without an operator"),
            ParseError::Empty => write!(f, "empty expression"),
        }
    }
}

struct Tokens<'a> {
    src: &'a str,
    pos: usize,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Result<Token<'a>, ParseError<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        let rest = &self.src[self.pos..];
        let trimmed = rest.trim_start();
        if trimmed.is_empty() {
            return None;
        }
        let start = self.pos + (rest.len() - trimmed.len());
        let len = trimmed.find(char::is_whitespace).unwrap_or(trimmed.len());
        let text = &self.src[start..start + len];
        self.pos = start + len;
        let token = match text {
            "+" => Token::Operator(text, Op::Add),
            "-" => Token::Operator(text, Op::Sub),
            "*" => Token::Operator(text, Op::Mul),
            "/" => Token::Operator(text, Op::Div),
            "^" => Token::Operator(text, Op::Pow),
            "~" | "neg" => Token::Negate(text),
            _ => {
                if let Ok(n) = text.parse::<f64>() {
                    Token::Number(text, n)
                } else if text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && text.starts_with(|c: char| c.is_ascii_alphabetic()) {
                    Token::Variable(text)
                } else {
                    return Some(Err(ParseError::BadToken { text, offset: start }));
                }
            }
        };
        Some(Ok(token))
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Expr<'a> {
    Num(f64),
    Var(&'a str),
    Neg(Box<Expr<'a>>),
    Bin(Op, Box<Expr<'a>>, Box<Expr<'a>>),
}

fn parse_postfix(src: &str) -> Result<Expr<'_>, ParseError<'_>> {
    let mut stack: Vec<Expr> = Vec::new();
    for token in (Tokens { src, pos: 0 }) {
        match token? {
            Token::Number(_, n) => stack.push(Expr::Num(n)),
            Token::Variable(name) => stack.push(Expr::Var(name)),
            Token::Negate(text) => {
                let e = stack.pop().ok_or(ParseError::StackUnderflow { token: text })?;
                stack.push(Expr::Neg(Box::new(e)));
            }
            Token::Operator(text, op) => {
                let rhs = stack.pop().ok_or(ParseError::StackUnderflow { token: text })?;
                let lhs = stack.pop().ok_or(ParseError::StackUnderflow { token: text })?;
                stack.push(Expr::Bin(op, Box::new(lhs), Box::new(rhs)));
            }
        }
    }
    match stack.len() {
        0 => Err(ParseError::Empty),
        1 => Ok(stack.pop().unwrap()),
        n => Err(ParseError::Leftover(n)),
    }
}

fn num(n: f64) -> Expr<'static> {
    Expr::Num(n)
}

fn bin<'a>(op: Op, a: Expr<'a>, b: Expr<'a>) -> Expr<'a> {
    Expr::Bin(op, Box::new(a), Box::new(b))
}

impl<'a> Expr<'a> {
    fn eval(&self, env: &HashMap<&str, f64>) -> Option<f64> {
        Some(match self {
            Expr::Num(n) => *n,
            Expr::Var(v) => *env.get(v)?,
            Expr::Neg(e) => -e.eval(env)?,
            Expr::Bin(op, a, b) => {
                let (x, y) = (a.eval(env)?, b.eval(env)?);
                match op {
                    Op::Add => x + y,
                    Op::Sub => x - y,
                    Op::Mul => x * y,
                    Op::Div => x / y,
                    Op::Pow => x.powf(y),
                }
            }
        })
    }

    fn simplify_once(self) -> Expr<'a> {
        use Expr::*;
        match self {
            Neg(e) => match e.simplify_once() {
                Num(n) => Num(-n),
                Neg(inner) => *inner,
                other => Neg(Box::new(other)),
            },
            Bin(op, a, b) => {
                let (a, b) = (a.simplify_once(), b.simplify_once());
                match (op, a, b) {
                    (Op::Div, a, Num(d)) if d == 0.0 => bin(Op::Div, a, Num(d)),
                    (op, Num(x), Num(y)) => Num(match op {
                        Op::Add => x + y,
                        Op::Sub => x - y,
                        Op::Mul => x * y,
                        Op::Div => x / y,
                        Op::Pow => x.powf(y),
                    }),
                    (Op::Add, Num(z), e) | (Op::Add, e, Num(z)) if z == 0.0 => e,
                    (Op::Add, a, b) if a == b => bin(Op::Mul, num(2.0), a),
                    (Op::Add, Bin(Op::Mul, c, x), y) if matches!(*c, Num(_)) && *x == y => {
                        let Num(c) = *c else { unreachable!() };
                        bin(Op::Mul, num(c + 1.0), y)
                    }
                    (Op::Sub, e, Num(z)) if z == 0.0 => e,
                    (Op::Sub, Num(z), e) if z == 0.0 => Neg(Box::new(e)),
                    (Op::Sub, a, b) if a == b => num(0.0),
                    (Op::Mul, Num(z), _) | (Op::Mul, _, Num(z)) if z == 0.0 => num(0.0),
                    (Op::Mul, Num(o), e) | (Op::Mul, e, Num(o)) if o == 1.0 => e,
                    (Op::Mul, e, Num(c)) => bin(Op::Mul, Num(c), e),
                    (Op::Mul, Num(c1), Bin(Op::Mul, c2, e)) if matches!(*c2, Num(_)) => {
                        let Num(c2) = *c2 else { unreachable!() };
                        bin(Op::Mul, Num(c1 * c2), *e)
                    }
                    (Op::Mul, a, b) if a == b => bin(Op::Pow, a, num(2.0)),
                    (Op::Div, e, Num(o)) if o == 1.0 => e,
                    (Op::Div, Num(z), _) if z == 0.0 => num(0.0),
                    (Op::Div, a, b) if a == b => num(1.0),
                    (Op::Pow, _, Num(z)) if z == 0.0 => num(1.0),
                    (Op::Pow, e, Num(o)) if o == 1.0 => e,
                    (Op::Pow, Num(o), _) if o == 1.0 => num(1.0),
                    (Op::Pow, Bin(Op::Pow, base, p1), Num(p2)) if matches!(*p1, Num(_)) => {
                        let Num(p1) = *p1 else { unreachable!() };
                        bin(Op::Pow, *base, Num(p1 * p2))
                    }
                    (op, a, b) => bin(op, a, b),
                }
            }
            leaf => leaf,
        }
    }

    fn simplify(self) -> Expr<'a> {
        let mut current = self;
        for _ in 0..32 {
            let next = current.clone().simplify_once();
            if next == current {
                break;
            }
            current = next;
        }
        current
    }

    fn size(&self) -> usize {
        match self {
            Expr::Num(_) | Expr::Var(_) => 1,
            Expr::Neg(e) => 1 + e.size(),
            Expr::Bin(_, a, b) => 1 + a.size() + b.size(),
        }
    }

    fn write_infix(&self, f: &mut fmt::Formatter<'_>, parent: u8, right_side: bool) -> fmt::Result {
        match self {
            Expr::Num(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
                if *n < 0.0 && parent > 0 { write!(f, "({})", *n as i64) } else { write!(f, "{}", *n as i64) }
            }
            Expr::Num(n) => {
                if *n < 0.0 && parent > 0 { write!(f, "({n})") } else { write!(f, "{n}") }
            }
            Expr::Var(v) => write!(f, "{v}"),
            Expr::Neg(e) => {
                write!(f, "-")?;
                e.write_infix(f, 4, false)
            }
            Expr::Bin(op, a, b) => {
                let p = op.precedence();
                // Parenthesize lower precedence, and equal precedence on the non-associative side.
                let needs = p < parent || (p == parent && (right_side != (*op == Op::Pow)) && !(right_side && matches!(op, Op::Add | Op::Mul) && parent != 3));
                if needs {
                    write!(f, "(")?;
                }
                a.write_infix(f, p, false)?;
                write!(f, " {} ", op.symbol())?;
                b.write_infix(f, p, true)?;
                if needs {
                    write!(f, ")")?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for Expr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_infix(f, 0, false)
    }
}

fn main() {
    let input = "\
x 0 + 1 *
x x + 3 *
a b + c d - *
x 2 ^ 1 ^ y 0 ^ *
2 3 + x * 4 2 / -
x y - x y - -
a b - c -
a b c - -
x ~ ~ 5 +
2 x ^ 3 ^
x 2 ^ 3 ^
0 y / z 1 / +
x x * x +
a b / c d / /
x +
1 2
x $ +
";
    let env: HashMap<&str, f64> = [("x", 1.5), ("y", -2.0), ("z", 2.0), ("a", 3.0), ("b", 4.0), ("c", 5.0), ("d", 0.5)].into_iter().collect();

    for line in input.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match parse_postfix(line) {
            Ok(expr) => {
                let simple = expr.clone().simplify();
                let before = expr.eval(&env);
                let after = simple.eval(&env);
                let same = match (before, after) {
                    (Some(x), Some(y)) => (x - y).abs() < 1e-9 || (x.is_nan() && y.is_nan()),
                    _ => false,
                };
                println!("postfix:    {line}");
                println!("infix:      {expr}   [{} nodes]", expr.size());
                println!("simplified: {simple}   [{} nodes]", simple.size());
                println!("value:      {} (check {})\n", after.map(|v| format!("{v}")).unwrap_or("undefined".into()), if same { "ok" } else { "MISMATCH" });
            }
            Err(e) => println!("postfix:    {line}\nerror:      {e}\n"),
        }
    }
}
