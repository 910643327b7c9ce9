//! Path normalisation, relative paths and safe joining for several path flavours.
//!
//! Each flavour (Unix, Windows, URL) implements the object-safe `PathFlavor`
//! trait and lives as a `Box<dyn PathFlavor>` in a registry keyed by name. The
//! generic helpers (`normalize`, `relative`, `join_safe`, ...) are provided by the
//! `PathOps` extension trait, implemented for every flavour including
//! `dyn PathFlavor`, so they work directly on the registry's trait objects.

use std::collections::HashMap;
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
enum PathError {
    DifferentRoots { from: String, to: String },
    UnresolvableParent(String),
    AbsoluteComponent(String),
    EscapesBase { base: String, part: String },
    InvalidCharacter(String),
    UnknownFlavor(String),
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathError::DifferentRoots { from, to } => write!(f, "'{from}' and '{to}' have different roots"),
            PathError::UnresolvableParent(p) => write!(f, "'{p}' climbs above its start with '..'"),
            PathError::AbsoluteComponent(p) => write!(f, "component '{p}' is absolute"),
            PathError::EscapesBase { base, part } => write!(f, "'{part}' escapes the base directory '{base}'"),
            PathError::InvalidCharacter(p) => write!(f, "'{}' contains a NUL byte", p.escape_debug()),
            PathError::UnknownFlavor(n) => write!(f, "no path flavour named '{n}'"),
        }
    }
}

impl std::error::Error for PathError {}

/// Object-safe description of a path syntax.
trait PathFlavor {
    fn name(&self) -> &str;
    fn separator(&self) -> char;
    fn is_separator(&self, c: char) -> bool {
        c == self.separator()
    }
    fn case_sensitive(&self) -> bool {
        true
    }
    /// Splits off the root (e.g. "/", "C:\", "https://host/") and returns the rest.
    fn split_root<'p>(&self, path: &'p str) -> (Option<String>, &'p str);
}

#[derive(Debug, Clone, PartialEq)]
struct Parsed {
    root: Option<String>,
    parts: Vec<String>,
}

/// Generic helpers for every flavour, including `dyn PathFlavor`.
trait PathOps: PathFlavor {
    fn parse<S: AsRef<str>>(&self, path: S) -> Parsed {
        let (root, rest) = self.split_root(path.as_ref());
        let mut parts: Vec<String> = Vec::new();
        for comp in rest.split(|c: char| self.is_separator(c)) {
            match comp {
                "" | "." => {}
                ".." => {
                    if parts.last().map_or(false, |p| p.as_str() != "..") {
                        parts.pop();
                    } else if root.is_none() {
                        parts.push("..".to_string());
                    }
                    // ".." at the root stays at the root
                }
                other => parts.push(other.to_string()),
            }
        }
        Parsed { root, parts }
    }

    fn render(&self, p: &Parsed) -> String {
        let body = p.parts.join(&self.separator().to_string());
        match &p.root {
            Some(r) => format!("{r}{body}"),
            None if body.is_empty() => ".".to_string(),
            None => body,
        }
    }

    fn normalize<S: AsRef<str>>(&self, path: S) -> String {
        let parsed = self.parse(path);
        self.render(&parsed)
    }

    fn normalize_all<I, S>(&self, paths: I) -> Vec<String>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        paths.into_iter().map(|p| self.normalize(p)).collect()
    }

    fn same_component(&self, a: &str, b: &str) -> bool {
        if self.case_sensitive() {
            a == b
        } else {
            a.eq_ignore_ascii_case(b)
        }
    }

    fn relative<A: AsRef<str>, B: AsRef<str>>(&self, from: A, to: B) -> Result<String, PathError> {
        let (from, to) = (from.as_ref(), to.as_ref());
        let f = self.parse(from);
        let t = self.parse(to);
        let same_root = match (&f.root, &t.root) {
            (Some(a), Some(b)) => self.same_component(a, b),
            (None, None) => true,
            _ => false,
        };
        if !same_root {
            return Err(PathError::DifferentRoots { from: from.to_string(), to: to.to_string() });
        }
        let common = f
            .parts
            .iter()
            .zip(&t.parts)
            .take_while(|(a, b)| self.same_component(a, b))
            .count();
        if f.parts[common..].iter().any(|p| p == "..") {
            return Err(PathError::UnresolvableParent(from.to_string()));
        }
        let mut out: Vec<String> = vec!["..".to_string(); f.parts.len() - common];
        out.extend(t.parts[common..].iter().cloned());
        if out.is_empty() {
            Ok(".".to_string())
        } else {
            Ok(out.join(&self.separator().to_string()))
        }
    }

    /// Joins untrusted components onto `base`, refusing anything that would
    /// leave the base directory.
    fn join_safe<B, I, S>(&self, base: B, parts: I) -> Result<String, PathError>
    where
        B: AsRef<str>,
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let base_parsed = self.parse(base.as_ref());
        let mut combined = base_parsed.clone();
        for part in parts {
            let part = part.as_ref();
            if part.contains('\0') {
                return Err(PathError::InvalidCharacter(part.to_string()));
            }
            if self.split_root(part).0.is_some() {
                return Err(PathError::AbsoluteComponent(part.to_string()));
            }
            for comp in self.parse(part).parts {
                if comp == ".." {
                    if combined.parts.len() <= base_parsed.parts.len() {
                        return Err(PathError::EscapesBase {
                            base: self.render(&base_parsed),
                            part: part.to_string(),
                        });
                    }
                    combined.parts.pop();
                } else {
                    combined.parts.push(comp);
                }
            }
        }
        Ok(self.render(&combined))
    }
}

