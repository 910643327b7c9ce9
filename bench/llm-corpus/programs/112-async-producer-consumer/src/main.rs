//! async-producer-consumer: producers and consumers over a bounded tokio
//! mpsc channel. Backpressure is observed when the channel is full, a
//! shutdown signal stops producers, and consumers drain what is left.
//! Event handlers are closures registered at run time; they are called with
//! mutable access to the shared statistics.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, watch};
use tokio::time::{sleep, Instant};

#[derive(Debug, Clone)]
enum Event {
    Produced { producer: usize, item: u64 },
    Backpressure { producer: usize, waited: Duration },
    Consumed { consumer: usize, item: u64, latency: Duration },
    ProducerStopped { producer: usize, sent: u64 },
    ConsumerStopped { consumer: usize, handled: u64 },
    ShutdownRequested,
}

#[derive(Debug, Default)]
struct Stats {
    produced: u64,
    consumed: u64,
    backpressure_events: u64,
    backpressure_time: Duration,
    max_latency: Duration,
    per_consumer: BTreeMap<usize, u64>,
    per_producer: BTreeMap<usize, u64>,
    checksum_in: u64,
    checksum_out: u64,
    log: Vec<String>,
}

type Handler = Box<dyn FnMut(&Event, &mut Stats) + Send>;

/// Registered handlers plus the state they mutate, behind one lock.
#[derive(Default)]
struct Dispatcher {
    handlers: Vec<(&'static str, Handler)>,
    stats: Stats,
}

impl Dispatcher {
    fn on(&mut self, name: &'static str, handler: impl FnMut(&Event, &mut Stats) + Send + 'static) {
        self.handlers.push((name, Box::new(handler)));
    }

    fn dispatch(&mut self, event: &Event) {
        let Dispatcher { handlers, stats } = self;
        for (_, h) in handlers.iter_mut() {
            h(event, stats);
        }
    }
}

#[derive(Clone)]
struct Bus(Arc<Mutex<Dispatcher>>);

impl Bus {
    fn emit(&self, event: Event) {
        self.0.lock().expect("dispatcher poisoned").dispatch(&event);
    }
}

#[derive(Debug)]
struct Job {
    id: u64,
    created: Instant,
}

async fn producer(id: usize, tx: mpsc::Sender<Job>, mut shutdown: watch::Receiver<bool>, bus: Bus) {
    let mut sent = 0u64;
    loop {
        if *shutdown.borrow() {
            break;
        }
        let job = Job { id: (id as u64) * 1_000_000 + sent, created: Instant::now() };
        let item = job.id;
        match tx.try_send(job) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(job)) => {
                // Channel full: wait for capacity (backpressure), but stop if shutdown arrives.
                let t0 = Instant::now();
                tokio::select! {
                    res = tx.send(job) => if res.is_err() { break },
                    _ = shutdown.changed() => break,
                }
                bus.emit(Event::Backpressure { producer: id, waited: t0.elapsed() });
            }
            Err(mpsc::error::TrySendError::Closed(_)) => break,
        }
        sent += 1;
        bus.emit(Event::Produced { producer: id, item });
        sleep(Duration::from_millis(2 + id as u64)).await;
    }
    bus.emit(Event::ProducerStopped { producer: id, sent });
}

async fn consumer(id: usize, rx: Arc<tokio::sync::Mutex<mpsc::Receiver<Job>>>, bus: Bus) {
    let mut handled = 0u64;
    loop {
        // Hold the receiver lock only while taking one job.
        let job = { rx.lock().await.recv().await };
        let Some(job) = job else { break };
        // Simulated work: slower than production so the buffer fills up.
        sleep(Duration::from_millis(6 + (job.id % 5))).await;
        handled += 1;
        bus.emit(Event::Consumed { consumer: id, item: job.id, latency: job.created.elapsed() });
    }
    bus.emit(Event::ConsumerStopped { consumer: id, handled });
}

#[tokio::main]
async fn main() {
    let mut dispatcher = Dispatcher::default();

    dispatcher.on("counters", |event, stats| match event {
        Event::Produced { producer, item } => {
            stats.produced += 1;
            stats.checksum_in = stats.checksum_in.wrapping_add(*item);
            *stats.per_producer.entry(*producer).or_default() += 1;
        }
        Event::Consumed { consumer, item, latency } => {
            stats.consumed += 1;
            stats.checksum_out = stats.checksum_out.wrapping_add(*item);
            stats.max_latency = stats.max_latency.max(*latency);
            *stats.per_consumer.entry(*consumer).or_default() += 1;
        }
        Event::Backpressure { waited, .. } => {
            stats.backpressure_events += 1;
            stats.backpressure_time += *waited;
        }
        _ => {}
    });

    let mut milestones = 0u64;
    dispatcher.on("milestones", move |event, stats| {
        if let Event::Consumed { .. } = event {
            if stats.consumed / 100 > milestones {
                milestones = stats.consumed / 100;
                stats.log.push(format!("{} items consumed", milestones * 100));
            }
        }
    });

    dispatcher.on("lifecycle", |event, stats| {
        let line = match event {
            Event::ProducerStopped { producer, sent } => format!("producer {producer} stopped after {sent} items"),
            Event::ConsumerStopped { consumer, handled } => format!("consumer {consumer} drained and stopped ({handled} items)"),
            Event::ShutdownRequested => "shutdown requested".to_string(),
            _ => return,
        };
        stats.log.push(line);
    });

    let names: Vec<&str> = dispatcher.handlers.iter().map(|(n, _)| *n).collect();
    println!("Registered handlers: {}", names.join(", "));

    let bus = Bus(Arc::new(Mutex::new(dispatcher)));
    let capacity = 16;
    let (tx, rx) = mpsc::channel::<Job>(capacity);
    let rx = Arc::new(tokio::sync::Mutex::new(rx));
    let (shutdown_tx, shutdown_rx) = watch::channel(false);

    let producers: Vec<_> = (0..4).map(|id| tokio::spawn(producer(id, tx.clone(), shutdown_rx.clone(), bus.clone()))).collect();
    drop(tx); // only producers hold senders now
    let consumers: Vec<_> = (0..3).map(|id| tokio::spawn(consumer(id, Arc::clone(&rx), bus.clone()))).collect();

    let started = Instant::now();
    sleep(Duration::from_millis(600)).await;
    bus.emit(Event::ShutdownRequested);
    let _ = shutdown_tx.send(true);

    for p in producers {
        p.await.expect("producer panicked");
    }
    // All senders are gone now, so consumers finish once the buffer is empty.
    for c in consumers {
        c.await.expect("consumer panicked");
    }

    let dispatcher = bus.0.lock().expect("dispatcher poisoned");
    let s = &dispatcher.stats;
    println!("\nTimeline:");
    for line in &s.log {
        println!("  {line}");
    }
    println!("\nRan for {:?} with channel capacity {capacity}", started.elapsed());
    println!("produced {} / consumed {} ({})", s.produced, s.consumed, if s.produced == s.consumed && s.checksum_in == s.checksum_out { "nothing lost" } else { "MISMATCH" });
    println!("backpressure: {} waits, {:?} total", s.backpressure_events, s.backpressure_time);
    println!("max end-to-end latency: {:?}", s.max_latency);
    println!("per producer: {:?}", s.per_producer);
    println!("per consumer: {:?}", s.per_consumer);
}
