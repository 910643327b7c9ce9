//! Cron-like async job scheduler.
//!
//! Jobs are registered with an `@every <duration> [after <duration>]` spec, a
//! per-run timeout and an optional run limit. The scheduler shards the jobs
//! over several OS threads with `std::thread::scope`; each thread drives its
//! shard on its own single-threaded tokio runtime using `tokio::time::interval`.
//! Every run is reported over a `std::sync::mpsc` channel and the records are
//! merged into one timeline and a per-job summary at the end.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::{Duration, Instant};
use tokio::time::MissedTickBehavior;

type JobFuture = Pin<Box<dyn Future<Output = Result<String, String>> + Send>>;
type JobFn = Arc<dyn Fn(u32) -> JobFuture + Send + Sync>;

#[derive(Debug, Clone, Copy)]
struct Schedule {
    every: Duration,
    initial_delay: Duration,
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if let Some(ms) = text.strip_suffix("ms") {
        return ms.trim().parse::<u64>().map(Duration::from_millis).map_err(|_| format!("bad duration '{text}'"));
    }
    if let Some(s) = text.strip_suffix('s') {
        return s.trim().parse::<u64>().map(Duration::from_secs).map_err(|_| format!("bad duration '{text}'"));
    }
    Err(format!("duration '{text}' needs a unit (ms or s)"))
}

fn parse_schedule(spec: &str) -> Result<Schedule, String> {
    let rest = spec
        .strip_prefix("@every ")
        .ok_or_else(|| format!("unsupported schedule '{spec}' (expected '@every <dur> [after <dur>]')"))?;
    let (every, initial_delay) = match rest.split_once(" after ") {
        Some((e, d)) => (parse_duration(e)?, parse_duration(d)?),
        None => (parse_duration(rest)?, Duration::ZERO),
    };
    if every.is_zero() {
        return Err(format!("interval in '{spec}' must be positive"));
    }
    Ok(Schedule { every, initial_delay })
}

#[derive(Clone)]
struct Job {
    name: String,
    spec: String,
    schedule: Schedule,
    timeout: Duration,
    max_runs: Option<u32>,
    run: JobFn,
}

#[derive(Debug, Clone)]
enum Outcome {
    Success(String),
    Failure(String),
    TimedOut(Duration),
}

#[derive(Debug, Clone)]
struct RunRecord {
    job: String,
    worker: usize,
    run: u32,
    started_ms: u64,
    duration_ms: u64,
    outcome: Outcome,
}

struct Scheduler {
    jobs: Vec<Job>,
    workers: usize,
}

impl Scheduler {
    fn new(workers: usize) -> Self {
        Scheduler { jobs: Vec::new(), workers: workers.max(1) }
    }

    fn register<F, Fut>(&mut self, name: &str, spec: &str, timeout: Duration, max_runs: Option<u32>, f: F) -> Result<(), String>
    where
        F: Fn(u32) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<String, String>> + Send + 'static,
    {
        let schedule = parse_schedule(spec).map_err(|e| format!("job '{name}': {e}"))?;
        if self.jobs.iter().any(|j| j.name == name) {
            return Err(format!("job '{name}' is already registered"));
        }
        let run: JobFn = Arc::new(move |n: u32| Box::pin(f(n)) as JobFuture);
        self.jobs.push(Job { name: name.to_string(), spec: spec.to_string(), schedule, timeout, max_runs, run });
        Ok(())
    }

    /// Runs all jobs for `horizon`, then returns every run record, merged and
    /// sorted by start time.
    fn run_for(&self, horizon: Duration) -> Vec<RunRecord> {
        let (tx, rx) = mpsc::channel::<RunRecord>();
        let start = Instant::now();
        let shards: Vec<Vec<Job>> = (0..self.workers)
            .map(|w| {
                self.jobs
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| i % self.workers == w)
                    .map(|(_, j)| j.clone())
                    .collect()
            })
            .collect();

        thread::scope(|scope| {
            for (worker, shard) in shards.iter().enumerate() {
                if shard.is_empty() {
                    continue;
                }
                let tx = tx.clone();
                scope.spawn(move || run_shard(worker, shard, tx, start, horizon));
            }
        });
        drop(tx);

        let mut records: Vec<RunRecord> = rx.iter().collect();
        records.sort_by(|a, b| a.started_ms.cmp(&b.started_ms).then_with(|| a.job.cmp(&b.job)));
        records
    }
}

fn run_shard(worker: usize, jobs: &[Job], tx: mpsc::Sender<RunRecord>, start: Instant, horizon: Duration) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("failed to build tokio runtime");
    runtime.block_on(async {
        let handles: Vec<_> = jobs
            .iter()
            .cloned()
            .map(|job| tokio::spawn(drive_job(worker, job, tx.clone(), start, horizon)))
            .collect();
        for handle in handles {
            if let Err(e) = handle.await {
                eprintln!("worker {worker}: job task failed: {e}");
            }
        }
    });
}

