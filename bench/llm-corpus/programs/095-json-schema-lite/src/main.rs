//! json-schema-lite: validate JSON documents against a tiny schema language
//! supporting `type`, `required`, `properties`, `items`, `min`, `max` and
//! `enum`. The validator keeps its statistics in its own fields.

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Type {
    Null,
    Boolean,
    Integer,
    Number,
    String,
    Array,
    Object,
}

impl Type {
    fn parse(s: &str) -> Result<Type, String> {
        Ok(match s {
            "null" => Type::Null,
            "boolean" => Type::Boolean,
            "integer" => Type::Integer,
            "number" => Type::Number,
            "string" => Type::String,
            "array" => Type::Array,
            "object" => Type::Object,
            other => return Err(format!("unknown type '{other}'")),
        })
    }

    fn matches(self, v: &Value) -> bool {
        match self {
            Type::Null => v.is_null(),
            Type::Boolean => v.is_boolean(),
            Type::Integer => v.is_i64() || v.is_u64() || v.as_f64().map_or(false, |f| f.fract() == 0.0),
            Type::Number => v.is_number(),
            Type::String => v.is_string(),
            Type::Array => v.is_array(),
            Type::Object => v.is_object(),
        }
    }
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

#[derive(Debug, Default)]
struct Schema {
    ty: Option<Type>,
    required: Vec<String>,
    properties: BTreeMap<String, Schema>,
    items: Option<Box<Schema>>,
    min: Option<f64>,
    max: Option<f64>,
    allowed: Option<Vec<Value>>,
}

impl Schema {
    fn from_json(v: &Value) -> Result<Schema, String> {
        let obj = v.as_object().ok_or("schema must be an object")?;
        let mut s = Schema::default();
        for (key, val) in obj {
            match key.as_str() {
                "type" => s.ty = Some(Type::parse(val.as_str().ok_or("'type' must be a string")?)?),
                "required" => {
                    s.required = val
                        .as_array()
                        .ok_or("'required' must be an array")?
                        .iter()
                        .map(|r| r.as_str().map(str::to_string).ok_or("'required' entries must be strings".to_string()))
                        .collect::<Result<_, _>>()?
                }
                "properties" => {
                    for (name, sub) in val.as_object().ok_or("'properties' must be an object")? {
                        let parsed = Schema::from_json(sub).map_err(|e| format!("properties.{name}: {e}"))?;
                        s.properties.insert(name.clone(), parsed);
                    }
                }
                "items" => s.items = Some(Box::new(Schema::from_json(val).map_err(|e| format!("items: {e}"))?)),
                "min" => s.min = Some(val.as_f64().ok_or("'min' must be a number")?),
                "max" => s.max = Some(val.as_f64().ok_or("'max' must be a number")?),
                "enum" => s.allowed = Some(val.as_array().ok_or("'enum' must be an array")?.clone()),
                other => return Err(format!("unsupported keyword '{other}'")),
            }
        }
        Ok(s)
    }
}

#[derive(Debug, Clone)]
struct Violation {
    path: String,
    keyword: &'static str,
    message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}]: {}", self.path, self.keyword, self.message)
    }
}

fn validate(schema: &Schema, v: &Value, path: &str, out: &mut Vec<Violation>) {
    let mut fail = |keyword: &'static str, message: String| out.push(Violation { path: path.to_string(), keyword, message });

    if let Some(ty) = schema.ty {
        if !ty.matches(v) {
            fail("type", format!("expected {ty:?}, found {}", type_name(v)));
            return; // further checks would only be noise
        }
    }
    if let Some(allowed) = &schema.allowed {
        if !allowed.contains(v) {
            fail("enum", format!("{v} is not one of {}", Value::Array(allowed.clone())));
        }
    }
    // min/max: numeric value, string length or array length.
    let measure = match v {
        Value::Number(n) => n.as_f64().map(|x| (x, "value")),
        Value::String(s) => Some((s.chars().count() as f64, "length")),
        Value::Array(a) => Some((a.len() as f64, "item count")),
        _ => None,
    };
    if let Some((x, what)) = measure {
        if let Some(min) = schema.min {
            if x < min {
                fail("min", format!("{what} {x} is below minimum {min}"));
            }
        }
        if let Some(max) = schema.max {
            if x > max {
                fail("max", format!("{what} {x} exceeds maximum {max}"));
            }
        }
    }
    drop(fail);

    if let Value::Object(map) = v {
        for req in &schema.required {
            if !map.contains_key(req) {
                out.push(Violation { path: path.to_string(), keyword: "required", message: format!("missing property '{req}'") });
            }
        }
        for (name, sub) in &schema.properties {
            if let Some(child) = map.get(name) {
                validate(sub, child, &format!("{path}.{name}"), out);
            }
        }
    }
    if let (Value::Array(items), Some(item_schema)) = (v, &schema.items) {
        for (i, item) in items.iter().enumerate() {
            validate(item_schema, item, &format!("{path}[{i}]"), out);
        }
    }
}