impl<T: PathFlavor + ?Sized> PathOps for T {}

struct UnixFlavor;

impl PathFlavor for UnixFlavor {
    fn name(&self) -> &str {
        "unix"
    }
    fn separator(&self) -> char {
        '/'
    }
    fn split_root<'p>(&self, path: &'p str) -> (Option<String>, &'p str) {
        match path.strip_prefix('/') {
            Some(rest) => (Some("/".to_string()), rest),
            None => (None, path),
        }
    }
}

struct WindowsFlavor;

impl PathFlavor for WindowsFlavor {
    fn name(&self) -> &str {
        "windows"
    }
    fn separator(&self) -> char {
        '\\'
    }
    fn is_separator(&self, c: char) -> bool {
        c == '\\' || c == '/'
    }
    fn case_sensitive(&self) -> bool {
        false
    }
    fn split_root<'p>(&self, path: &'p str) -> (Option<String>, &'p str) {
        let b = path.as_bytes();
        if b.len() >= 2 && self.is_separator(b[0] as char) && self.is_separator(b[1] as char) {
            // UNC path: \\server\share\rest
            let mut it = path[2..].splitn(3, |c: char| self.is_separator(c));
            let server = it.next().unwrap_or("");
            let share = it.next().unwrap_or("");
            let rest = it.next().unwrap_or("");
            return (Some(format!("\\\\{server}\\{share}\\")), rest);
        }
        if b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':' {
            let drive = (b[0] as char).to_ascii_uppercase();
            let rest = path[2..].trim_start_matches(|c: char| self.is_separator(c));
            return (Some(format!("{drive}:\\")), rest);
        }
        if b.first().map_or(false, |&c| self.is_separator(c as char)) {
            return (Some("\\".to_string()), &path[1..]);
        }
        (None, path)
    }
}

struct UrlFlavor;

impl PathFlavor for UrlFlavor {
    fn name(&self) -> &str {
        "url"
    }
    fn separator(&self) -> char {
        '/'
    }
    fn split_root<'p>(&self, path: &'p str) -> (Option<String>, &'p str) {
        if let Some(idx) = path.find("://") {
            let after = &path[idx + 3..];
            let host_end = after.find('/').unwrap_or(after.len());
            let root = format!("{}://{}/", path[..idx].to_ascii_lowercase(), after[..host_end].to_ascii_lowercase());
            return (Some(root), &after[host_end..]);
        }
        match path.strip_prefix('/') {
            Some(rest) => (Some("/".to_string()), rest),
            None => (None, path),
        }
    }
}

struct Registry {
    flavors: Vec<Box<dyn PathFlavor>>,
    by_name: HashMap<String, usize>,
}

impl Registry {
    fn new() -> Self {
        Registry { flavors: Vec::new(), by_name: HashMap::new() }
    }

    fn register(&mut self, flavor: Box<dyn PathFlavor>) {
        self.by_name.insert(flavor.name().to_string(), self.flavors.len());
        self.flavors.push(flavor);
    }

    fn get(&self, name: &str) -> Result<&dyn PathFlavor, PathError> {
        self.by_name
            .get(name)
            .map(|&i| self.flavors[i].as_ref())
            .ok_or_else(|| PathError::UnknownFlavor(name.to_string()))
    }
}

