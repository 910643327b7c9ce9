use anyhow::{Context, Result};
use regex::Regex;
use serde_json::{Number, Value};
use std::collections::{BTreeSet, HashMap};
use std::env;
use std::fs;
use std::io::{self, Read};

struct Inferrer {
    int_re: Regex,
    float_re: Regex,
}

impl Inferrer {
    fn new() -> Self {
        Inferrer {
            // No leading zeros, so identifiers like zip code "02139" stay strings.
            int_re: Regex::new(r"^[+-]?(0|[1-9][0-9]*)$").expect("valid regex"),
            float_re: Regex::new(r"^[+-]?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$")
                .expect("valid regex"),
        }
    }

    fn infer(&self, raw: &str) -> Value {
        let t = raw.trim();
        if t.is_empty() {
            return Value::Null;
        }
        if t.eq_ignore_ascii_case("true") {
            return Value::Bool(true);
        }
        if t.eq_ignore_ascii_case("false") {
            return Value::Bool(false);
        }
        if self.int_re.is_match(t) {
            // Too big for i64: keep the exact digits as a string.
            return match t.parse::<i64>() {
                Ok(i) => Value::from(i),
                Err(_) => Value::String(raw.to_string()),
            };
        }
        if self.float_re.is_match(t) {
            if let Some(n) = t.parse::<f64>().ok().and_then(Number::from_f64) {
                return Value::Number(n);
            }
        }
        Value::String(raw.to_string())
    }
}

/// Blank headers become `column_N`, repeated headers get a `_2`, `_3` suffix.
fn unique_headers(raw: &csv::StringRecord) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    raw.iter()
        .enumerate()
        .map(|(i, h)| {
            let base = if h.trim().is_empty() {
                format!("column_{}", i + 1)
            } else {
                h.trim().to_string()
            };
            let count = seen.entry(base.clone()).or_insert(0);
            *count += 1;
            if *count == 1 {
                base
            } else {
                format!("{}_{}", base, count)
            }
        })
        .collect()
}

fn convert(input: &str, inferrer: &Inferrer) -> Result<(Vec<String>, Vec<Vec<Value>>)> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(input.as_bytes());
    let headers = unique_headers(rdr.headers().context("reading header row")?);
    let mut rows = Vec::new();
    for (i, record) in rdr.records().enumerate() {
        let record = record.with_context(|| format!("malformed CSV in record {}", i + 1))?;
        let mut row: Vec<Value> = record.iter().map(|f| inferrer.infer(f)).collect();
        if row.len() > headers.len() {
            eprintln!(
                "warning: record {} has {} extra field(s); ignored",
                i + 1,
                row.len() - headers.len()
            );
            row.truncate(headers.len());
        }
        while row.len() < headers.len() {
            row.push(Value::Null);
        }
        rows.push(row);
    }
    Ok((headers, rows))
}

/// Writes the JSON by hand so that keys keep the CSV column order.
fn to_json(headers: &[String], rows: &[Vec<Value>]) -> Result<String> {
    let mut out = String::from("[\n");
    for (i, row) in rows.iter().enumerate() {
        out.push_str("  {");
        for (j, (header, value)) in headers.iter().zip(row).enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push_str("\n    ");
            out.push_str(&serde_json::to_string(header)?);
            out.push_str(": ");
            out.push_str(&serde_json::to_string(value)?);
        }
        out.push_str("\n  }");
        if i + 1 < rows.len() {
            out.push(',');
        }
        out.push('\n');
    }
    out.push_str("]\n");
    Ok(out)
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) | Value::Object(_) => "object",
    }
}

const SAMPLE: &str = r#"id,name,age,score,active,zip,joined,notes,score,
1,Alice,34,88.5,true,02139,2021-04-01,"Likes ""quotes"", and commas",1e3,x
2,Bob,,72,FALSE,94105,2020-11-15,,-0.5,
3,"Carol, Jr.",29,NaN,yes,10001,2019-01-30,plain text,12345678901234567890,
4,Dave,41,95.25,false,00501,2022-07-07,"multi
line note",+7,
"#;

fn main() -> Result<()> {
    let args: Vec<String> = env::args().skip(1).collect();
    let input = match args.first().map(String::as_str) {
        Some("-") => {
            let mut buf = String::new();
            io::stdin().read_to_string(&mut buf).context("reading stdin")?;
            buf
        }
        Some(path) => fs::read_to_string(path).with_context(|| format!("reading {}", path))?,
        None => {
            eprintln!("(no input file given: converting built-in sample)");
            SAMPLE.to_string()
        }
    };

    let inferrer = Inferrer::new();
    let (headers, rows) = convert(&input, &inferrer)?;
    let json = to_json(&headers, &rows)?;

    // Round-trip check: the output must be valid JSON with one object per row.
    let parsed: Value = serde_json::from_str(&json).context("generated invalid JSON")?;
    let count = parsed.as_array().map(|a| a.len()).unwrap_or(0);
    assert_eq!(count, rows.len());

    match args.get(1) {
        Some(out_path) => {
            fs::write(out_path, &json).with_context(|| format!("writing {}", out_path))?;
            eprintln!("wrote {} objects to {}", count, out_path);
        }
        None => print!("{}", json),
    }

    eprintln!("\ncolumn types:");
    for (col, header) in headers.iter().enumerate() {
        let types: BTreeSet<&str> = rows
            .iter()
            .map(|r| type_name(&r[col]))
            .filter(|t| *t != "null")
            .collect();
        let nulls = rows.iter().filter(|r| r[col].is_null()).count();
        let summary = match types.len() {
            0 => "empty".to_string(),
            1 => types.iter().next().map(|s| s.to_string()).unwrap_or_default(),
            _ => format!("mixed({})", types.into_iter().collect::<Vec<_>>().join(", ")),
        };
        eprintln!("  {:<10} {:<28} {} null(s)", header, summary, nulls);
    }
    Ok(())
}