/// Holds the schema, the documents to check, and running statistics.
struct Validator {
    schema: Schema,
    documents: Vec<(String, Value)>,
    reports: Vec<(String, Vec<Violation>)>,
    checked: usize,
    passed: usize,
    failed: usize,
    total_violations: usize,
    by_keyword: BTreeMap<&'static str, usize>,
    deepest_path: String,
}

impl Validator {
    fn new(schema: Schema) -> Self {
        Validator {
            schema,
            documents: Vec::new(),
            reports: Vec::new(),
            checked: 0,
            passed: 0,
            failed: 0,
            total_violations: 0,
            by_keyword: BTreeMap::new(),
            deepest_path: String::new(),
        }
    }

    fn add(&mut self, name: &str, doc: Value) {
        self.documents.push((name.to_string(), doc));
    }

    /// Validate every stored document, updating the statistics fields.
    fn run(&mut self) {
        for (name, doc) in &self.documents {
            let mut violations = Vec::new();
            validate(&self.schema, doc, "$", &mut violations);
            self.checked += 1;
            if violations.is_empty() {
                self.passed += 1;
            } else {
                self.failed += 1;
            }
            self.total_violations += violations.len();
            for v in &violations {
                *self.by_keyword.entry(v.keyword).or_insert(0) += 1;
                if v.path.len() > self.deepest_path.len() {
                    self.deepest_path = v.path.clone();
                }
            }
            self.reports.push((name.clone(), violations));
        }
    }

    fn print_report(&self) {
        for (name, violations) in &self.reports {
            if violations.is_empty() {
                println!("PASS {name}");
            } else {
                println!("FAIL {name} ({} violation(s))", violations.len());
                for v in violations {
                    println!("     - {v}");
                }
            }
        }
        println!("\nchecked {}, passed {}, failed {}, violations {}", self.checked, self.passed, self.failed, self.total_violations);
        for (kw, n) in &self.by_keyword {
            println!("  {kw:<9} {n}");
        }
        if !self.deepest_path.is_empty() {
            println!("deepest failing path: {}", self.deepest_path);
        }
    }
}

fn main() {
    let schema_json = json!({
        "type": "object",
        "required": ["id", "name", "email", "roles"],
        "properties": {
            "id": { "type": "integer", "min": 1 },
            "name": { "type": "string", "min": 2, "max": 40 },
            "email": { "type": "string", "min": 5 },
            "age": { "type": "integer", "min": 0, "max": 150 },
            "roles": { "type": "array", "min": 1, "items": { "type": "string", "enum": ["admin", "editor", "viewer"] } },
            "address": {
                "type": "object",
                "required": ["city"],
                "properties": {
                    "city": { "type": "string", "min": 1 },
                    "zip": { "type": "string", "min": 4, "max": 10 }
                }
            }
        }
    });

    let schema = match Schema::from_json(&schema_json) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("invalid schema: {e}");
            std::process::exit(1);
        }
    };

    let mut validator = Validator::new(schema);
    validator.add("alice", json!({"id": 1, "name": "Alice", "email": "alice@example.com", "age": 34, "roles": ["admin"], "address": {"city": "Oslo", "zip": "0150"}}));
    validator.add("bob", json!({"id": 0, "name": "B", "email": "bob@example.com", "roles": []}));
    validator.add("carol", json!({"id": "3", "name": "Carol", "roles": ["superuser", 7], "age": 200}));
    validator.add("dave", json!({"id": 4, "name": "Dave", "email": "d@e.io", "roles": ["viewer"], "address": {"zip": "123456789012"}}));
    validator.add("not-an-object", json!(["just", "a", "list"]));

    // Documents can also come from a file passed on the command line.
    if let Some(path) = std::env::args().nth(1) {
        match std::fs::read_to_string(&path).map_err(|e| e.to_string()).and_then(|s| serde_json::from_str::<Value>(&s).map_err(|e| e.to_string())) {
            Ok(doc) => validator.add(&path, doc),
            Err(e) => eprintln!("skipping {path}: {e}"),
        }
    }

    // A broken schema is reported, not panicked on.
    if let Err(e) = Schema::from_json(&json!({"type": "object", "properties": {"x": {"type": "float"}}})) {
        println!("schema error example: {e}\n");
    }

    validator.run();
    validator.print_report();
}
