use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use itertools::Itertools;

#[derive(Debug, Clone, PartialEq)]
struct FileMeta {
    size: u64,
    modified: Option<SystemTime>,
    hash: u64,
}

type Snapshot = HashMap<PathBuf, FileMeta>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum ChangeKind {
    Created,
    Modified,
    Deleted,
}

#[derive(Debug, Clone)]
struct Change {
    kind: ChangeKind,
    path: PathBuf,
    old_size: Option<u64>,
    new_size: Option<u64>,
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_files(&path, out)?;
        } else if path.is_file() {
            out.push(path);
        }
    }
    Ok(())
}

/// All regular files below `root`, or nothing if the directory cannot be read.
fn files_under(root: &Path) -> impl Iterator<Item = PathBuf> {
    let mut files = Vec::new();
    if let Err(e) = collect_files(root, &mut files) {
        eprintln!("warning: scanning {} failed: {e}", root.display());
    }
    files.into_iter()
}

fn scan(root: &Path) -> Snapshot {
    files_under(root)
        .filter_map(|path| {
            let meta = fs::metadata(&path).ok()?;
            let bytes = fs::read(&path).ok()?;
            let rel = path.strip_prefix(root).ok()?.to_path_buf();
            Some((rel, FileMeta { size: meta.len(), modified: meta.modified().ok(), hash: fnv1a(&bytes) }))
        })
        .collect()
}

fn diff<'a>(old: &'a Snapshot, new: &'a Snapshot) -> impl Iterator<Item = Change> + 'a {
    let created = new.iter().filter(move |(p, _)| !old.contains_key(*p)).map(|(p, m)| Change {
        kind: ChangeKind::Created,
        path: p.clone(),
        old_size: None,
        new_size: Some(m.size),
    });
    let deleted = old.iter().filter(move |(p, _)| !new.contains_key(*p)).map(|(p, m)| Change {
        kind: ChangeKind::Deleted,
        path: p.clone(),
        old_size: Some(m.size),
        new_size: None,
    });
    let modified = new.iter().filter_map(move |(p, m)| {
        let before = old.get(p)?;
        (before.hash != m.hash || before.size != m.size).then(|| Change {
            kind: ChangeKind::Modified,
            path: p.clone(),
            old_size: Some(before.size),
            new_size: Some(m.size),
        })
    });
    created
        .chain(deleted)
        .chain(modified)
        .sorted_by(|a, b| a.kind.cmp(&b.kind).then_with(|| a.path.cmp(&b.path)))
}

fn top_level_dir(path: &Path) -> String {
    match path.components().count() {
        0 | 1 => ".".to_string(),
        _ => path.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned()).unwrap_or_default(),
    }
}

fn report(label: &str, changes: &[Change]) {
    if changes.is_empty() {
        println!("[{label}] no changes");
        return;
    }
    println!("[{label}] {} change(s)", changes.len());
    for (kind, group) in &changes.iter().group_by(|c| c.kind) {
        let entries: Vec<&Change> = group.collect();
        println!("  {:?} ({})", kind, entries.len());
        for c in entries {
            let sizes = match (c.old_size, c.new_size) {
                (Some(a), Some(b)) => format!("{a} -> {b} bytes"),
                (None, Some(b)) => format!("{b} bytes"),
                (Some(a), None) => format!("was {a} bytes"),
                (None, None) => String::new(),
            };
            println!("    {:<22} {}", c.path.display(), sizes);
        }
    }
    let delta = changes
        .iter()
        .fold(0i64, |acc, c| acc + c.new_size.unwrap_or(0) as i64 - c.old_size.unwrap_or(0) as i64);
    let per_dir = changes
        .iter()
        .map(|c| top_level_dir(&c.path))
        .sorted()
        .group_by(|d| d.clone())
        .into_iter()
        .map(|(dir, g)| format!("{dir}: {}", g.count()))
        .join(", ");
    println!("  net size change: {delta:+} bytes; by directory: {per_dir}");
}

fn write(root: &Path, rel: &str, contents: &str) -> io::Result<()> {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, contents)
}

fn simulate() -> io::Result<()> {
    let root = std::env::temp_dir().join(format!("file-watcher-sim-{}", std::process::id()));
    if root.exists() {
        fs::remove_dir_all(&root)?;
    }
    fs::create_dir_all(&root)?;
    println!("Simulating a watcher on {}\n", root.display());

    write(&root, "src/main.rs", "fn main() { println!(\"hi\"); }\n")?;
    write(&root, "src/lib.rs", "pub fn add(a: i32, b: i32) -> i32 { a + b }\n")?;
    write(&root, "README.md", "# Demo\n")?;
    write(&root, "data/a.csv", "id,value\n1,10\n")?;

    let mut previous = scan(&root);
    println!("baseline: {} files", previous.len());
    for (path, meta) in previous.iter().sorted_by(|a, b| a.0.cmp(b.0)) {
        println!("  {:<22} {:>4} bytes  hash {:016x}", path.display(), meta.size, meta.hash);
    }
    println!();

    type Step = Box<dyn Fn(&Path) -> io::Result<()>>;
    let steps: Vec<(&str, Step)> = vec![
        (
            "scan 1",
            Box::new(|r: &Path| {
                write(r, "docs/guide.md", "## Guide\nUse it.\n")?;
                write(r, "README.md", "# Demo\nNow with docs.\n")?;
                fs::remove_file(r.join("data/a.csv"))
            }),
        ),
        (
            "scan 2",
            Box::new(|r: &Path| {
                // Same size, different content: only the hash reveals the edit.
                write(r, "src/lib.rs", "pub fn add(a: i32, b: i32) -> i32 { b + a }\n")?;
                write(r, "data/b.csv", "id,value\n2,20\n")?;
                write(r, "data/c.csv", "id,value\n3,30\n4,40\n")
            }),
        ),
        ("scan 3", Box::new(|_r: &Path| Ok(()))),
        (
            "scan 4",
            Box::new(|r: &Path| {
                fs::remove_dir_all(r.join("docs"))?;
                write(r, "src/main.rs", "fn main() {}\n")
            }),
        ),
    ];

    let mut history: Vec<(String, usize)> = Vec::new();
    for (label, step) in &steps {
        step(&root)?;
        let current = scan(&root);
        let changes: Vec<Change> = diff(&previous, &current).collect();
        report(label, &changes);
        history.push((label.to_string(), changes.len()));
        previous = current;
    }

    let total: usize = history.iter().map(|(_, n)| n).sum();
    println!("\nTotal changes observed over {} scans: {total}", history.len());
    fs::remove_dir_all(&root)?;
    Ok(())
}

fn watch(root: &Path, polls: usize, every: Duration) {
    println!("Watching {} ({} polls, every {:?}); edit files to see changes", root.display(), polls, every);
    let mut previous = scan(root);
    println!("baseline: {} files", previous.len());
    for i in 1..=polls {
        std::thread::sleep(every);
        let current = scan(root);
        let changes: Vec<Change> = diff(&previous, &current).collect();
        report(&format!("poll {i}"), &changes);
        previous = current;
    }
}

fn main() {
    match std::env::args().nth(1) {
        Some(dir) => watch(Path::new(&dir), 5, Duration::from_secs(2)),
        None => {
            if let Err(e) = simulate() {
                eprintln!("simulation failed: {e}");
                std::process::exit(1);
            }
        }
    }
}