enum Op {
    Normalize(&'static str),
    Relative(&'static str, &'static str),
    Join(&'static str, &'static [&'static str]),
}

struct Case {
    flavor: &'static str,
    op: Op,
    /// `None` means an error is expected.
    expected: Option<&'static str>,
}

fn cases() -> Vec<Case> {
    use Op::*;
    let c = |flavor, op, expected| Case { flavor, op, expected };
    vec![
        c("unix", Normalize("/usr//local/./bin/../lib/"), Some("/usr/local/lib")),
        c("unix", Normalize("a/b/../../.."), Some("..")),
        c("unix", Normalize("/../etc"), Some("/etc")),
        c("unix", Normalize("./"), Some(".")),
        c("unix", Normalize(""), Some(".")),
        c("unix", Normalize("docs/./guide//"), Some("docs/guide")),
        c("unix", Relative("/a/b/c", "/a/d"), Some("../../d")),
        c("unix", Relative("/a/b", "/a/b/c/d"), Some("c/d")),
        c("unix", Relative("/a", "/a/"), Some(".")),
        c("unix", Relative("../x", "../y"), Some("../y")),
        c("unix", Relative("a/b", "/a"), None),
        c("unix", Relative("../../a", "b"), None),
        c("unix", Join("/srv/www", &["static", "css/site.css"]), Some("/srv/www/static/css/site.css")),
        c("unix", Join("/srv/www", &["img/../index.html"]), Some("/srv/www/index.html")),
        c("unix", Join("/srv/www", &["uploads/./photo.png"]), Some("/srv/www/uploads/photo.png")),
        c("unix", Join("/srv/www", &["../etc/passwd"]), None),
        c("unix", Join("/srv/www", &["a", "..", "..", "x"]), None),
        c("unix", Join("/srv/www", &["/etc/passwd"]), None),
        c("unix", Join("/srv/www", &["bad\0name"]), None),
        c("windows", Normalize("C:/Users//Bob\\Documents\\..\\Desktop"), Some("C:\\Users\\Bob\\Desktop")),
        c("windows", Normalize("c:\\a\\..\\..\\b"), Some("C:\\b")),
        c("windows", Normalize("\\\\fileserver\\share\\x\\.\\y"), Some("\\\\fileserver\\share\\x\\y")),
        c("windows", Relative("C:\\Users\\Bob", "c:\\users\\alice\\docs"), Some("..\\alice\\docs")),
        c("windows", Relative("C:\\a", "D:\\a"), None),
        c("windows", Join("C:\\inetpub\\wwwroot", &["images\\logo.png"]), Some("C:\\inetpub\\wwwroot\\images\\logo.png")),
        c("windows", Join("C:\\inetpub\\wwwroot", &["..\\..\\Windows\\system32"]), None),
        c("windows", Join("C:\\inetpub\\wwwroot", &["D:\\secrets"]), None),
        c("url", Normalize("https://Example.com/a/b/../c/./d"), Some("https://example.com/a/c/d")),
        c("url", Normalize("https://example.com/../../x"), Some("https://example.com/x")),
        c("url", Relative("https://example.com/docs/guide/intro", "https://example.com/docs/api/index"), Some("../../api/index")),
        c("url", Relative("https://example.com/a", "https://other.org/a"), None),
        c("url", Join("https://example.com/static", &["js", "app.js"]), Some("https://example.com/static/js/app.js")),
        c("vms", Normalize("DISK$USER:[DIR]FILE.TXT"), None),
    ]
}

fn run_case(registry: &Registry, case: &Case) -> Result<String, PathError> {
    let flavor = registry.get(case.flavor)?;
    match case.op {
        Op::Normalize(p) => Ok(flavor.normalize(p)),
        Op::Relative(from, to) => flavor.relative(from, to),
        Op::Join(base, parts) => flavor.join_safe(base, parts.iter().copied()),
    }
}

fn describe(op: &Op) -> String {
    match op {
        Op::Normalize(p) => format!("normalize({p:?})"),
        Op::Relative(a, b) => format!("relative({a:?}, {b:?})"),
        Op::Join(base, parts) => format!("join_safe({base:?}, {parts:?})"),
    }
}

fn main() {
    let mut registry = Registry::new();
    registry.register(Box::new(UnixFlavor));
    registry.register(Box::new(WindowsFlavor));
    registry.register(Box::new(UrlFlavor));

    println!("registered flavours:");
    for f in &registry.flavors {
        println!(
            "  {:<8} separator '{}' case-sensitive: {}",
            f.name(),
            f.separator(),
            f.case_sensitive()
        );
    }

    let mut passed = 0;
    let all = cases();
    println!();
    for case in &all {
        let result = run_case(&registry, case);
        let ok = match (&result, case.expected) {
            (Ok(got), Some(want)) => got == want,
            (Err(_), None) => true,
            _ => false,
        };
        if ok {
            passed += 1;
        }
        let shown = match &result {
            Ok(s) => s.clone(),
            Err(e) => format!("error: {e}"),
        };
        println!(
            "[{}] {:<8} {:<62} => {}",
            if ok { " ok " } else { "FAIL" },
            case.flavor,
            describe(&case.op),
            shown
        );
        if !ok {
            println!("        expected {:?}", case.expected);
        }
    }
    println!("\n{passed}/{} cases passed", all.len());

    // Generic helper taking any iterable of string-likes.
    if let Ok(unix) = registry.get("unix") {
        let owned: Vec<String> = vec!["/tmp/../var/./log".into(), "~/docs//notes/".into()];
        println!("\nbatch normalize (owned Strings): {:?}", unix.normalize_all(&owned));
        println!("batch normalize (&str array):    {:?}", unix.normalize_all(["x/y/..", "/a/./b"]));
    }
}
