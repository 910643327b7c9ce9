use std::fs;
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use regex::{Regex, RegexBuilder};

#[derive(Debug, Clone, Copy, PartialEq)]
enum LineKind {
    Match,
    Context,
}

#[derive(Debug)]
struct LineHit {
    number: usize,
    text: String,
    kind: LineKind,
    ranges: Vec<(usize, usize)>,
}

#[derive(Debug)]
struct FileHits {
    path: PathBuf,
    lines: Vec<LineHit>,
    match_count: usize,
}

#[derive(Debug, Default)]
struct SearchResults {
    files: Vec<FileHits>,
    skipped_binary: usize,
}

struct Iter<'a> {
    inner: std::slice::Iter<'a, FileHits>,
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a FileHits;
    fn next(&mut self) -> Option<&'a FileHits> {
        self.inner.next()
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl<'a> IntoIterator for &'a SearchResults {
    type Item = &'a FileHits;
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl SearchResults {
    fn iter(&self) -> Iter<'_> {
        Iter { inner: self.files.iter() }
    }
    fn total_matches(&self) -> usize {
        self.iter().map(|f| f.match_count).sum()
    }
}

struct Options {
    pattern: String,
    paths: Vec<PathBuf>,
    ignore_case: bool,
    line_numbers: bool,
    recursive: bool,
    count_only: bool,
    context: usize,
}

fn parse_args(args: &[String]) -> Result<Options> {
    let mut opts = Options {
        pattern: String::new(),
        paths: Vec::new(),
        ignore_case: false,
        line_numbers: false,
        recursive: false,
        count_only: false,
        context: 0,
    };
    let mut positional = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "-i" => opts.ignore_case = true,
            "-n" => opts.line_numbers = true,
            "-r" => opts.recursive = true,
            "-c" => opts.count_only = true,
            "-C" => {
                let n = iter.next().context("-C needs a number")?;
                opts.context = n.parse().with_context(|| format!("invalid context '{n}'"))?;
            }
            s if s.starts_with('-') && s.len() > 1 => bail!("unknown option {s}"),
            _ => positional.push(arg.clone()),
        }
    }
    if positional.is_empty() {
        bail!("usage: mini-grep [-i] [-n] [-r] [-c] [-C N] PATTERN [PATH...]");
    }
    opts.pattern = positional.remove(0);
    opts.paths = if positional.is_empty() { vec![PathBuf::from(".")] } else { positional.into_iter().map(PathBuf::from).collect() };
    Ok(opts)
}

fn collect_files(path: &Path, recursive: bool, out: &mut Vec<PathBuf>) -> Result<()> {
    if path.is_file() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    if !path.is_dir() {
        bail!("{}: no such file or directory", path.display());
    }
    if !recursive {
        eprintln!("mini-grep: {}: is a directory (use -r)", path.display());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = fs::read_dir(path)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for entry in entries {
        let name = entry.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if entry.is_dir() && (name.starts_with('.') || name == "target") {
            continue;
        }
        collect_files(&entry, recursive, out)?;
    }
    Ok(())
}

/// Returns Ok(None) for binary files or files without matches.
fn search_file(path: &Path, re: &Regex, context: usize) -> io::Result<Option<FileHits>> {
    let bytes = fs::read(path)?;
    if bytes.contains(&0) {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "binary file"));
    }
    let text = String::from_utf8_lossy(&bytes);
    let lines: Vec<&str> = text.lines().collect();
    let matching: Vec<usize> = lines.iter().enumerate().filter(|(_, l)| re.is_match(l)).map(|(i, _)| i).collect();
    if matching.is_empty() {
        return Ok(None);
    }
    let mut include = vec![false; lines.len()];
    for &m in &matching {
        let end = (m + context).min(lines.len() - 1);
        for flag in &mut include[m.saturating_sub(context)..=end] {
            *flag = true;
        }
    }
    let hits = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| include[*i])
        .map(|(i, line)| {
            let ranges: Vec<(usize, usize)> = re.find_iter(line).map(|m| (m.start(), m.end())).collect();
            let kind = if ranges.is_empty() { LineKind::Context } else { LineKind::Match };
            LineHit { number: i + 1, text: line.to_string(), kind, ranges }
        })
        .collect();
    Ok(Some(FileHits { path: path.to_path_buf(), lines: hits, match_count: matching.len() }))
}

