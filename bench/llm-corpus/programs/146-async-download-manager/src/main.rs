use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio::time::Instant;

trait Source {
    fn name(&self) -> &str;
    fn protocol(&self) -> &'static str;
    fn total_bytes(&self) -> u64;
    fn chunk_bytes(&self) -> u64;
    fn chunk_delay(&self) -> Duration;
    /// Byte offset at which the simulated transfer fails once and must retry.
    fn transient_failure_at(&self) -> Option<u64> {
        None
    }
}

/// Generic helpers for every source, including `dyn Source`.
trait SourceExt: Source {
    fn estimate<B: Into<f64>>(&self, bytes_per_sec: B) -> Duration {
        let rate: f64 = bytes_per_sec.into();
        Duration::from_secs_f64(self.total_bytes() as f64 / rate.max(1.0))
    }

    fn describe_with<F: Fn(u64) -> String>(&self, format_size: F) -> String {
        format!("{} via {} ({})", self.name(), self.protocol(), format_size(self.total_bytes()))
    }

    fn nominal_rate(&self) -> f64 {
        self.chunk_bytes() as f64 / self.chunk_delay().as_secs_f64()
    }
}

impl<T: Source + ?Sized> SourceExt for T {}

struct HttpSource {
    name: String,
    size: u64,
    flaky_at: Option<u64>,
}

impl Source for HttpSource {
    fn name(&self) -> &str {
        &self.name
    }
    fn protocol(&self) -> &'static str {
        "HTTP"
    }
    fn total_bytes(&self) -> u64 {
        self.size
    }
    fn chunk_bytes(&self) -> u64 {
        256 * 1024
    }
    fn chunk_delay(&self) -> Duration {
        Duration::from_millis(40)
    }
    fn transient_failure_at(&self) -> Option<u64> {
        self.flaky_at
    }
}

struct FtpSource {
    name: String,
    size: u64,
}

impl Source for FtpSource {
    fn name(&self) -> &str {
        &self.name
    }
    fn protocol(&self) -> &'static str {
        "FTP"
    }
    fn total_bytes(&self) -> u64 {
        self.size
    }
    fn chunk_bytes(&self) -> u64 {
        128 * 1024
    }
    fn chunk_delay(&self) -> Duration {
        Duration::from_millis(60)
    }
}

struct TorrentSource {
    name: String,
    size: u64,
    peers: u32,
}

