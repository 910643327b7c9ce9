use rand::Rng;
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{Mutex, Notify};

#[derive(Debug, Clone)]
struct Job {
    id: u32,
    priority: u8,
    name: String,
    attempts: u32,
    work_ms: u64,
    fail_rate: f64,
}

// Ordering for the max-heap: higher priority first, then lower id (FIFO-ish).
impl PartialEq for Job {
    fn eq(&self, other: &Self) -> bool {
        self.priority == other.priority && self.id == other.id
    }
}
impl Eq for Job {}
impl PartialOrd for Job {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Job {
    fn cmp(&self, other: &Self) -> Ordering {
        self.priority.cmp(&other.priority).then_with(|| other.id.cmp(&self.id))
    }
}

#[derive(Debug)]
enum Outcome {
    Succeeded { id: u32, name: String, attempts: u32, worker: usize },
    Failed { id: u32, name: String, attempts: u32, last_error: String },
}

struct Queue {
    heap: Mutex<BinaryHeap<Job>>,
    notify: Notify,
    pending: Mutex<usize>, // jobs not yet finally resolved
}

const MAX_ATTEMPTS: u32 = 3;

async fn run_job(job: &Job) -> Result<(), String> {
    tokio::time::sleep(Duration::from_millis(job.work_ms)).await;
    let roll: f64 = rand::thread_rng().gen();
    if roll < job.fail_rate {
        Err(format!("transient failure (roll {:.2})", roll))
    } else {
        Ok(())
    }
}

async fn worker(id: usize, queue: Arc<Queue>, results: Arc<Mutex<Vec<Outcome>>>) {
    loop {
        let next = { queue.heap.lock().await.pop() };
        let mut job = match next {
            Some(j) => j,
            None => {
                if *queue.pending.lock().await == 0 {
                    break;
                }
                // Wait for a retry to be queued (or a short timeout to re-check).
                let _ = tokio::time::timeout(Duration::from_millis(50), queue.notify.notified()).await;
                continue;
            }
        };
        job.attempts += 1;
        println!("[worker {}] start job {:>2} '{}' (prio {}, attempt {})", id, job.id, job.name, job.priority, job.attempts);
        match run_job(&job).await {
            Ok(()) => {
                println!("[worker {}] job {:>2} done", id, job.id);
                results.lock().await.push(Outcome::Succeeded { id: job.id, name: job.name.clone(), attempts: job.attempts, worker: id });
                *queue.pending.lock().await -= 1;
            }
            Err(e) if job.attempts < MAX_ATTEMPTS => {
                println!("[worker {}] job {:>2} failed: {} -> retrying", id, job.id, e);
                let backoff = 20 * 2u64.pow(job.attempts);
                tokio::time::sleep(Duration::from_millis(backoff)).await;
                queue.heap.lock().await.push(job);
                queue.notify.notify_one();
            }
            Err(e) => {
                println!("[worker {}] job {:>2} failed permanently: {}", id, job.id, e);
                results.lock().await.push(Outcome::Failed { id: job.id, name: job.name.clone(), attempts: job.attempts, last_error: e });
                *queue.pending.lock().await -= 1;
            }
        }
    }
    println!("[worker {}] exiting", id);
}

#[tokio::main]
async fn main() {
    let names = ["resize-image", "send-email", "build-report", "sync-crm", "charge-card", "index-docs", "backup-db", "notify-slack"];
    let mut rng = rand::thread_rng();
    let mut heap = BinaryHeap::new();
    for id in 1..=16u32 {
        let name = names[rng.gen_range(0..names.len())].to_string();
        heap.push(Job {
            id,
            priority: rng.gen_range(1..=5),
            name,
            attempts: 0,
            work_ms: rng.gen_range(20..120),
            fail_rate: if id % 5 == 0 { 0.8 } else { 0.25 },
        });
    }
    let total = heap.len();
    let queue = Arc::new(Queue { heap: Mutex::new(heap), notify: Notify::new(), pending: Mutex::new(total) });
    let results = Arc::new(Mutex::new(Vec::new()));

    let started = Instant::now();
    let workers = 4;
    let handles: Vec<_> = (1..=workers)
        .map(|w| tokio::spawn(worker(w, Arc::clone(&queue), Arc::clone(&results))))
        .collect();
    for h in handles {
        if let Err(e) = h.await {
            eprintln!("worker panicked: {}", e);
        }
    }

    let results = results.lock().await;
    let mut ok: Vec<_> = results.iter().filter_map(|o| match o {
        Outcome::Succeeded { id, name, attempts, worker } => Some((*id, name.as_str(), *attempts, *worker)),
        _ => None,
    }).collect();
    ok.sort();
    let failed: Vec<_> = results.iter().filter(|o| matches!(o, Outcome::Failed { .. })).collect();

    println!("\n=== Summary ({} jobs, {} workers, {:.2}s) ===", total, workers, started.elapsed().as_secs_f64());
    println!("Succeeded: {}", ok.len());
    for (id, name, attempts, worker) in &ok {
        println!("  job {:>2} {:<14} attempts {} (worker {})", id, name, attempts, worker);
    }
    println!("Failed: {}", failed.len());
    for f in failed {
        if let Outcome::Failed { id, name, attempts, last_error } = f {
            println!("  job {:>2} {:<14} after {} attempts: {}", id, name, attempts, last_error);
        }
    }
    let retries: u32 = results.iter().map(|o| match o {
        Outcome::Succeeded { attempts, .. } | Outcome::Failed { attempts, .. } => attempts - 1,
    }).sum();
    println!("Total retries: {}", retries);
}
