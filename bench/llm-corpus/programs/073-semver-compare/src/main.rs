use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, PartialEq)]
enum SemverError {
    Empty,
    BadCore(String),
    BadNumber(String),
    LeadingZero(String),
    BadIdentifier(String),
    BadOperator(String),
    BadRequirement(String),
}

impl fmt::Display for SemverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SemverError::Empty => write!(f, "empty version"),
            SemverError::BadCore(s) => write!(f, "`{}` is not MAJOR.MINOR.PATCH", s),
            SemverError::BadNumber(s) => write!(f, "`{}` is not a number", s),
            SemverError::LeadingZero(s) => write!(f, "`{}` has a leading zero", s),
            SemverError::BadIdentifier(s) => write!(f, "invalid identifier `{}`", s),
            SemverError::BadOperator(s) => write!(f, "unknown operator `{}`", s),
            SemverError::BadRequirement(s) => write!(f, "cannot parse requirement `{}`", s),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Identifier {
    Numeric(u64),
    Alpha(String),
}

impl Ord for Identifier {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Identifier::Numeric(a), Identifier::Numeric(b)) => a.cmp(b),
            (Identifier::Numeric(_), Identifier::Alpha(_)) => Ordering::Less,
            (Identifier::Alpha(_), Identifier::Numeric(_)) => Ordering::Greater,
            (Identifier::Alpha(a), Identifier::Alpha(b)) => a.cmp(b),
        }
    }
}

impl PartialOrd for Identifier {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Identifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Identifier::Numeric(n) => write!(f, "{}", n),
            Identifier::Alpha(s) => write!(f, "{}", s),
        }
    }
}

#[derive(Debug, Clone)]
struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: Vec<Identifier>,
    build: Vec<String>,
}

impl Version {
    fn new(major: u64, minor: u64, patch: u64) -> Self {
        Version {
            major,
            minor,
            patch,
            pre: Vec::new(),
            build: Vec::new(),
        }
    }

    fn is_prerelease(&self) -> bool {
        !self.pre.is_empty()
    }

    fn triple(&self) -> (u64, u64, u64) {
        (self.major, self.minor, self.patch)
    }
}

/// Precedence per semver 2.0: build metadata is ignored, a pre-release is
/// lower than the release, identifiers compare numerically or lexically.
impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.triple().cmp(&other.triple()).then_with(|| {
            match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => self.pre.cmp(&other.pre),
            }
        })
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Version {}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            let parts: Vec<String> = self.pre.iter().map(|p| p.to_string()).collect();
            write!(f, "-{}", parts.join("."))?;
        }
        if !self.build.is_empty() {
            write!(f, "+{}", self.build.join("."))?;
        }
        Ok(())
    }
}

fn parse_number(s: &str) -> Result<u64, SemverError> {
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit()) {
        return Err(SemverError::BadNumber(s.to_string()));
    }
    if s.len() > 1 && s.starts_with('0') {
        return Err(SemverError::LeadingZero(s.to_string()));
    }
    s.parse().map_err(|_| SemverError::BadNumber(s.to_string()))
}

