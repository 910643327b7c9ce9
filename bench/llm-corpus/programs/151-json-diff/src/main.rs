use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
enum Change {
    Added { path: String, value: Value },
    Removed { path: String, value: Value },
    Changed { path: String, old: Value, new: Value },
    TypeChanged { path: String, old_type: String, new_type: String, old: Value, new: Value },
}

impl Change {
    fn path(&self) -> &str {
        match self {
            Change::Added { path, .. }
            | Change::Removed { path, .. }
            | Change::Changed { path, .. }
            | Change::TypeChanged { path, .. } => path,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Summary {
    added: usize,
    removed: usize,
    changed: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct DiffReport {
    id: Uuid,
    created_at: DateTime<Utc>,
    left: String,
    right: String,
    changes: Vec<Change>,
    summary: Summary,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
struct DiffStore {
    reports: HashMap<Uuid, DiffReport>,
    tags: HashMap<Uuid, Vec<String>>,
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn child_key(parent: &str, key: &str) -> String {
    let simple = !key.is_empty()
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !key.starts_with(|c: char| c.is_ascii_digit());
    if simple {
        format!("{parent}.{key}")
    } else {
        format!("{parent}[{}]", serde_json::to_string(key).unwrap_or_default())
    }
}

fn diff(path: &str, a: &Value, b: &Value, out: &mut Vec<Change>) {
    match (a, b) {
        (Value::Object(ma), Value::Object(mb)) => {
            let keys: BTreeSet<&String> = ma.keys().chain(mb.keys()).collect();
            for key in keys {
                let p = child_key(path, key);
                match (ma.get(key), mb.get(key)) {
                    (Some(x), Some(y)) => diff(&p, x, y, out),
                    (Some(x), None) => out.push(Change::Removed { path: p, value: x.clone() }),
                    (None, Some(y)) => out.push(Change::Added { path: p, value: y.clone() }),
                    (None, None) => unreachable!(),
                }
            }
        }
        (Value::Array(xa), Value::Array(xb)) => {
            for i in 0..xa.len().max(xb.len()) {
                let p = format!("{path}[{i}]");
                match (xa.get(i), xb.get(i)) {
                    (Some(x), Some(y)) => diff(&p, x, y, out),
                    (Some(x), None) => out.push(Change::Removed { path: p, value: x.clone() }),
                    (None, Some(y)) => out.push(Change::Added { path: p, value: y.clone() }),
                    (None, None) => unreachable!(),
                }
            }
        }
        _ if a == b => {}
        _ if type_name(a) != type_name(b) => out.push(Change::TypeChanged {
            path: path.to_string(),
            old_type: type_name(a).into(),
            new_type: type_name(b).into(),
            old: a.clone(),
            new: b.clone(),
        }),
        _ => out.push(Change::Changed { path: path.to_string(), old: a.clone(), new: b.clone() }),
    }
}

fn make_report(left_name: &str, left: &Value, right_name: &str, right: &Value) -> DiffReport {
    let mut changes = Vec::new();
    diff("$", left, right, &mut changes);
    let summary = changes.iter().fold(Summary::default(), |mut s, c| {
        match c {
            Change::Added { .. } => s.added += 1,
            Change::Removed { .. } => s.removed += 1,
            Change::Changed { .. } | Change::TypeChanged { .. } => s.changed += 1,
        }
        s
    });
    DiffReport { id: Uuid::new_v4(), created_at: Utc::now(), left: left_name.into(), right: right_name.into(), changes, summary }
}

fn compact(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 50 {
        format!("{}...", &s[..47])
    } else {
        s
    }
}

fn print_report(r: &DiffReport) {
    println!("Diff {} -> {} ({}):", r.left, r.right, r.id);
    if r.changes.is_empty() {
        println!("  documents are identical");
    }
    for c in &r.changes {
        match c {
            Change::Added { path, value } => println!("  + {path}: {}", compact(value)),
            Change::Removed { path, value } => println!("  - {path}: {}", compact(value)),
            Change::Changed { path, old, new } => println!("  ~ {path}: {} -> {}", compact(old), compact(new)),
            Change::TypeChanged { path, old_type, new_type, old, new } => {
                println!("  ! {path}: {old_type} {} -> {new_type} {}", compact(old), compact(new))
            }
        }
    }
    println!("  {} added, {} removed, {} changed\n", r.summary.added, r.summary.removed, r.summary.changed);
}

fn load_store(path: &Path) -> DiffStore {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text).unwrap_or_else(|e| {
            eprintln!("ignoring unreadable store {}: {e}", path.display());
            DiffStore::default()
        }),
        Err(_) => DiffStore::default(),
    }
}

fn read_json(path: &str) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("{path}: invalid JSON: {e}"))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (left_name, left, right_name, right) = if args.len() >= 2 {
        match (read_json(&args[0]), read_json(&args[1])) {
            (Ok(a), Ok(b)) => (args[0].clone(), a, args[1].clone(), b),
            (Err(e), _) | (_, Err(e)) => {
                eprintln!("error: {e}");
                std::process::exit(2);
            }
        }
    } else {
        let old = json!({
            "name": "inventory-service",
            "version": "1.4.2",
            "replicas": 3,
            "features": ["search", "export"],
            "database": { "host": "db-1.internal", "port": 5432, "pool": 10 },
            "owners": [{ "name": "ana", "role": "lead" }, { "name": "raj", "role": "dev" }],
            "debug": false,
            "legacy-endpoint": "/v1/items"
        });
        let new = json!({
            "name": "inventory-service",
            "version": "1.5.0",
            "replicas": "3",
            "features": ["search", "export", "bulk-import"],
            "database": { "host": "db-2.internal", "port": 5432, "pool": 20, "ssl": true },
            "owners": [{ "name": "ana", "role": "manager" }],
            "debug": false,
            "limits": { "rps": 500 }
        });
        ("config-v1.json".to_string(), old, "config-v2.json".to_string(), new)
    };

    let forward = make_report(&left_name, &left, &right_name, &right);
    let backward = make_report(&right_name, &right, &left_name, &left);
    print_report(&forward);
    print_report(&backward);

    let store_path: PathBuf = std::env::temp_dir().join("json_diff_store.json");
    let mut store = load_store(&store_path);
    let previously = store.reports.len();
    for report in [forward.clone(), backward] {
        let mut tags = vec![format!("{} changes", report.changes.len())];
        if report.changes.iter().any(|c| matches!(c, Change::TypeChanged { .. })) {
            tags.push("type-change".into());
        }
        store.tags.insert(report.id, tags);
        store.reports.insert(report.id, report);
    }

    match serde_json::to_string_pretty(&store).map(|json| std::fs::write(&store_path, json)) {
        Ok(Ok(())) => println!("Store saved to {} ({} reports, {} new)", store_path.display(), store.reports.len(), store.reports.len() - previously),
        Ok(Err(e)) => eprintln!("could not write store: {e}"),
        Err(e) => eprintln!("could not serialize store: {e}"),
    }
    let reloaded = load_store(&store_path);
    println!("Reloaded store equals in-memory store: {}", reloaded == store);

    let mut history: Vec<&DiffReport> = reloaded.reports.values().collect();
    history.sort_by_key(|r| r.created_at);
    println!("\nStored reports (oldest first):");
    for r in history.iter().rev().take(6).rev() {
        let tags = reloaded.tags.get(&r.id).map(|t| t.join(", ")).unwrap_or_default();
        println!("  {} {} -> {}  [{}]", r.created_at.format("%Y-%m-%d %H:%M:%S"), r.left, r.right, tags);
    }
    if let Some(r) = reloaded.reports.get(&forward.id) {
        let paths: Vec<&str> = r.changes.iter().map(Change::path).collect();
        println!("\nChanged paths in the forward diff: {}", paths.join(", "));
    }
}
