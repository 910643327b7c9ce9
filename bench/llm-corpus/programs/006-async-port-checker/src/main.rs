use futures::stream::{self, StreamExt};
use std::env;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;
use tokio::time::timeout;

#[derive(Debug)]
enum PortState {
    Open(Duration),
    Closed(String),
    TimedOut,
}

#[derive(Debug)]
struct CheckResult {
    target: String,
    state: PortState,
}

async fn check(target: String, limit: Duration) -> CheckResult {
    let start = Instant::now();
    let state = match timeout(limit, TcpStream::connect(target.as_str())).await {
        Ok(Ok(_stream)) => PortState::Open(start.elapsed()),
        Ok(Err(e)) => PortState::Closed(e.to_string()),
        Err(_) => PortState::TimedOut,
    };
    CheckResult { target, state }
}

fn parse_targets(args: &[String]) -> Vec<String> {
    let mut targets = Vec::new();
    for a in args {
        if a.starts_with("--") {
            continue;
        }
        match a.rsplit_once(':') {
            Some((host, port)) if !host.is_empty() && port.parse::<u16>().is_ok() => targets.push(a.clone()),
            _ => eprintln!("skipping invalid target '{}' (expected host:port)", a),
        }
    }
    targets
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = env::args().skip(1).collect();
    let timeout_ms = args
        .iter()
        .position(|a| a == "--timeout-ms")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(1500);
    let filtered: Vec<String> = {
        let mut out = Vec::new();
        let mut skip_next = false;
        for a in &args {
            if skip_next {
                skip_next = false;
                continue;
            }
            if a == "--timeout-ms" {
                skip_next = true;
                continue;
            }
            out.push(a.clone());
        }
        out
    };

    let mut targets = parse_targets(&filtered);
    if targets.is_empty() {
        targets = vec![
            "127.0.0.1:22".into(),
            "127.0.0.1:80".into(),
            "127.0.0.1:443".into(),
            "127.0.0.1:5432".into(),
            "127.0.0.1:6379".into(),
            "127.0.0.1:8080".into(),
            "localhost:3000".into(),
            "10.255.255.1:80".into(), // usually unroutable -> timeout
        ];
        println!("No targets given, checking defaults.");
    }

    let limit = Duration::from_millis(timeout_ms);
    println!("Checking {} targets (timeout {} ms, up to 64 concurrently)...\n", targets.len(), timeout_ms);
    let started = Instant::now();

    let mut results: Vec<CheckResult> = stream::iter(targets.into_iter().map(|t| check(t, limit)))
        .buffer_unordered(64)
        .collect()
        .await;
    results.sort_by(|a, b| a.target.cmp(&b.target));

    let (mut open, mut closed, mut timed_out) = (0, 0, 0);
    for r in &results {
        match &r.state {
            PortState::Open(d) => {
                open += 1;
                println!("{:<24} OPEN     ({} ms)", r.target, d.as_millis());
            }
            PortState::Closed(e) => {
                closed += 1;
                println!("{:<24} CLOSED   ({})", r.target, e);
            }
            PortState::TimedOut => {
                timed_out += 1;
                println!("{:<24} TIMEOUT", r.target);
            }
        }
    }
    println!(
        "\nSummary: {} open, {} closed, {} timed out in {:.2}s",
        open,
        closed,
        timed_out,
        started.elapsed().as_secs_f64()
    );
}
