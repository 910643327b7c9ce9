use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Mutex, RwLock};

#[derive(Debug, Clone, Copy, PartialEq)]
enum LogLevel {
    Error,
    Warn,
    Info,
    Debug,
    Trace,
}

impl FromStr for LogLevel {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "error" => Ok(LogLevel::Error),
            "warn" | "warning" => Ok(LogLevel::Warn),
            "info" => Ok(LogLevel::Info),
            "debug" => Ok(LogLevel::Debug),
            "trace" => Ok(LogLevel::Trace),
            other => Err(format!("unknown level '{other}'")),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Flag(bool);

impl FromStr for Flag {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Ok(Flag(true)),
            "0" | "false" | "no" | "off" => Ok(Flag(false)),
            other => Err(format!("'{other}' is not a boolean")),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct HumanDuration(Duration);

impl FromStr for HumanDuration {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let (num, unit) = s.split_at(split);
        let n: u64 = num.parse().map_err(|_| format!("'{s}' has no leading number"))?;
        let d = match unit {
            "ms" => Duration::from_millis(n),
            "" | "s" => Duration::from_secs(n),
            "m" => Duration::from_secs(n * 60),
            other => return Err(format!("unknown unit '{other}'")),
        };
        Ok(HumanDuration(d))
    }
}

#[derive(Debug, Clone)]
struct ServerConfig {
    host: String,
    port: u16,
    workers: usize,
    request_timeout: Duration,
}

#[derive(Debug, Clone)]
struct DbConfig {
    url: String,
    pool_size: u32,
    ssl: bool,
}

#[derive(Debug, Clone)]
struct AppConfig {
    server: ServerConfig,
    db: DbConfig,
    log_level: LogLevel,
    features: Vec<String>,
    generation: u64,
}

#[derive(Debug)]
enum ConfigError {
    Missing { key: String },
    Invalid { key: String, value: String, expected: &'static str, reason: String },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Missing { key } => write!(f, "missing required variable {key}"),
            ConfigError::Invalid { key, value, expected, reason } => {
                write!(f, "{key}='{value}' is not a valid {expected}: {reason}")
            }
        }
    }
}

struct Loader<'a> {
    vars: &'a HashMap<String, String>,
    root: &'a str,
    errors: Vec<ConfigError>,
    used: BTreeSet<String>,
}

impl<'a> Loader<'a> {
    fn new(vars: &'a HashMap<String, String>, root: &'a str) -> Self {
        Loader { vars, root, errors: Vec::new(), used: BTreeSet::new() }
    }

    fn key(&self, section: &str, name: &str) -> String {
        if section.is_empty() {
            format!("{}_{}", self.root, name).to_uppercase()
        } else {
            format!("{}_{}_{}", self.root, section, name).to_uppercase()
        }
    }

