//! file-organizer: sort the files of a directory into subfolders by extension
//! or by modification month. Dry-run by default; pass --apply to move files.
//!
//! Usage: file-organizer [DIR] [--by ext|month] [--apply]
//! Without DIR a demo directory is created in the system temp folder.

use anyhow::{bail, Context, Result};
use chrono::{DateTime, Local};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Extension,
    Month,
}

#[derive(Debug)]
enum Event<'a> {
    Planned { from: &'a Path, to: &'a Path, category: &'a str, bytes: u64 },
    Moved { from: &'a Path, to: &'a Path },
    Skipped { path: &'a Path, reason: &'a str },
    DirCreated(&'a Path),
    Failed { path: &'a Path, error: String },
}

#[derive(Debug, Default)]
struct Stats {
    planned: usize,
    moved: usize,
    skipped: usize,
    failed: usize,
    dirs_created: usize,
    bytes: u64,
    per_category: BTreeMap<String, usize>,
    log: Vec<String>,
}

type Handler = Box<dyn Fn(&Event, &mut Stats)>;

struct Organizer {
    mode: Mode,
    dry_run: bool,
    handlers: Vec<Handler>,
    stats: Stats,
}

impl Organizer {
    fn new(mode: Mode, dry_run: bool) -> Self {
        Organizer { mode, dry_run, handlers: Vec::new(), stats: Stats::default() }
    }

    fn on<F>(&mut self, handler: F)
    where
        F: Fn(&Event, &mut Stats) + 'static,
    {
        self.handlers.push(Box::new(handler));
    }

    fn emit(&mut self, event: Event) {
        for h in &self.handlers {
            h(&event, &mut self.stats);
        }
    }

    fn category_for(&self, path: &Path, modified: SystemTime) -> String {
        match self.mode {
            Mode::Extension => path
                .extension()
                .and_then(|e| e.to_str())
                .map(|e| e.to_lowercase())
                .filter(|e| !e.is_empty())
                .unwrap_or_else(|| "no-extension".to_string()),
            Mode::Month => {
                let dt: DateTime<Local> = modified.into();
                dt.format("%Y-%m").to_string()
            }
        }
    }

    fn run(&mut self, dir: &Path) -> Result<()> {
        let mut entries: Vec<PathBuf> = fs::read_dir(dir)
            .with_context(|| format!("reading {}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();

        for path in entries {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if path.is_dir() {
                continue;
            }
            if name.starts_with('.') {
                self.emit(Event::Skipped { path: &path, reason: "hidden file" });
                continue;
            }
            let meta = match fs::metadata(&path) {
                Ok(m) => m,
                Err(e) => {
                    self.emit(Event::Failed { path: &path, error: e.to_string() });
                    continue;
                }
            };
            let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
            let category = self.category_for(&path, modified);
            let target_dir = dir.join(&category);
            let target = unique_target(&target_dir, name);

            self.emit(Event::Planned { from: &path, to: &target, category: &category, bytes: meta.len() });
            if self.dry_run {
                continue;
            }
            if !target_dir.exists() {
                if let Err(e) = fs::create_dir_all(&target_dir) {
                    self.emit(Event::Failed { path: &target_dir, error: e.to_string() });
                    continue;
                }
                self.emit(Event::DirCreated(&target_dir));
            }
            match fs::rename(&path, &target) {
                Ok(()) => self.emit(Event::Moved { from: &path, to: &target }),
                Err(e) => self.emit(Event::Failed { path: &path, error: e.to_string() }),
            }
        }
        Ok(())
    }
}

/// Avoid clobbering: `name.ext`, `name (1).ext`, `name (2).ext`, ...
fn unique_target(dir: &Path, name: &str) -> PathBuf {
    let candidate = dir.join(name);
    if !candidate.exists() {
        return candidate;
    }
    let p = Path::new(name);
    let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or(name);
    let ext = p.extension().and_then(|e| e.to_str());
    (1..)
        .map(|i| match ext {
            Some(ext) => dir.join(format!("{stem} ({i}).{ext}")),
            None => dir.join(format!("{stem} ({i})")),
        })
        .find(|c| !c.exists())
        .expect("infinite iterator always finds a name")
}

fn create_demo_dir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("file-organizer-demo-{}", std::process::id()));
    fs::create_dir_all(&dir)?;
    let now = SystemTime::now();
    let day = Duration::from_secs(86_400);
    let files: [(&str, &str, u64); 9] = [
        ("report.pdf", "%PDF-1.4 fake", 3),
        ("holiday.JPG", "jpeg bytes", 40),
        ("notes.txt", "remember the milk", 0),
        ("todo.txt", "1. organise files", 70),
        ("song.mp3", "ID3 data", 100),
        ("data.csv", "a,b\n1,2\n", 35),
        ("Makefile", "all:\n\techo hi\n", 5),
        ("archive.tar.gz", "gzip", 200),
        (".hidden", "secret", 1),
    ];
    for (name, content, age_days) in files {
        let path = dir.join(name);
        fs::write(&path, content)?;
        let file = fs::OpenOptions::new().write(true).open(&path)?;
        file.set_modified(now - day * age_days as u32)?;
    }
    Ok(dir)
}

fn main() -> Result<()> {
    let mut dir: Option<PathBuf> = None;
    let mut mode = Mode::Extension;
    let mut dry_run = true;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--apply" => dry_run = false,
            "--dry-run" => dry_run = true,
            "--by" => {
                mode = match args.next().as_deref() {
                    Some("ext") | Some("extension") => Mode::Extension,
                    Some("month") | Some("date") => Mode::Month,
                    other => bail!("--by expects 'ext' or 'month', got {other:?}"),
                }
            }
            other if other.starts_with("--") => bail!("unknown option {other}"),
            other => dir = Some(PathBuf::from(other)),
        }
    }
    let dir = match dir {
        Some(d) => d,
        None => {
            let d = create_demo_dir()?;
            println!("No directory given; created demo files in {}", d.display());
            d
        }
    };

    let mut organizer = Organizer::new(mode, dry_run);

    // Handler 1: console output.
    let dry = dry_run;
    organizer.on(move |event, _stats| match event {
        Event::Planned { from, to, .. } if dry => {
            println!("[dry-run] {} -> {}", from.display(), to.display())
        }
        Event::Moved { from, to } => println!("moved     {} -> {}", from.display(), to.display()),
        Event::Skipped { path, reason } => println!("skip      {} ({reason})", path.display()),
        Event::Failed { path, error } => eprintln!("error     {}: {error}", path.display()),
        Event::DirCreated(p) => println!("mkdir     {}", p.display()),
        _ => {}
    });

    // Handler 2: statistics.
    organizer.on(|event, stats| match event {
        Event::Planned { category, bytes, .. } => {
            stats.planned += 1;
            stats.bytes += bytes;
            *stats.per_category.entry(category.to_string()).or_default() += 1;
        }
        Event::Moved { .. } => stats.moved += 1,
        Event::Skipped { .. } => stats.skipped += 1,
        Event::Failed { .. } => stats.failed += 1,
        Event::DirCreated(_) => stats.dirs_created += 1,
    });

    // Handler 3: an audit log kept in shared state.
    organizer.on(|event, stats| {
        let line = match event {
            Event::Moved { from, to } => format!("MOVE {} {}", from.display(), to.display()),
            Event::Failed { path, error } => format!("FAIL {} {error}", path.display()),
            _ => return,
        };
        stats.log.push(line);
    });

    organizer.run(&dir)?;

    let s = &organizer.stats;
    println!("\nSummary ({} mode, {}):", if mode == Mode::Extension { "extension" } else { "month" }, if dry_run { "dry run" } else { "applied" });
    for (cat, n) in &s.per_category {
        println!("  {cat:<14} {n} file(s)");
    }
    println!("  planned {}, moved {}, skipped {}, failed {}, dirs created {}, {} bytes", s.planned, s.moved, s.skipped, s.failed, s.dirs_created, s.bytes);
    if dry_run {
        println!("Nothing was changed. Re-run with --apply to move the files.");
    } else {
        println!("Audit log has {} entries.", s.log.len());
    }
    Ok(())
}
