use std::collections::HashMap;
use std::fmt;
use thiserror::Error;

#[derive(Debug, Error, PartialEq)]
pub enum ParseError {
    #[error("request is empty")]
    Empty,
    #[error("malformed request line: '{0}'")]
    BadRequestLine(String),
    #[error("unsupported method '{0}'")]
    BadMethod(String),
    #[error("unsupported HTTP version '{0}'")]
    BadVersion(String),
    #[error("invalid request target '{0}'")]
    BadTarget(String),
    #[error("malformed header on line {line}: '{text}'")]
    BadHeader { line: usize, text: String },
    #[error("missing blank line after headers")]
    MissingHeaderTerminator,
    #[error("invalid Content-Length '{0}'")]
    BadContentLength(String),
    #[error("body length {actual} does not match Content-Length {expected}")]
    BodyLengthMismatch { expected: usize, actual: usize },
    #[error("HTTP/1.1 requests must include a Host header")]
    MissingHost,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
    Patch,
    Head,
    Options,
}

impl std::str::FromStr for Method {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "GET" => Method::Get,
            "POST" => Method::Post,
            "PUT" => Method::Put,
            "DELETE" => Method::Delete,
            "PATCH" => Method::Patch,
            "HEAD" => Method::Head,
            "OPTIONS" => Method::Options,
            other => return Err(ParseError::BadMethod(other.to_string())),
        })
    }
}

#[derive(Debug)]
pub struct Request {
    pub method: Method,
    pub path: String,
    pub query: HashMap<String, String>,
    pub version: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl fmt::Display for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{:?} {} ({})", self.method, self.path, self.version)?;
        if !self.query.is_empty() {
            let mut q: Vec<_> = self.query.iter().collect();
            q.sort();
            writeln!(f, "  query: {:?}", q)?;
        }
        for (k, v) in &self.headers {
            writeln!(f, "  {}: {}", k, v)?;
        }
        if !self.body.is_empty() {
            writeln!(f, "  body ({} bytes): {}", self.body.len(), self.body)?;
        }
        Ok(())
    }
}

fn parse_query(q: &str) -> HashMap<String, String> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (pair.to_string(), String::new()),
        })
        .collect()
}

pub fn parse_request(raw: &str) -> Result<Request, ParseError> {
    if raw.trim().is_empty() {
        return Err(ParseError::Empty);
    }
    // Accept both CRLF and bare LF line endings.
    let (head, body) = if let Some(i) = raw.find("\r\n\r\n") {
        (&raw[..i], &raw[i + 4..])
    } else if let Some(i) = raw.find("\n\n") {
        (&raw[..i], &raw[i + 2..])
    } else {
        return Err(ParseError::MissingHeaderTerminator);
    };

    let mut lines = head.lines();
    let request_line = lines.next().ok_or(ParseError::Empty)?;
    let parts: Vec<&str> = request_line.split(' ').collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty()) {
        return Err(ParseError::BadRequestLine(request_line.to_string()));
    }
    let method: Method = parts[0].parse()?;
    let target = parts[1];
    if !target.starts_with('/') && target != "*" {
        return Err(ParseError::BadTarget(target.to_string()));
    }
    let version = parts[2];
    if version != "HTTP/1.1" && version != "HTTP/1.0" {
        return Err(ParseError::BadVersion(version.to_string()));
    }
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), parse_query(q)),
        None => (target.to_string(), HashMap::new()),
    };

    let mut headers = Vec::new();
    for (i, line) in lines.enumerate() {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| ParseError::BadHeader { line: i + 2, text: line.to_string() })?;
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(ParseError::BadHeader { line: i + 2, text: line.to_string() });
        }
        headers.push((name.to_string(), value.trim().to_string()));
    }

    let req = Request { method, path, query, version: version.to_string(), headers, body: String::new() };
    if req.version == "HTTP/1.1" && req.header("Host").is_none() {
        return Err(ParseError::MissingHost);
    }
    let body = match req.header("Content-Length") {
        Some(cl) => {
            let expected: usize = cl.parse().map_err(|_| ParseError::BadContentLength(cl.to_string()))?;
            if body.len() != expected {
                return Err(ParseError::BodyLengthMismatch { expected, actual: body.len() });
            }
            body.to_string()
        }
        None => body.to_string(),
    };
    Ok(Request { body, ..req })
}

fn main() {
    let samples: Vec<(&str, String)> = vec![
        ("simple GET", "GET /index.html HTTP/1.1\r\nHost: example.com\r\nUser-Agent: demo/1.0\r\nAccept: */*\r\n\r\n".to_string()),
        ("GET with query", "GET /search?q=rust&page=2&safe HTTP/1.1\r\nHost: example.com\r\n\r\n".to_string()),
        ("POST with body", {
            let body = r#"{"name":"ferris","age":7}"#;
            format!("POST /api/users HTTP/1.1\r\nHost: api.example.com\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{}", body.len(), body)
        }),
        ("LF line endings", "DELETE /items/42 HTTP/1.0\nAuthorization: Bearer abc\n\n".to_string()),
        ("empty", "   ".to_string()),
        ("bad method", "FETCH / HTTP/1.1\r\nHost: x\r\n\r\n".to_string()),
        ("bad version", "GET / HTTP/2.0\r\nHost: x\r\n\r\n".to_string()),
        ("bad request line", "GET /only-two-parts\r\nHost: x\r\n\r\n".to_string()),
        ("bad header", "GET / HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n".to_string()),
        ("missing host", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n".to_string()),
        ("length mismatch", "POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc".to_string()),
        ("no terminator", "GET / HTTP/1.1\r\nHost: x".to_string()),
    ];

    let mut ok = 0;
    for (name, raw) in &samples {
        println!("--- {} ---", name);
        match parse_request(raw) {
            Ok(req) => {
                ok += 1;
                print!("{}", req);
                if let Some(ct) = req.header("content-type") {
                    println!("  (content type via case-insensitive lookup: {})", ct);
                }
            }
            Err(e) => println!("  error: {}", e),
        }
    }
    println!("\n{} of {} samples parsed successfully", ok, samples.len());
}