    fn parse<T>(&mut self, key: &str, expected: &'static str) -> Option<Option<T>>
    where
        T: FromStr,
        T::Err: fmt::Display,
    {
        self.used.insert(key.to_string());
        let raw = self.vars.get(key)?;
        match raw.trim().parse::<T>() {
            Ok(v) => Some(Some(v)),
            Err(e) => {
                self.errors.push(ConfigError::Invalid { key: key.into(), value: raw.clone(), expected, reason: e.to_string() });
                Some(None)
            }
        }
    }

    fn required<T>(&mut self, section: &str, name: &str, expected: &'static str) -> Option<T>
    where
        T: FromStr,
        T::Err: fmt::Display,
    {
        let key = self.key(section, name);
        match self.parse(&key, expected) {
            Some(v) => v,
            None => {
                self.errors.push(ConfigError::Missing { key });
                None
            }
        }
    }

    fn optional<T>(&mut self, section: &str, name: &str, expected: &'static str, default: T) -> T
    where
        T: FromStr,
        T::Err: fmt::Display,
    {
        let key = self.key(section, name);
        self.parse(&key, expected).flatten().unwrap_or(default)
    }

    fn list(&mut self, section: &str, name: &str, default: &[&str]) -> Vec<String> {
        let key = self.key(section, name);
        self.used.insert(key.clone());
        match self.vars.get(&key) {
            Some(raw) => raw.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect(),
            None => default.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn unknown_keys(&self) -> Vec<&str> {
        let prefix = format!("{}_", self.root.to_uppercase());
        let mut keys: Vec<&str> = self
            .vars
            .keys()
            .filter(|k| k.starts_with(&prefix) && !self.used.contains(*k))
            .map(String::as_str)
            .collect();
        keys.sort();
        keys
    }
}

fn load(vars: &HashMap<String, String>, generation: u64) -> Result<(AppConfig, Vec<String>), Vec<ConfigError>> {
    let mut l = Loader::new(vars, "APP");
    let host = l.optional("SERVER", "HOST", "string", "0.0.0.0".to_string());
    let port: Option<u16> = l.required("SERVER", "PORT", "port number");
    let workers = l.optional("SERVER", "WORKERS", "integer", 4usize);
    let timeout = l.optional("SERVER", "TIMEOUT", "duration", HumanDuration(Duration::from_secs(5)));
    let url: Option<String> = l.required("DB", "URL", "connection string");
    let pool_size = l.optional("DB", "POOL_SIZE", "integer", 10u32);
    let ssl = l.optional("DB", "SSL", "boolean", Flag(false));
    let log_level = l.optional("", "LOG_LEVEL", "log level", LogLevel::Info);
    let features = l.list("", "FEATURES", &["metrics"]);
    let warnings = l.unknown_keys().iter().map(|k| format!("unknown variable {k} (typo?)")).collect();

    if !l.errors.is_empty() {
        return Err(l.errors);
    }
    let (Some(port), Some(url)) = (port, url) else {
        unreachable!("missing required values are reported as errors");
    };
    let config = AppConfig {
        server: ServerConfig { host, port, workers, request_timeout: timeout.0 },
        db: DbConfig { url, pool_size, ssl: ssl.0 },
        log_level,
        features,
        generation,
    };
    Ok((config, warnings))
}

const SAMPLE_ENV: &[(&str, &str)] = &[
    ("APP_SERVER_PORT", "8080"),
    ("APP_SERVER_WORKERS", "3"),
    ("APP_SERVER_TIMEOUT", "400ms"),
    ("APP_DB_URL", "postgres://app@localhost/app"),
    ("APP_DB_SSL", "yes"),
    ("APP_FEATURES", "metrics, tracing ,beta-ui"),
    ("APP_DB_POOLSIZE", "20"),
];

fn with_overrides(base: &HashMap<String, String>, overrides: &[(&str, &str)]) -> HashMap<String, String> {
    let mut vars = base.clone();
    for (k, v) in overrides {
        vars.insert(k.to_string(), v.to_string());
    }
    vars
}

#[tokio::main]
async fn main() {
    let mut vars: HashMap<String, String> = std::env::vars().filter(|(k, _)| k.starts_with("APP_")).collect();
    for (k, v) in SAMPLE_ENV {
        vars.entry(k.to_string()).or_insert_with(|| v.to_string());
    }

    println!("Broken environment example:");
    let broken = with_overrides(&HashMap::new(), &[("APP_SERVER_WORKERS", "many"), ("APP_LOG_LEVEL", "loud")]);
    if let Err(errors) = load(&broken, 0) {
        for e in &errors {
            println!("  error: {e}");
        }
    }

    let (initial, warnings) = match load(&vars, 1) {
        Ok(ok) => ok,
        Err(errors) => {
            for e in errors {
                eprintln!("config error: {e}");
            }
            std::process::exit(1);
        }
    };
    for w in &warnings {
        println!("warning: {w}");
    }
    println!("\nLoaded configuration:\n{initial:#?}\n");

    let workers = initial.server.workers;
    let config = Arc::new(RwLock::new(initial));
    let log: Arc<Mutex<Vec<String>>> = Arc::new(Mutex::new(Vec::new()));

    let mut handles = Vec::new();
    for id in 0..workers {
        let config = Arc::clone(&config);
        let log = Arc::clone(&log);
        handles.push(tokio::spawn(async move {
            let mut jobs = 0;
            for job in 0..5 {
                let (pause, pool, level, generation) = {
                    let c = config.read().await;
                    (c.server.request_timeout / 8, c.db.pool_size, c.log_level, c.generation)
                };
                tokio::time::sleep(pause).await;
                log.lock().await.push(format!(
                    "worker {id} job {job}: pool_size={pool} log_level={level:?} (config gen {generation})"
                ));
                jobs += 1;
            }
            jobs
        }));
    }

    let reloader = {
        let config = Arc::clone(&config);
        let log = Arc::clone(&log);
        let base = vars.clone();
        tokio::spawn(async move {
            let attempts: [&[(&str, &str)]; 2] = [
                &[("APP_DB_POOL_SIZE", "32"), ("APP_LOG_LEVEL", "debug")],
                &[("APP_SERVER_PORT", "eighty"), ("APP_DB_URL", "")],
            ];
            let mut applied = 0;
            for overrides in attempts {
                tokio::time::sleep(Duration::from_millis(120)).await;
                let generation = config.read().await.generation + 1;
                let candidate = with_overrides(&base, overrides);
                match load(&candidate, generation) {
                    Ok((new_config, _)) => {
                        *config.write().await = new_config;
                        applied += 1;
                        log.lock().await.push(format!("reloader: applied config generation {generation}"));
                    }
                    Err(errors) => {
                        let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
                        log.lock().await.push(format!("reloader: rejected reload, keeping old config: {}", text.join("; ")));
                    }
                }
            }
            applied
        })
    };

    let mut total_jobs = 0;
    for h in handles {
        total_jobs += h.await.expect("worker panicked");
    }
    let applied = reloader.await.expect("reloader panicked");

    println!("Event log:");
    for line in log.lock().await.iter() {
        println!("  {line}");
    }
    let final_config = config.read().await;
    println!(
        "\n{total_jobs} jobs done, {applied} reload(s) applied; final generation {} with pool_size={} log_level={:?}",
        final_config.generation, final_config.db.pool_size, final_config.log_level
    );
    println!(
        "server {}:{} ({} workers, timeout {:?}), db {} ssl={}, features {:?}",
        final_config.server.host,
        final_config.server.port,
        final_config.server.workers,
        final_config.server.request_timeout,
        final_config.db.url,
        final_config.db.ssl,
        final_config.features
    );
}