fn valid_ident(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

fn parse_pre(s: &str) -> Result<Vec<Identifier>, SemverError> {
    s.split('.')
        .map(|part| {
            if !valid_ident(part) {
                Err(SemverError::BadIdentifier(part.to_string()))
            } else if part.chars().all(|c| c.is_ascii_digit()) {
                parse_number(part).map(Identifier::Numeric)
            } else {
                Ok(Identifier::Alpha(part.to_string()))
            }
        })
        .collect()
}

impl FromStr for Version {
    type Err = SemverError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let s = input.trim();
        let s = s.strip_prefix('v').unwrap_or(s);
        if s.is_empty() {
            return Err(SemverError::Empty);
        }
        let (rest, build) = match s.split_once('+') {
            Some((r, b)) => (r, Some(b)),
            None => (s, None),
        };
        let (core, pre) = match rest.split_once('-') {
            Some((c, p)) => (c, Some(p)),
            None => (rest, None),
        };
        let nums: Vec<&str> = core.split('.').collect();
        if nums.len() != 3 {
            return Err(SemverError::BadCore(core.to_string()));
        }
        let pre = match pre {
            Some(p) => parse_pre(p)?,
            None => Vec::new(),
        };
        let build = match build {
            Some(b) => b
                .split('.')
                .map(|p| {
                    if valid_ident(p) {
                        Ok(p.to_string())
                    } else {
                        Err(SemverError::BadIdentifier(p.to_string()))
                    }
                })
                .collect::<Result<Vec<_>, _>>()?,
            None => Vec::new(),
        };
        Ok(Version {
            major: parse_number(nums[0])?,
            minor: parse_number(nums[1])?,
            patch: parse_number(nums[2])?,
            pre,
            build,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Eq,
    Gt,
    Ge,
    Lt,
    Le,
}

#[derive(Debug, Clone)]
struct Comparator {
    op: Op,
    version: Version,
}

impl Comparator {
    fn matches(&self, v: &Version) -> bool {
        match self.op {
            Op::Eq => *v == self.version,
            Op::Gt => *v > self.version,
            Op::Ge => *v >= self.version,
            Op::Lt => *v < self.version,
            Op::Le => *v <= self.version,
        }
    }
}

impl fmt::Display for Comparator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let op = match self.op {
            Op::Eq => "=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Lt => "<",
            Op::Le => "<=",
        };
        write!(f, "{}{}", op, self.version)
    }
}

/// A version that may omit minor/patch ("1", "1.2", "1.2.x").
struct Partial {
    major: u64,
    minor: Option<u64>,
    patch: Option<u64>,
    pre: Vec<Identifier>,
}

fn is_wild(s: &str) -> bool {
    matches!(s, "*" | "x" | "X")
}

/// Returns None for a full wildcard ("*").
fn parse_partial(s: &str) -> Result<Option<Partial>, SemverError> {
    let s = s.strip_prefix('v').unwrap_or(s);
    let s = s.split('+').next().unwrap_or(s); // build metadata is irrelevant here
    let (core, pre) = match s.split_once('-') {
        Some((c, p)) => (c, parse_pre(p)?),
        None => (s, Vec::new()),
    };
    let parts: Vec<&str> = core.split('.').collect();
    if parts.len() > 3 || parts[0].is_empty() {
        return Err(SemverError::BadRequirement(s.to_string()));
    }
    if is_wild(parts[0]) {
        return Ok(None);
    }
    let major = parse_number(parts[0])?;
    let minor = match parts.get(1) {
        Some(p) if !is_wild(p) => Some(parse_number(p)?),
        _ => None,
    };
    let patch = match (minor, parts.get(2)) {
        (Some(_), Some(p)) if !is_wild(p) => Some(parse_number(p)?),
        _ => None,
    };
    Ok(Some(Partial {
        major,
        minor,
        patch,
        pre,
    }))
}

/// Expands one operator + partial version into plain comparators.
fn expand(op: &str, ver: &str) -> Result<Vec<Comparator>, SemverError> {
    // Cargo semantics: a bare version means caret, but "1.2.*" means "=1.2".
    let op = if op.is_empty() && ver.split('.').any(is_wild) {
        "="
    } else {
        op
    };
    let partial = match parse_partial(ver)? {
        Some(p) => p,
        None => {
            return match op {
                "" | "=" | ">=" | "^" | "~" => Ok(Vec::new()),
                _ => Err(SemverError::BadRequirement(format!("{}{}", op, ver))),
            }
        }
    };
    let Partial {
        major,
        minor,
        patch,
        pre,
    } = partial;
    let v = |a, b, c| Version::new(a, b, c);
    let cmp = |op: Op, version: Version| Comparator { op, version };
    let lower = Version {
        major,
        minor: minor.unwrap_or(0),
        patch: patch.unwrap_or(0),
        pre,
        build: Vec::new(),
    };
    let exact = minor.is_some() && patch.is_some();
    // upper bound of a partial version: "1" -> 2.0.0, "1.2" -> 1.3.0
    let partial_upper = || match minor {
        None => v(major + 1, 0, 0),
        Some(mi) => v(major, mi + 1, 0),
    };

    let comparators = match op {
        "" | "^" => {
            let upper = if major > 0 {
                v(major + 1, 0, 0)
            } else {
                match (minor, patch) {
                    (None, _) => v(1, 0, 0),
                    (Some(0), None) => v(0, 1, 0),
                    (Some(0), Some(pa)) => v(0, 0, pa + 1),
                    (Some(mi), _) => v(0, mi + 1, 0),
                }
            };
            vec![cmp(Op::Ge, lower), cmp(Op::Lt, upper)]
        }
        "~" => {
            let upper = match minor {
                Some(mi) => v(major, mi + 1, 0),
                None => v(major + 1, 0, 0),
            };
            vec![cmp(Op::Ge, lower), cmp(Op::Lt, upper)]
        }
        "=" => {
            if exact {
                vec![cmp(Op::Eq, lower)]
            } else {
                vec![cmp(Op::Ge, lower), cmp(Op::Lt, partial_upper())]
            }
        }
        ">=" => vec![cmp(Op::Ge, lower)],
        ">" => {
            if exact {
                vec![cmp(Op::Gt, lower)]
            } else {
                vec![cmp(Op::Ge, partial_upper())]
            }
        }
        "<" => vec![cmp(Op::Lt, lower)],
        "<=" => {
            if exact {
                vec![cmp(Op::Le, lower)]
            } else {
                vec![cmp(Op::Lt, partial_upper())]
            }
        }
        other => return Err(SemverError::BadOperator(other.to_string())),
    };
    Ok(comparators)
}

/// Splits "  >= 1.0, <2" into [(">=", "1.0"), ("<", "2")].
fn tokenize(group: &str) -> Result<Vec<(String, String)>, SemverError> {
    let mut out = Vec::new();
    let mut pending_op: Option<String> = None;
    for raw in group
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
    {
        let op_len = raw.chars().take_while(|c| "<>=^~".contains(*c)).count();
        let (op, ver) = raw.split_at(op_len);
        match (pending_op.take(), op.is_empty(), ver.is_empty()) {
            (Some(p), true, false) => out.push((p, ver.to_string())),
            (None, _, false) => out.push((op.to_string(), ver.to_string())),
            (None, false, true) => pending_op = Some(op.to_string()),
            _ => return Err(SemverError::BadRequirement(group.trim().to_string())),
        }
    }
    if pending_op.is_some() {
        return Err(SemverError::BadRequirement(group.trim().to_string()));
    }
    Ok(out)
}

#[derive(Debug, Clone)]
struct Requirement {
    raw: String,
    alternatives: Vec<Vec<Comparator>>, // OR of ANDs
}

impl FromStr for Requirement {
    type Err = SemverError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let mut alternatives = Vec::new();
        for group in input.split("||") {
            let tokens = tokenize(group)?;
            if tokens.is_empty() {
                return Err(SemverError::BadRequirement(input.to_string()));
            }
            let mut comparators = Vec::new();
            for (op, ver) in tokens {
                comparators.extend(expand(&op, &ver)?);
            }
            alternatives.push(comparators);
        }
        Ok(Requirement {
            raw: input.trim().to_string(),
            alternatives,
        })
    }
}