fn search(opts: &Options) -> Result<SearchResults> {
    let re = RegexBuilder::new(&opts.pattern)
        .case_insensitive(opts.ignore_case)
        .build()
        .with_context(|| format!("invalid pattern '{}'", opts.pattern))?;
    let mut files = Vec::new();
    for p in &opts.paths {
        collect_files(p, opts.recursive, &mut files)?;
    }
    let mut results = SearchResults::default();
    for file in files {
        match search_file(&file, &re, opts.context) {
            Ok(Some(hits)) => results.files.push(hits),
            Ok(None) => {}
            Err(e) if e.kind() == io::ErrorKind::InvalidData => results.skipped_binary += 1,
            Err(e) => eprintln!("mini-grep: {}: {e}", file.display()),
        }
    }
    Ok(results)
}

fn highlight(line: &LineHit, color: bool) -> String {
    if !color || line.ranges.is_empty() {
        return line.text.clone();
    }
    let mut out = String::new();
    let mut last = 0;
    for &(start, end) in &line.ranges {
        out.push_str(&line.text[last..start]);
        out.push_str("\x1b[1;31m");
        out.push_str(&line.text[start..end]);
        out.push_str("\x1b[0m");
        last = end;
    }
    out.push_str(&line.text[last..]);
    out
}

fn print_results(results: &SearchResults, opts: &Options) {
    let color = io::stdout().is_terminal();
    let show_names = results.files.len() > 1 || opts.recursive;
    for file in results {
        if opts.count_only {
            println!("{}:{}", file.path.display(), file.match_count);
            continue;
        }
        let mut previous: Option<usize> = None;
        for line in &file.lines {
            if opts.context > 0 && previous.map_or(false, |p| line.number > p + 1) {
                println!("--");
            }
            previous = Some(line.number);
            let sep = if line.kind == LineKind::Match { ':' } else { '-' };
            let mut prefix = String::new();
            if show_names {
                prefix.push_str(&format!("{}{sep}", file.path.display()));
            }
            if opts.line_numbers {
                prefix.push_str(&format!("{}{sep}", line.number));
            }
            println!("{prefix}{}", highlight(line, color));
        }
    }
}

fn run(args: &[String]) -> Result<usize> {
    let opts = parse_args(args)?;
    let results = search(&opts)?;
    print_results(&results, &opts);
    if results.skipped_binary > 0 {
        eprintln!("({} binary file(s) skipped)", results.skipped_binary);
    }
    Ok(results.total_matches())
}

fn demo() -> Result<()> {
    let root = std::env::temp_dir().join(format!("mini-grep-demo-{}", std::process::id()));
    fs::create_dir_all(root.join("src/util"))?;
    fs::create_dir_all(root.join(".git"))?;
    fs::write(root.join("src/main.rs"), "use util::parse;\n\nfn main() {\n    // TODO: handle errors\n    let x = parse(\"42\");\n    println!(\"{x}\");\n}\n")?;
    fs::write(root.join("src/util/mod.rs"), "pub fn parse(s: &str) -> i32 {\n    s.parse().unwrap_or(0)\n}\n\n// todo: add tests\npub fn Twice(x: i32) -> i32 { x * 2 }\n")?;
    fs::write(root.join("notes.txt"), "Meeting notes\n- TODO write docs\n- ship it\n")?;
    fs::write(root.join(".git/config"), "TODO should be ignored\n")?;
    fs::write(root.join("logo.bin"), [0u8, 1, 2, b'T', b'O', b'D', b'O'])?;

    let dir = root.display().to_string();
    let runs: Vec<Vec<String>> = vec![
        vec!["-r", "-n", "-i", "todo", &dir],
        vec!["-r", "-n", "-C", "1", r"fn\s+\w+", &dir],
        vec!["-r", "-c", r"parse", &dir],
    ]
    .into_iter()
    .map(|v| v.into_iter().map(String::from).collect())
    .collect();

    for args in &runs {
        println!("$ mini-grep {}", args.join(" "));
        let n = run(args)?;
        println!("[{n} matching line(s)]\n");
    }
    fs::remove_dir_all(&root)?;
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = if args.is_empty() {
        println!("No arguments given; running a demo on generated files.\n");
        demo().map(|_| 1)
    } else {
        run(&args)
    };
    match outcome {
        Ok(0) => std::process::exit(1),
        Ok(_) => {}
        Err(e) => {
            eprintln!("mini-grep: {e:#}");
            std::process::exit(2);
        }
    }
}