impl Source for TorrentSource {
    fn name(&self) -> &str {
        &self.name
    }
    fn protocol(&self) -> &'static str {
        "BitTorrent"
    }
    fn total_bytes(&self) -> u64 {
        self.size
    }
    fn chunk_bytes(&self) -> u64 {
        64 * 1024 * self.peers as u64
    }
    fn chunk_delay(&self) -> Duration {
        Duration::from_millis(50)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Control {
    Run,
    Pause,
    Cancel,
}

#[derive(Debug)]
enum Outcome {
    Completed { bytes: u64, elapsed: Duration, retries: u32 },
    Cancelled { at_bytes: u64 },
}

#[derive(Debug)]
enum Event {
    Progress { name: String, done: u64, total: u64 },
    Status { name: String, text: String },
}

struct Plan {
    name: String,
    total: u64,
    chunk: u64,
    delay: Duration,
    fail_at: Option<u64>,
}

async fn download(plan: Plan, mut ctrl: watch::Receiver<Control>, events: mpsc::UnboundedSender<Event>) -> Outcome {
    let started = Instant::now();
    let mut done = 0u64;
    let mut retries = 0u32;
    let status = |text: &str| Event::Status { name: plan.name.clone(), text: text.to_string() };
    loop {
        let state = *ctrl.borrow_and_update();
        match state {
            Control::Cancel => {
                let _ = events.send(status("cancelled"));
                return Outcome::Cancelled { at_bytes: done };
            }
            Control::Pause => {
                let _ = events.send(status("paused"));
                if ctrl.changed().await.is_err() {
                    return Outcome::Cancelled { at_bytes: done };
                }
                if *ctrl.borrow() == Control::Run {
                    let _ = events.send(status("resumed"));
                }
                continue;
            }
            Control::Run => {}
        }
        tokio::select! {
            _ = tokio::time::sleep(plan.delay) => {
                let next = (done + plan.chunk).min(plan.total);
                if retries == 0 && plan.fail_at.map_or(false, |f| next >= f && done < f) {
                    retries += 1;
                    let _ = events.send(status("connection reset, retrying chunk"));
                    tokio::time::sleep(plan.delay * 2).await;
                    continue;
                }
                done = next;
                let _ = events.send(Event::Progress { name: plan.name.clone(), done, total: plan.total });
                if done >= plan.total {
                    let _ = events.send(status("completed"));
                    return Outcome::Completed { bytes: done, elapsed: started.elapsed(), retries };
                }
            }
            changed = ctrl.changed() => {
                if changed.is_err() {
                    return Outcome::Cancelled { at_bytes: done };
                }
            }
        }
    }
}

#[derive(Default)]
struct DownloadManager {
    sources: Vec<Box<dyn Source>>,
    index: HashMap<String, usize>,
    controls: HashMap<String, watch::Sender<Control>>,
    handles: Vec<(String, JoinHandle<Outcome>)>,
}

impl DownloadManager {
    fn register(&mut self, source: Box<dyn Source>) {
        self.index.insert(source.name().to_string(), self.sources.len());
        self.sources.push(source);
    }

    fn get(&self, name: &str) -> Option<&dyn Source> {
        self.index.get(name).map(|&i| self.sources[i].as_ref())
    }

    fn start_all(&mut self, events: &mpsc::UnboundedSender<Event>) {
        for source in &self.sources {
            let (tx, rx) = watch::channel(Control::Run);
            let plan = Plan {
                name: source.name().to_string(),
                total: source.total_bytes(),
                chunk: source.chunk_bytes(),
                delay: source.chunk_delay(),
                fail_at: source.transient_failure_at(),
            };
            let handle = tokio::spawn(download(plan, rx, events.clone()));
            self.controls.insert(source.name().to_string(), tx);
            self.handles.push((source.name().to_string(), handle));
        }
    }

    fn send(&self, name: &str, control: Control) -> bool {
        self.controls.get(name).map_or(false, |tx| tx.send(control).is_ok())
    }

    async fn join_all(&mut self) -> Vec<(String, Outcome)> {
        let mut out = Vec::new();
        for (name, handle) in self.handles.drain(..) {
            match handle.await {
                Ok(outcome) => out.push((name, outcome)),
                Err(e) => eprintln!("download {name} panicked: {e}"),
            }
        }
        out
    }
}

fn human(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

async fn printer(mut rx: mpsc::UnboundedReceiver<Event>, started: Instant) -> usize {
    let mut progress: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut count = 0;
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    loop {
        tokio::select! {
            event = rx.recv() => match event {
                Some(Event::Progress { name, done, total }) => {
                    count += 1;
                    progress.insert(name, (done, total));
                }
                Some(Event::Status { name, text }) => {
                    count += 1;
                    println!("[{:>5}ms] {name}: {text}", started.elapsed().as_millis());
                }
                None => break,
            },
            _ = tick.tick() => {
                let line: Vec<String> = progress
                    .iter()
                    .map(|(n, (d, t))| format!("{n} {:>3}%", d * 100 / (*t).max(1)))
                    .collect();
                if !line.is_empty() {
                    println!("[{:>5}ms] {}", started.elapsed().as_millis(), line.join(" | "));
                }
            }
        }
    }
    count
}

#[tokio::main]
async fn main() {
    const MIB: u64 = 1024 * 1024;
    let mut manager = DownloadManager::default();
    manager.register(Box::new(HttpSource { name: "ubuntu.iso".into(), size: 5 * MIB, flaky_at: None }));
    manager.register(Box::new(FtpSource { name: "dataset.csv".into(), size: 3 * MIB }));
    manager.register(Box::new(TorrentSource { name: "movie.mkv".into(), size: 8 * MIB, peers: 8 }));
    manager.register(Box::new(HttpSource { name: "patch.zip".into(), size: MIB / 2, flaky_at: Some(300 * 1024) }));

    println!("Queued downloads:");
    for source in &manager.sources {
        println!(
            "  {:<44} nominal {}/s, estimate at 10 MiB/s: {:.2}s",
            source.describe_with(human),
            human(source.nominal_rate() as u64),
            source.estimate(10.0 * MIB as f64).as_secs_f64()
        );
    }

    let started = Instant::now();
    let (tx, rx) = mpsc::unbounded_channel();
    let printer_task = tokio::spawn(printer(rx, started));
    manager.start_all(&tx);
    drop(tx);

    tokio::time::sleep(Duration::from_millis(300)).await;
    manager.send("movie.mkv", Control::Pause);
    tokio::time::sleep(Duration::from_millis(300)).await;
    manager.send("dataset.csv", Control::Cancel);
    tokio::time::sleep(Duration::from_millis(400)).await;
    manager.send("movie.mkv", Control::Run);

    let outcomes = manager.join_all().await;
    manager.controls.clear();
    let events = printer_task.await.unwrap_or(0);

    println!("\nResults after {:.2}s ({events} events):", started.elapsed().as_secs_f64());
    for (name, outcome) in &outcomes {
        let total = manager.get(name).map(|s| s.total_bytes()).unwrap_or(0);
        match outcome {
            Outcome::Completed { bytes, elapsed, retries } => println!(
                "  {name:<12} completed {} in {:.2}s ({}/s, {retries} retr{})",
                human(*bytes),
                elapsed.as_secs_f64(),
                human((*bytes as f64 / elapsed.as_secs_f64().max(0.001)) as u64),
                if *retries == 1 { "y" } else { "ies" }
            ),
            Outcome::Cancelled { at_bytes } => {
                println!("  {name:<12} cancelled at {} of {}", human(*at_bytes), human(total))
            }
        }
    }
}
