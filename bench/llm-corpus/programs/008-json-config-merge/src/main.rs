use anyhow::{Context, Result};
use serde_json::{json, Value};
use std::env;
use std::fs;

#[derive(Debug)]
enum Change {
    Overridden { path: String, old: Value, new: Value },
    Added { path: String },
    TypeChanged { path: String, from: &'static str, to: &'static str },
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{}.{}", path, key)
    }
}

/// Deep-merge `overlay` into `base`. Objects are merged recursively;
/// everything else (including arrays) is replaced.
fn merge(base: &mut Value, overlay: &Value, path: &str, changes: &mut Vec<Change>) {
    match (base, overlay) {
        (Value::Object(b), Value::Object(o)) => {
            for (key, ov) in o {
                let child_path = join(path, key);
                match b.get_mut(key) {
                    Some(bv) => {
                        if bv.is_object() && ov.is_object() {
                            merge(bv, ov, &child_path, changes);
                        } else if bv != ov {
                            if type_name(bv) != type_name(ov) {
                                changes.push(Change::TypeChanged {
                                    path: child_path.clone(),
                                    from: type_name(bv),
                                    to: type_name(ov),
                                });
                            }
                            changes.push(Change::Overridden { path: child_path, old: bv.clone(), new: ov.clone() });
                            *bv = ov.clone();
                        }
                    }
                    None => {
                        changes.push(Change::Added { path: child_path });
                        b.insert(key.clone(), ov.clone());
                    }
                }
            }
        }
        (b, o) => {
            if *b != *o {
                changes.push(Change::Overridden { path: path.to_string(), old: b.clone(), new: o.clone() });
                *b = o.clone();
            }
        }
    }
}

fn load(path: &str) -> Result<Value> {
    let text = fs::read_to_string(path).with_context(|| format!("reading {}", path))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", path))
}

fn main() -> Result<()> {
    let args: Vec<String> = env::args().skip(1).collect();
    let (mut base, overlay) = if args.len() >= 2 {
        (load(&args[0])?, load(&args[1])?)
    } else {
        println!("Usage: json-config-merge <base.json> <override.json>");
        println!("No files given, using built-in sample configs.\n");
        let base = json!({
            "app": { "name": "demo", "debug": false, "workers": 4 },
            "database": {
                "host": "localhost",
                "port": 5432,
                "pool": { "min": 1, "max": 10 }
            },
            "features": ["auth", "metrics"],
            "log_level": "info"
        });
        let overlay = json!({
            "app": { "debug": true, "workers": 8 },
            "database": {
                "host": "db.prod.internal",
                "pool": { "max": 50 },
                "ssl": true
            },
            "features": ["auth"],
            "log_level": { "default": "warn", "http": "debug" }
        });
        (base, overlay)
    };

    let mut changes = Vec::new();
    merge(&mut base, &overlay, "", &mut changes);

    println!("Merged configuration:");
    println!("{}", serde_json::to_string_pretty(&base)?);

    println!("\nChanges ({}):", changes.len());
    for c in &changes {
        match c {
            Change::Overridden { path, old, new } => println!("  ~ {}: {} -> {}", path, old, new),
            Change::Added { path } => println!("  + {} (new key)", path),
            Change::TypeChanged { path, from, to } => println!("  ! {}: type changed {} -> {}", path, from, to),
        }
    }
    let overridden = changes.iter().filter(|c| matches!(c, Change::Overridden { .. })).count();
    let added = changes.iter().filter(|c| matches!(c, Change::Added { .. })).count();
    println!("\n{} keys overridden, {} keys added", overridden, added);
    Ok(())
}
