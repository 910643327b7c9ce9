use std::env;
use std::fs;
use std::process;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Equal(usize, usize),
    Delete(usize),
    Insert(usize),
}

/// Line diff via longest common subsequence. Common prefix and suffix are
/// stripped first so the O(n*m) table only covers the changed middle.
fn diff_lines(a: &[&str], b: &[&str]) -> Vec<Op> {
    let (n, m) = (a.len(), b.len());
    let mut prefix = 0;
    while prefix < n && prefix < m && a[prefix] == b[prefix] {
        prefix += 1;
    }
    let mut suffix = 0;
    while suffix < n - prefix && suffix < m - prefix && a[n - 1 - suffix] == b[m - 1 - suffix] {
        suffix += 1;
    }
    let a_mid = &a[prefix..n - suffix];
    let b_mid = &b[prefix..m - suffix];
    let (p, q) = (a_mid.len(), b_mid.len());

    // lcs[i][j] = LCS length of a_mid[i..] and b_mid[j..]
    let mut lcs = vec![vec![0u32; q + 1]; p + 1];
    for i in (0..p).rev() {
        for j in (0..q).rev() {
            lcs[i][j] = if a_mid[i] == b_mid[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }

    let mut ops: Vec<Op> = (0..prefix).map(|k| Op::Equal(k, k)).collect();
    let (mut i, mut j) = (0, 0);
    while i < p && j < q {
        if a_mid[i] == b_mid[j] {
            ops.push(Op::Equal(prefix + i, prefix + j));
            i += 1;
            j += 1;
        } else if lcs[i + 1][j] >= lcs[i][j + 1] {
            ops.push(Op::Delete(prefix + i));
            i += 1;
        } else {
            ops.push(Op::Insert(prefix + j));
            j += 1;
        }
    }
    while i < p {
        ops.push(Op::Delete(prefix + i));
        i += 1;
    }
    while j < q {
        ops.push(Op::Insert(prefix + j));
        j += 1;
    }
    for k in 0..suffix {
        ops.push(Op::Equal(n - suffix + k, m - suffix + k));
    }
    ops
}

struct Hunk {
    old_start: usize,
    old_len: usize,
    new_start: usize,
    new_len: usize,
    lines: Vec<String>,
}

fn build_hunks(ops: &[Op], a: &[&str], b: &[&str], context: usize) -> Vec<Hunk> {
    let changes: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, op)| !matches!(op, Op::Equal(..)))
        .map(|(i, _)| i)
        .collect();
    if changes.is_empty() {
        return Vec::new();
    }

    // Merge changes whose gap of unchanged lines fits in the shared context.
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let (mut first, mut last) = (changes[0], changes[0]);
    for &c in &changes[1..] {
        if c - last - 1 > 2 * context {
            groups.push((first, last));
            first = c;
        }
        last = c;
    }
    groups.push((first, last));

    // Number of old/new lines consumed before each op.
    let mut old_before = Vec::with_capacity(ops.len());
    let mut new_before = Vec::with_capacity(ops.len());
    let (mut o, mut n) = (0, 0);
    for op in ops {
        old_before.push(o);
        new_before.push(n);
        match op {
            Op::Equal(..) => {
                o += 1;
                n += 1;
            }
            Op::Delete(_) => o += 1,
            Op::Insert(_) => n += 1,
        }
    }

    groups
        .into_iter()
        .map(|(first, last)| {
            let lo = first.saturating_sub(context);
            let hi = (last + context).min(ops.len() - 1);
            let mut hunk = Hunk {
                old_start: 0,
                old_len: 0,
                new_start: 0,
                new_len: 0,
                lines: Vec::new(),
            };
            for op in &ops[lo..=hi] {
                match *op {
                    Op::Equal(i, _) => {
                        hunk.old_len += 1;
                        hunk.new_len += 1;
                        hunk.lines.push(format!(" {}", a[i]));
                    }
                    Op::Delete(i) => {
                        hunk.old_len += 1;
                        hunk.lines.push(format!("-{}", a[i]));
                    }
                    Op::Insert(j) => {
                        hunk.new_len += 1;
                        hunk.lines.push(format!("+{}", b[j]));
                    }
                }
            }
            // An empty side is reported as the line *before* the hunk (GNU convention).
            hunk.old_start = old_before[lo] + usize::from(hunk.old_len > 0);
            hunk.new_start = new_before[lo] + usize::from(hunk.new_len > 0);
            hunk
        })
        .collect()
}

fn range(start: usize, len: usize) -> String {
    if len == 1 {
        start.to_string()
    } else {
        format!("{},{}", start, len)
    }
}

const SAMPLE_OLD: &str = r#"fn main() {
    let name = "world";
    println!("Hello, {}!", name);
}

fn add(a: i32, b: i32) -> i32 {
    a + b
}

fn unused() {
    // TODO: remove
}

fn multiply(a: i32, b: i32) -> i32 {
    a * b
}
"#;

const SAMPLE_NEW: &str = r#"use std::env;

fn main() {
    let name = env::args().nth(1).unwrap_or("world".into());
    println!("Hello, {}!", name);
}

fn add(a: i32, b: i32) -> i32 {
    a + b
}

fn multiply(a: i64, b: i64) -> i64 {
    a * b
}

fn divide(a: i64, b: i64) -> Option<i64> {
    if b == 0 { None } else { Some(a / b) }
}
"#;

fn main() {
    let mut context = 3usize;
    let mut files = Vec::new();
    let mut args = env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "-U" || arg == "--unified" {
            context = args.next().and_then(|v| v.parse().ok()).unwrap_or_else(|| {
                eprintln!("diff-tool: -U needs a non-negative number");
                process::exit(2)
            });
        } else {
            files.push(arg);
        }
    }

    let demo = files.is_empty();
    let (name_a, text_a, name_b, text_b) = match files.as_slice() {
        [] => (
            "a/greeting.rs".to_string(),
            SAMPLE_OLD.to_string(),
            "b/greeting.rs".to_string(),
            SAMPLE_NEW.to_string(),
        ),
        [old, new] => {
            let read = |p: &str| {
                fs::read_to_string(p).unwrap_or_else(|e| {
                    eprintln!("diff-tool: {}: {}", p, e);
                    process::exit(2)
                })
            };
            (old.clone(), read(old), new.clone(), read(new))
        }
        _ => {
            eprintln!("usage: diff-tool [-U n] OLD_FILE NEW_FILE");
            process::exit(2);
        }
    };

    let a: Vec<&str> = text_a.lines().collect();
    let b: Vec<&str> = text_b.lines().collect();
    let ops = diff_lines(&a, &b);
    let hunks = build_hunks(&ops, &a, &b, context);
    if hunks.is_empty() {
        eprintln!("files are identical");
        return;
    }

    println!("--- {}", name_a);
    println!("+++ {}", name_b);
    for h in &hunks {
        println!(
            "@@ -{} +{} @@",
            range(h.old_start, h.old_len),
            range(h.new_start, h.new_len)
        );
        for line in &h.lines {
            println!("{}", line);
        }
    }

    let inserted = ops.iter().filter(|o| matches!(o, Op::Insert(_))).count();
    let deleted = ops.iter().filter(|o| matches!(o, Op::Delete(_))).count();
    eprintln!(
        "{} hunk(s), {} insertion(s)(+), {} deletion(s)(-)",
        hunks.len(),
        inserted,
        deleted
    );
    if !demo {
        process::exit(1); // like diff(1): exit status 1 means "files differ"
    }
}
