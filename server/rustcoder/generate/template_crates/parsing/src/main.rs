#[derive(Debug, Clone, PartialEq)]
enum Token {
    Num(f64),
    Op(char),
    LParen,
    RParen,
}

fn tokenize(input: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = input.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() || c == '.' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            tokens.push(Token::Num(text.parse().map_err(|_| format!("bad number at {start}"))?));
        } else {
            tokens.push(match c {
                '+' | '-' | '*' | '/' => Token::Op(c),
                '(' => Token::LParen,
                ')' => Token::RParen,
                _ => return Err(format!("unexpected `{c}` at {i}")),
            });
            i += 1;
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        token
    }

    fn expr(&mut self) -> Result<f64, String> {
        let mut value = self.term()?;
        while let Some(Token::Op(op @ ('+' | '-'))) = self.peek().cloned() {
            self.pos += 1;
            let rhs = self.term()?;
            value = if op == '+' { value + rhs } else { value - rhs };
        }
        Ok(value)
    }

    fn term(&mut self) -> Result<f64, String> {
        let mut value = self.factor()?;
        while let Some(Token::Op(op @ ('*' | '/'))) = self.peek().cloned() {
            self.pos += 1;
            let rhs = self.factor()?;
            value = if op == '*' { value * rhs } else { value / rhs };
        }
        Ok(value)
    }

    fn factor(&mut self) -> Result<f64, String> {
        match self.next() {
            Some(Token::Num(n)) => Ok(n),
            Some(Token::Op('-')) => Ok(-self.factor()?),
            Some(Token::LParen) => {
                let value = self.expr()?;
                match self.next() {
                    Some(Token::RParen) => Ok(value),
                    _ => Err("expected `)`".to_string()),
                }
            }
            other => Err(format!("unexpected {other:?} at token {}", self.pos - 1)),
        }
    }
}

fn evaluate(input: &str) -> Result<f64, String> {
    let mut parser = Parser { tokens: tokenize(input)?, pos: 0 };
    let value = parser.expr()?;
    if parser.pos < parser.tokens.len() {
        return Err(format!("trailing input at token {}", parser.pos));
    }
    Ok(value)
}

fn main() {
    for input in ["1 + 2 * 3", "(1 + 2) * 3", "-(4 / 8)", "2 *"] {
        match evaluate(input) {
            Ok(v) => println!("{input} = {v}"),
            Err(e) => println!("{input}: error: {e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_and_parentheses() {
        assert_eq!(evaluate("1 + 2 * 3"), Ok(7.0));
        assert_eq!(evaluate("(1 + 2) * 3"), Ok(9.0));
        assert_eq!(evaluate("10 - 4 - 3"), Ok(3.0));
        assert_eq!(evaluate("-2 * -3"), Ok(6.0));
    }

    #[test]
    fn syntax_errors_are_reported() {
        assert!(evaluate("2 *").is_err());
        assert!(evaluate("(1").unwrap_err().contains(")"));
        assert!(evaluate("1 $ 2").unwrap_err().contains("unexpected `$`"));
        assert!(evaluate("1 2").unwrap_err().contains("trailing"));
    }
}
