use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum PoolError {
    #[error("a pool needs at least one worker")]
    NoWorkers,
    #[error("queue capacity must be at least 1")]
    ZeroCapacity,
    #[error("failed to spawn worker {index}")]
    Spawn {
        index: usize,
        #[source]
        source: std::io::Error,
    },
    #[error("the pool is shut down and accepts no new jobs")]
    ShutDown,
    #[error("job {id} panicked: {message}")]
    JobPanicked { id: u64, message: String },
    #[error("the result of job {0} was lost")]
    ResultLost(u64),
    #[error("worker {0} terminated abnormally")]
    WorkerPanicked(String),
}

type Job = Box<dyn FnOnce() + Send + 'static>;

pub struct ThreadPoolBuilder {
    workers: usize,
    capacity: usize,
    name: String,
    stack_size: Option<usize>,
}

impl ThreadPoolBuilder {
    pub fn new() -> Self {
        ThreadPoolBuilder {
            workers: thread::available_parallelism().map(|n| n.get()).unwrap_or(4),
            capacity: 64,
            name: "pool".into(),
            stack_size: None,
        }
    }
    pub fn workers(mut self, n: usize) -> Self {
        self.workers = n;
        self
    }
    pub fn queue_capacity(mut self, n: usize) -> Self {
        self.capacity = n;
        self
    }
    pub fn name_prefix(mut self, name: &str) -> Self {
        self.name = name.to_string();
        self
    }
    pub fn stack_size(mut self, bytes: usize) -> Self {
        self.stack_size = Some(bytes);
        self
    }

    pub fn build(self) -> Result<ThreadPool, PoolError> {
        if self.workers == 0 {
            return Err(PoolError::NoWorkers);
        }
        if self.capacity == 0 {
            return Err(PoolError::ZeroCapacity);
        }
        let (tx, rx) = mpsc::sync_channel::<Job>(self.capacity);
        let rx = Arc::new(Mutex::new(rx));
        let mut workers = Vec::with_capacity(self.workers);
        for index in 0..self.workers {
            let name = format!("{}-{index}", self.name);
            let mut builder = thread::Builder::new().name(name.clone());
            if let Some(size) = self.stack_size {
                builder = builder.stack_size(size);
            }
            let rx = Arc::clone(&rx);
            let handle = builder
                .spawn(move || {
                    let mut done = 0usize;
                    loop {
                        let next = {
                            let guard = rx.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                            guard.recv()
                        };
                        match next {
                            Ok(job) => {
                                job();
                                done += 1;
                            }
                            Err(_) => break, // channel closed: graceful shutdown
                        }
                    }
                    done
                })
                .map_err(|source| PoolError::Spawn { index, source })?;
            workers.push((name, Some(handle)));
        }
        Ok(ThreadPool { sender: Some(tx), workers, next_id: AtomicU64::new(1) })
    }
}

pub struct JobHandle<T> {
    id: u64,
    rx: mpsc::Receiver<Result<T, String>>,
}

impl<T> JobHandle<T> {
    pub fn join(self) -> Result<T, PoolError> {
        match self.rx.recv() {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(message)) => Err(PoolError::JobPanicked { id: self.id, message }),
            Err(_) => Err(PoolError::ResultLost(self.id)),
        }
    }
}

#[derive(Debug)]
pub struct ShutdownReport {
    pub jobs_per_worker: Vec<(String, usize)>,
}

pub struct ThreadPool {
    sender: Option<mpsc::SyncSender<Job>>,
    workers: Vec<(String, Option<JoinHandle<usize>>)>,
    next_id: AtomicU64,
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic payload".into()
    }
}

