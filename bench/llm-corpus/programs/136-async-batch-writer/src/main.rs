use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::{sleep_until, Instant};

#[derive(Debug, Clone)]
struct Record {
    id: u64,
    source: &'static str,
    payload: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum FlushReason {
    Full,
    Timeout,
    Shutdown,
}

struct FlushEvent<'a> {
    batch_no: u64,
    reason: FlushReason,
    records: &'a [Record],
    waited: Duration,
    started: Instant,
}

#[derive(Debug, Default)]
struct WriterState {
    batches: u64,
    records_written: u64,
    by_reason: HashMap<FlushReason, u64>,
    largest_batch: usize,
    longest_wait: Duration,
    per_source: BTreeMap<&'static str, u64>,
    storage: Vec<Vec<u64>>,
    bytes: usize,
}

type Handler = Box<dyn FnMut(&FlushEvent<'_>, &mut WriterState) + Send>;

struct BatchWriter {
    max_batch: usize,
    max_wait: Duration,
    buffer: Vec<Record>,
    first_at: Option<Instant>,
    handlers: Vec<Handler>,
    state: WriterState,
    started: Instant,
}

async fn wait_for(deadline: Option<Instant>) {
    match deadline {
        Some(d) => sleep_until(d).await,
        None => std::future::pending::<()>().await,
    }
}

impl BatchWriter {
    fn new(max_batch: usize, max_wait: Duration) -> Self {
        BatchWriter {
            max_batch,
            max_wait,
            buffer: Vec::with_capacity(max_batch),
            first_at: None,
            handlers: Vec::new(),
            state: WriterState::default(),
            started: Instant::now(),
        }
    }

    fn on_flush<F>(&mut self, handler: F) -> &mut Self
    where
        F: FnMut(&FlushEvent<'_>, &mut WriterState) + Send + 'static,
    {
        self.handlers.push(Box::new(handler));
        self
    }

    async fn flush(&mut self, reason: FlushReason) {
        if self.buffer.is_empty() {
            return;
        }
        let records = std::mem::take(&mut self.buffer);
        let waited = self.first_at.take().map(|t| t.elapsed()).unwrap_or_default();
        // Simulated write to slow storage.
        tokio::time::sleep(Duration::from_millis(3 + records.len() as u64)).await;
        self.state.batches += 1;
        let event = FlushEvent { batch_no: self.state.batches, reason, records: &records, waited, started: self.started };
        for handler in self.handlers.iter_mut() {
            handler(&event, &mut self.state);
        }
    }

    async fn run(mut self, mut rx: mpsc::Receiver<Record>) -> WriterState {
        loop {
            let deadline = self.first_at.map(|t| t + self.max_wait);
            tokio::select! {
                maybe = rx.recv() => match maybe {
                    Some(record) => {
                        if self.buffer.is_empty() {
                            self.first_at = Some(Instant::now());
                        }
                        self.buffer.push(record);
                        if self.buffer.len() >= self.max_batch {
                            self.flush(FlushReason::Full).await;
                        }
                    }
                    None => {
                        self.flush(FlushReason::Shutdown).await;
                        break;
                    }
                },
                _ = wait_for(deadline) => {
                    self.flush(FlushReason::Timeout).await;
                }
            }
        }
        self.state
    }
}

async fn producer(
    source: &'static str,
    count: usize,
    gap: Duration,
    pause_after: Option<(usize, Duration)>,
    ids: Arc<AtomicU64>,
    tx: mpsc::Sender<Record>,
) -> usize {
    let mut sent = 0;
    for i in 0..count {
        let id = ids.fetch_add(1, Ordering::SeqCst);
        let record = Record { id, source, payload: format!("{source}-event-{i}") };
        if tx.send(record).await.is_err() {
            break;
        }
        sent += 1;
        if let Some((after, pause)) = pause_after {
            if i + 1 == after {
                tokio::time::sleep(pause).await;
                continue;
            }
        }
        tokio::time::sleep(gap).await;
    }
    sent
}

#[tokio::main]
async fn main() {
    let mut writer = BatchWriter::new(10, Duration::from_millis(50));
    writer
        .on_flush(|ev, state| {
            state.records_written += ev.records.len() as u64;
            *state.by_reason.entry(ev.reason).or_insert(0) += 1;
            state.largest_batch = state.largest_batch.max(ev.records.len());
            state.longest_wait = state.longest_wait.max(ev.waited);
            for r in ev.records {
                *state.per_source.entry(r.source).or_insert(0) += 1;
                state.bytes += r.payload.len();
            }
        })
        .on_flush(|ev, state| {
            state.storage.push(ev.records.iter().map(|r| r.id).collect());
        })
        .on_flush(|ev, _state| {
            println!(
                "[{:>4}ms] batch {:>2}: {:>2} records ({:?}, oldest waited {}ms)",
                ev.started.elapsed().as_millis(),
                ev.batch_no,
                ev.records.len(),
                ev.reason,
                ev.waited.as_millis()
            );
        });

    let mut timeouts_in_a_row = 0u32;
    writer.on_flush(move |ev, _state| {
        if ev.reason == FlushReason::Timeout {
            timeouts_in_a_row += 1;
            if timeouts_in_a_row == 3 {
                println!("         note: 3 timeout flushes in a row - traffic is light, consider a longer max_wait");
            }
        } else {
            timeouts_in_a_row = 0;
        }
    });

    let (tx, rx) = mpsc::channel::<Record>(64);
    let writer_task = tokio::spawn(writer.run(rx));
    let ids = Arc::new(AtomicU64::new(0));

    let producers = vec![
        tokio::spawn(producer("sensor", 25, Duration::from_millis(2), None, Arc::clone(&ids), tx.clone())),
        tokio::spawn(producer("audit", 6, Duration::from_millis(70), None, Arc::clone(&ids), tx.clone())),
        tokio::spawn(producer(
            "billing",
            14,
            Duration::from_millis(4),
            Some((7, Duration::from_millis(180))),
            Arc::clone(&ids),
            tx.clone(),
        )),
    ];
    drop(tx);

    let mut sent_total = 0;
    for p in producers {
        sent_total += p.await.expect("producer panicked");
    }
    let state = writer_task.await.expect("writer panicked");

    println!("\n== Summary ==");
    println!("sent {sent_total} records, wrote {} in {} batches ({} payload bytes)", state.records_written, state.batches, state.bytes);
    let mut reasons: Vec<_> = state.by_reason.iter().collect();
    reasons.sort();
    for (reason, n) in reasons {
        println!("  {reason:?}: {n} batch(es)");
    }
    println!("largest batch {}, longest wait {}ms", state.largest_batch, state.longest_wait.as_millis());
    for (source, n) in &state.per_source {
        println!("  {source:<8} {n}");
    }

    let mut written: Vec<u64> = state.storage.iter().flatten().copied().collect();
    written.sort_unstable();
    let expected: Vec<u64> = (0..sent_total as u64).collect();
    println!("every record written exactly once: {}", written == expected);
}