async fn drive_job(worker: usize, job: Job, tx: mpsc::Sender<RunRecord>, start: Instant, horizon: Duration) {
    let deadline = tokio::time::Instant::from_std(start + horizon);
    tokio::time::sleep(job.schedule.initial_delay).await;
    let mut ticker = tokio::time::interval(job.schedule.every);
    ticker.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut run = 0u32;
    loop {
        let tick = ticker.tick().await;
        if tick >= deadline {
            break;
        }
        if job.max_runs.map_or(false, |max| run >= max) {
            break;
        }
        run += 1;
        let started = start.elapsed();
        let outcome = match tokio::time::timeout(job.timeout, (job.run)(run)).await {
            Ok(Ok(message)) => Outcome::Success(message),
            Ok(Err(error)) => Outcome::Failure(error),
            Err(_) => Outcome::TimedOut(job.timeout),
        };
        let record = RunRecord {
            job: job.name.clone(),
            worker,
            run,
            started_ms: started.as_millis() as u64,
            duration_ms: (start.elapsed() - started).as_millis() as u64,
            outcome,
        };
        if tx.send(record).is_err() {
            break;
        }
    }
}

fn summarize(records: &[RunRecord]) {
    let mut per_job: BTreeMap<&str, Vec<&RunRecord>> = BTreeMap::new();
    for r in records {
        per_job.entry(r.job.as_str()).or_default().push(r);
    }
    println!(
        "\n{:<14} {:>6} {:>4} {:>6} {:>8} {:>9} {:>9} {:>7}",
        "job", "runs", "ok", "failed", "timeout", "avg ms", "gap ms", "thread"
    );
    for (job, runs) in &per_job {
        let ok = runs.iter().filter(|r| matches!(r.outcome, Outcome::Success(_))).count();
        let failed = runs.iter().filter(|r| matches!(r.outcome, Outcome::Failure(_))).count();
        let timed_out = runs.iter().filter(|r| matches!(r.outcome, Outcome::TimedOut(_))).count();
        let avg = runs.iter().map(|r| r.duration_ms as f64).sum::<f64>() / runs.len() as f64;
        let gap = if runs.len() > 1 {
            (runs[runs.len() - 1].started_ms - runs[0].started_ms) as f64 / (runs.len() - 1) as f64
        } else {
            0.0
        };
        println!(
            "{:<14} {:>6} {:>4} {:>6} {:>8} {:>9.1} {:>9.1} {:>7}",
            job,
            runs.len(),
            ok,
            failed,
            timed_out,
            avg,
            gap,
            runs[0].worker
        );
    }
}

fn main() -> Result<(), String> {
    let mut scheduler = Scheduler::new(3);
    let cache_entries = Arc::new(AtomicU32::new(0));

    scheduler.register("heartbeat", "@every 50ms", Duration::from_millis(20), None, |n| async move {
        Ok::<String, String>(format!("beat #{n}"))
    })?;

    let entries = Arc::clone(&cache_entries);
    scheduler.register("cache-refresh", "@every 120ms", Duration::from_millis(100), None, move |n| {
        let entries = Arc::clone(&entries);
        async move {
            tokio::time::sleep(Duration::from_millis(25)).await;
            let total = entries.fetch_add(10 * n, Ordering::SeqCst) + 10 * n;
            Ok::<String, String>(format!("refreshed, {total} entries cached"))
        }
    })?;

    scheduler.register("flaky-sync", "@every 90ms", Duration::from_millis(50), None, |n| async move {
        tokio::time::sleep(Duration::from_millis(10)).await;
        if n % 3 == 0 {
            Err::<String, String>(format!("remote refused sync #{n}"))
        } else {
            Ok("synced 42 records".to_string())
        }
    })?;

    scheduler.register("slow-report", "@every 200ms after 40ms", Duration::from_millis(80), None, |n| async move {
        let work = if n == 2 { 150 } else { 60 };
        tokio::time::sleep(Duration::from_millis(work)).await;
        Ok::<String, String>(format!("report #{n} rendered in {work}ms"))
    })?;

    scheduler.register("cleanup", "@every 100ms", Duration::from_millis(30), Some(3), |n| async move {
        Ok::<String, String>(format!("removed {} temp files", n * 2))
    })?;

    for (name, spec) in [("nightly", "@daily"), ("spin", "@every 0ms"), ("heartbeat", "@every 1s"), ("odd", "@every 5 minutes")] {
        match scheduler.register(name, spec, Duration::from_millis(10), None, |_| async { Ok::<String, String>(String::new()) }) {
            Ok(()) => println!("unexpectedly accepted '{name}'"),
            Err(e) => println!("rejected registration: {e}"),
        }
    }

    println!("\nregistered jobs:");
    for job in &scheduler.jobs {
        println!(
            "  {:<14} {:<24} timeout {:>4}ms  max runs {}",
            job.name,
            job.spec,
            job.timeout.as_millis(),
            job.max_runs.map_or("unlimited".to_string(), |m| m.to_string())
        );
    }

    let horizon = Duration::from_millis(650);
    println!("\nrunning for {} ms on {} threads...", horizon.as_millis(), scheduler.workers);
    let records = scheduler.run_for(horizon);

    println!("\nmerged timeline (first 25 of {} runs):", records.len());
    for r in records.iter().take(25) {
        let outcome = match &r.outcome {
            Outcome::Success(m) => format!("ok: {m}"),
            Outcome::Failure(e) => format!("FAILED: {e}"),
            Outcome::TimedOut(t) => format!("TIMED OUT after {}ms", t.as_millis()),
        };
        println!(
            "  +{:>4}ms [thread {}] {:<14} #{:<2} {:>4}ms  {}",
            r.started_ms, r.worker, r.job, r.run, r.duration_ms, outcome
        );
    }

    summarize(&records);
    println!("\ncache entries counter at the end: {}", cache_entries.load(Ordering::SeqCst));
    Ok(())
}