impl ThreadPool {
    pub fn submit<F, T>(&self, f: F) -> Result<JobHandle<T>, PoolError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let sender = self.sender.as_ref().ok_or(PoolError::ShutDown)?;
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::channel();
        let job: Job = Box::new(move || {
            let result = panic::catch_unwind(AssertUnwindSafe(f)).map_err(panic_message);
            let _ = tx.send(result);
        });
        sender.send(job).map_err(|_| PoolError::ShutDown)?;
        Ok(JobHandle { id, rx })
    }

    /// Stop accepting jobs; queued jobs still run.
    pub fn close(&mut self) {
        self.sender.take();
    }

    pub fn shutdown(mut self) -> Result<ShutdownReport, PoolError> {
        self.close();
        let mut jobs_per_worker = Vec::new();
        for (name, handle) in self.workers.iter_mut() {
            if let Some(h) = handle.take() {
                let done = h.join().map_err(|_| PoolError::WorkerPanicked(name.clone()))?;
                jobs_per_worker.push((name.clone(), done));
            }
        }
        Ok(ShutdownReport { jobs_per_worker })
    }
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        self.sender.take();
        for (_, handle) in self.workers.iter_mut() {
            if let Some(h) = handle.take() {
                let _ = h.join();
            }
        }
    }
}

fn count_primes(lo: u64, hi: u64) -> u64 {
    (lo..hi).filter(|&n| n >= 2 && (2..).take_while(|d| d * d <= n).all(|d| n % d != 0)).count() as u64
}

/// Layer 2: fan out a computation and gather the results, propagating job failures.
fn parallel_prime_count(pool: &ThreadPool, limit: u64, chunks: u64) -> Result<u64, PoolError> {
    let step = limit.div_ceil(chunks);
    let handles = (0..chunks)
        .map(|i| {
            let (lo, hi) = (i * step, ((i + 1) * step).min(limit));
            pool.submit(move || count_primes(lo, hi))
        })
        .collect::<Result<Vec<_>, _>>()?;
    handles.into_iter().map(JobHandle::join).sum()
}

fn parallel_word_lengths(pool: &ThreadPool, words: &[&str]) -> Result<Vec<(String, usize)>, PoolError> {
    let handles = words
        .iter()
        .map(|w| {
            let w = w.to_string();
            pool.submit(move || {
                thread::sleep(Duration::from_millis(5));
                let n = w.chars().count();
                (w, n)
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    handles.into_iter().map(JobHandle::join).collect()
}

/// Layer 3: a small pipeline built from the helpers above.
fn run_pipeline(pool: &ThreadPool) -> Result<(u64, Vec<(String, usize)>), PoolError> {
    let primes = parallel_prime_count(pool, 200_000, 16)?;
    let words = parallel_word_lengths(pool, &["thread", "pool", "graceful", "shutdown", "channel"])?;
    Ok((primes, words))
}

fn main() -> Result<()> {
    match ThreadPoolBuilder::new().workers(0).build() {
        Err(e) => println!("builder rejected config as expected: {e}"),
        Ok(_) => println!("unexpected: zero-worker pool built"),
    }

    let mut pool = ThreadPoolBuilder::new()
        .workers(4)
        .queue_capacity(8)
        .name_prefix("calc")
        .stack_size(256 * 1024)
        .build()
        .context("creating the thread pool")?;

    let started = Instant::now();
    let (primes, words) = run_pipeline(&pool).context("running the pipeline")?;
    println!("primes below 200000: {primes} (computed in {:.0?})", started.elapsed());
    println!("word lengths: {words:?}");

    // A panicking job is reported as an error without killing its worker.
    let default_hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let bad = pool.submit(|| -> u32 { panic!("division by zero in job") })?;
    let good = pool.submit(|| 6 * 7)?;
    match bad.join() {
        Err(e) => println!("caught: {e}"),
        Ok(v) => println!("unexpected value {v}"),
    }
    panic::set_hook(default_hook);
    println!("pool still works after the panic: {}", good.join()?);

    let results: Vec<JobHandle<u64>> = (1..=6u64)
        .map(|i| pool.submit(move || {
            thread::sleep(Duration::from_millis(20 * i));
            i * i
        }))
        .collect::<Result<_, _>>()?;
    pool.close();
    match pool.submit(|| 1) {
        Err(e) => println!("after close: {e}"),
        Ok(_) => println!("unexpected: closed pool accepted a job"),
    }
    let squares: Vec<u64> = results.into_iter().map(JobHandle::join).collect::<Result<_, _>>()?;
    println!("queued jobs still finished after close: {squares:?}");

    let report = pool.shutdown().context("shutting down")?;
    println!("graceful shutdown complete:");
    for (name, done) in &report.jobs_per_worker {
        println!("  {name}: {done} job(s)");
    }
    Ok(())
}