impl Requirement {
    /// Pre-releases only match if some comparator in the same group names a
    /// pre-release of the same MAJOR.MINOR.PATCH (npm/cargo behaviour).
    fn matches(&self, v: &Version) -> bool {
        self.alternatives.iter().any(|group| {
            group.iter().all(|c| c.matches(v))
                && (!v.is_prerelease()
                    || group
                        .iter()
                        .any(|c| c.version.is_prerelease() && c.version.triple() == v.triple()))
        })
    }

    fn expanded(&self) -> String {
        self.alternatives
            .iter()
            .map(|g| {
                if g.is_empty() {
                    "*".to_string()
                } else {
                    g.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", ")
                }
            })
            .collect::<Vec<_>>()
            .join(" || ")
    }
}

fn main() {
    let inputs = [
        "1.0.0", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
        "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "0.2.5", "0.0.3", "0.3.0", "1.2.0",
        "1.2.7", "1.3.0", "2.0.0", "2.0.3", "2.0.9", "2.1.0", "v3.1.4+build.42",
    ];
    let mut versions: Vec<Version> = inputs
        .iter()
        .map(|s| s.parse().expect("valid sample version"))
        .collect();
    versions.sort();
    println!("sorted by precedence:");
    let shown: Vec<String> = versions.iter().map(|v| v.to_string()).collect();
    println!("  {}\n", shown.join(" < "));

    println!("invalid versions:");
    for bad in ["1.2", "01.2.3", "1.2.3-", "1.2.3-beta..1", "a.b.c", "1.2.3+meta$", ""] {
        match bad.parse::<Version>() {
            Ok(v) => println!("  {:<16} unexpectedly parsed as {}", format!("{:?}", bad), v),
            Err(e) => println!("  {:<16} {}", format!("{:?}", bad), e),
        }
    }

    println!("\ncomparisons:");
    for (a, b) in [
        ("1.0.0", "1.0.0+build.5"),
        ("1.0.0-rc.1", "1.0.0"),
        ("1.0.0-alpha.10", "1.0.0-alpha.9"),
        ("2.0.0", "10.0.0"),
    ] {
        let va: Version = a.parse().expect("valid");
        let vb: Version = b.parse().expect("valid");
        let rel = match va.cmp(&vb) {
            Ordering::Less => "<",
            Ordering::Equal => "==",
            Ordering::Greater => ">",
        };
        println!("  {} {} {}", a, rel, b);
    }

    println!("\nrequirements:");
    let requirements = [
        "^1.2", "~2.0.3", ">=1.0", "<2", ">= 1.0, < 2", "^0.2.3", "^0.0.3", "~1", "1.2.*",
        "=2.0.3", ">1.2", "<=1.2", ">=1.0.0-beta, <1.0.0", "^1.0 || ^2.0", "*",
    ];
    for text in requirements {
        let req: Requirement = match text.parse() {
            Ok(r) => r,
            Err(e) => {
                println!("  {:<22} error: {}", text, e);
                continue;
            }
        };
        let matching: Vec<String> = versions
            .iter()
            .filter(|v| req.matches(v))
            .map(|v| v.to_string())
            .collect();
        let best = versions.iter().rev().find(|v| req.matches(v));
        println!("  {:<22} means {}", req.raw, req.expanded());
        println!(
            "  {:<22} matches [{}], best: {}",
            "",
            matching.join(", "),
            best.map(|v| v.to_string()).unwrap_or_else(|| "none".to_string())
        );
    }

    println!("\ninvalid requirements:");
    for bad in ["^", ">>1.0", "~a.b", "1.2.3.4", "<*"] {
        match bad.parse::<Requirement>() {
            Ok(r) => println!("  {:<10} unexpectedly parsed: {}", bad, r.expanded()),
            Err(e) => println!("  {:<10} {}", bad, e),
        }
    }
}
