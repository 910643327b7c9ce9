use anyhow::{Context, Result};
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::env;
use std::fs::{self, File};
use std::hash::Hasher;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

/// 64-bit FNV-1a, stable across runs (unlike DefaultHasher's random keys... which
/// are fixed for DefaultHasher::new(), but FNV is simple and well defined).
struct Fnv1a(u64);

impl Fnv1a {
    fn new() -> Self {
        Fnv1a(0xcbf29ce484222325)
    }
    fn update(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= *b as u64;
            self.0 = self.0.wrapping_mul(0x100000001b3);
        }
    }
}

fn hash_file(path: &Path) -> Result<(u64, u64)> {
    let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut reader = BufReader::new(file);
    let mut buf = [0u8; 64 * 1024];
    let mut fnv = Fnv1a::new();
    let mut sip = DefaultHasher::new();
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break;
        }
        fnv.update(&buf[..n]);
        sip.write(&buf[..n]);
    }
    Ok((fnv.0, sip.finish()))
}

fn walk(dir: &Path, files: &mut Vec<(PathBuf, u64)>, errors: &mut Vec<String>) {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(format!("{}: {}", dir.display(), e));
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let meta = match fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                errors.push(format!("{}: {}", path.display(), e));
                continue;
            }
        };
        if meta.file_type().is_symlink() {
            continue;
        } else if meta.is_dir() {
            walk(&path, files, errors);
        } else if meta.is_file() {
            files.push((path, meta.len()));
        }
    }
}

fn human(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = bytes as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 { format!("{} B", bytes) } else { format!("{:.1} {}", v, UNITS[u]) }
}

fn main() -> Result<()> {
    let root = PathBuf::from(env::args().nth(1).unwrap_or_else(|| ".".to_string()));
    if !root.is_dir() {
        anyhow::bail!("{} is not a directory", root.display());
    }

    let mut files = Vec::new();
    let mut errors = Vec::new();
    walk(&root, &mut files, &mut errors);
    println!("Scanned {} files under {}", files.len(), root.display());

    // Stage 1: group by size; only same-sized files can be duplicates.
    let mut by_size: HashMap<u64, Vec<PathBuf>> = HashMap::new();
    for (path, size) in files {
        by_size.entry(size).or_default().push(path);
    }

    // Stage 2: hash candidates.
    let mut by_hash: HashMap<(u64, u64, u64), Vec<PathBuf>> = HashMap::new();
    let mut hashed = 0;
    for (size, paths) in by_size.into_iter().filter(|(s, p)| *s > 0 && p.len() > 1) {
        for p in paths {
            match hash_file(&p) {
                Ok((h1, h2)) => {
                    hashed += 1;
                    by_hash.entry((size, h1, h2)).or_default().push(p);
                }
                Err(e) => errors.push(format!("{:#}", e)),
            }
        }
    }
    println!("Hashed {} candidate files", hashed);

    let mut groups: Vec<(u64, Vec<PathBuf>)> = by_hash
        .into_iter()
        .filter(|(_, v)| v.len() > 1)
        .map(|((size, _, _), mut v)| {
            v.sort();
            (size, v)
        })
        .collect();
    groups.sort_by(|a, b| {
        let wa = a.0 * (a.1.len() as u64 - 1);
        let wb = b.0 * (b.1.len() as u64 - 1);
        wb.cmp(&wa).then_with(|| a.1[0].cmp(&b.1[0]))
    });

    if groups.is_empty() {
        println!("\nNo duplicate files found.");
    }
    let mut wasted = 0u64;
    for (i, (size, paths)) in groups.iter().enumerate() {
        let w = size * (paths.len() as u64 - 1);
        wasted += w;
        println!("\nGroup {}: {} copies of {} ({} wasted)", i + 1, paths.len(), human(*size), human(w));
        for p in paths {
            println!("    {}", p.display());
        }
    }
    println!("\n{} duplicate groups, total wasted space: {}", groups.len(), human(wasted));

    if !errors.is_empty() {
        eprintln!("\n{} errors:", errors.len());
        for e in errors.iter().take(10) {
            eprintln!("  {}", e);
        }
    }
    Ok(())
}
