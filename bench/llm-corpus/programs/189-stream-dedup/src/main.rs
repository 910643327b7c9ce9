//! Stream deduplication by event id within a time window, tolerant of
//! out-of-order arrival.
//!
//! Two pipelines are compared:
//! * a batch pass built from itertools `sorted_by` / `group_by` / `fold`, and
//! * a streaming pass: a watermark-based reorder buffer (`reorder`) followed by
//!   a `scan`-based dedup (`dedup_stream`), both returning `impl Iterator`.
//!
//! An event is a duplicate when an event with the same id was already kept and
//! its event time lies at most `window` after that kept event.

use chrono::{DateTime, Duration, TimeZone, Utc};
use itertools::Itertools;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

#[derive(Debug, Clone, PartialEq)]
struct Event {
    id: String,
    ts: DateTime<Utc>,
    arrival: DateTime<Utc>,
    seq: usize,
    payload: String,
}

#[derive(Debug)]
enum Released {
    InOrder(Event),
    Late(Event),
}

fn hms(t: DateTime<Utc>) -> String {
    t.format("%H:%M:%S").to_string()
}

/// Generates events with retries (duplicates), network delays and a few
/// very late stragglers, returned in arrival order.
fn generate(rng: &mut StdRng) -> Vec<Event> {
    let base = Utc.with_ymd_and_hms(2024, 5, 1, 9, 0, 0).unwrap();
    let mut events = Vec::new();
    for n in 0..40i64 {
        let id = format!("order-{:02}", rng.gen_range(0..14));
        let ts = base + Duration::seconds(n * 20 + rng.gen_range(0..10));
        let delay = if rng.gen_bool(0.06) { rng.gen_range(150..240) } else { rng.gen_range(0..45) };
        events.push(Event {
            id: id.clone(),
            ts,
            arrival: ts + Duration::seconds(delay),
            seq: 0,
            payload: format!("payload #{n}"),
        });
        if rng.gen_bool(0.35) {
            let retry_ts = ts + Duration::seconds(rng.gen_range(0..8));
            events.push(Event {
                id,
                ts: retry_ts,
                arrival: retry_ts + Duration::seconds(rng.gen_range(0..45)),
                seq: 0,
                payload: format!("payload #{n} (retry)"),
            });
        }
    }
    events.sort_by_key(|e| e.arrival);
    for (i, e) in events.iter_mut().enumerate() {
        e.seq = i;
    }
    events
}

/// How many events arrived with an event time older than something seen before.
fn out_of_order_count(events: &[Event]) -> usize {
    events
        .iter()
        .fold((None::<DateTime<Utc>>, 0usize), |(max_seen, count), e| {
            let late = max_seen.map_or(false, |m| e.ts < m);
            (Some(max_seen.map_or(e.ts, |m| m.max(e.ts))), count + usize::from(late))
        })
        .1
}

/// Batch dedup: sort by (id, time), group by id, fold each group keeping only
/// events outside the window of the last kept one, then sort by time.
fn dedup_batch(events: &[Event], window: Duration) -> impl Iterator<Item = Event> {
    let grouped = events
        .iter()
        .cloned()
        .sorted_by(|a, b| a.id.cmp(&b.id).then(a.ts.cmp(&b.ts)).then(a.seq.cmp(&b.seq)))
        .group_by(|e| e.id.clone());
    let mut kept = Vec::new();
    for (_, group) in &grouped {
        let survivors = group.fold(Vec::<Event>::new(), |mut acc, e| {
            let duplicate = acc.last().map_or(false, |last: &Event| e.ts - last.ts <= window);
            if !duplicate {
                acc.push(e);
            }
            acc
        });
        kept.extend(survivors);
    }
    kept.into_iter().sorted_by(|a, b| a.ts.cmp(&b.ts).then_with(|| a.seq.cmp(&b.seq)))
}

/// Reorder buffer: holds events until the watermark (max event time seen minus
/// `lateness`) passes them; events older than the watermark are reported late.
fn reorder(arrivals: impl Iterator<Item = Event>, lateness: Duration) -> impl Iterator<Item = Released> {
    let mut input = arrivals.fuse();
    let mut buffer: BTreeMap<(DateTime<Utc>, usize), Event> = BTreeMap::new();
    let mut max_seen: Option<DateTime<Utc>> = None;
    let mut pending: VecDeque<Released> = VecDeque::new();
    std::iter::from_fn(move || loop {
        if let Some(out) = pending.pop_front() {
            return Some(out);
        }
        match input.next() {
            Some(ev) => {
                if let Some(m) = max_seen {
                    if ev.ts < m - lateness {
                        pending.push_back(Released::Late(ev));
                        continue;
                    }
                }
                let newest = max_seen.map_or(ev.ts, |m| m.max(ev.ts));
                max_seen = Some(newest);
                buffer.insert((ev.ts, ev.seq), ev);
                let watermark = newest - lateness;
                loop {
                    let ready = buffer.first_key_value().map_or(false, |((ts, _), _)| *ts <= watermark);
                    if !ready {
                        break;
                    }
                    if let Some((_, e)) = buffer.pop_first() {
                        pending.push_back(Released::InOrder(e));
                    }
                }
            }
            None => return buffer.pop_first().map(|(_, e)| Released::InOrder(e)),
        }
    })
}

/// Streaming dedup over an event-time ordered stream.
fn dedup_stream(ordered: impl Iterator<Item = Event>, window: Duration) -> impl Iterator<Item = Event> {
    ordered
        .scan(HashMap::<String, DateTime<Utc>>::new(), move |last_kept, ev| {
            let duplicate = last_kept.get(&ev.id).map_or(false, |&t| ev.ts - t <= window);
            if !duplicate {
                last_kept.insert(ev.id.clone(), ev.ts);
            }
            Some(if duplicate { None } else { Some(ev) })
        })
        .flatten()
}

fn id_counts<'a>(events: impl Iterator<Item = &'a Event>) -> impl Iterator<Item = (&'a str, usize)> {
    events.map(|e| e.id.as_str()).sorted().dedup_with_count().map(|(n, id)| (id, n))
}

fn main() {
    let mut rng = StdRng::seed_from_u64(42);
    let window = Duration::seconds(60);
    let lateness = Duration::seconds(90);
    let arrivals = generate(&mut rng);

    println!(
        "{} events received, {} arrived out of event-time order",
        arrivals.len(),
        out_of_order_count(&arrivals)
    );
    println!("dedup window = {}s, allowed lateness = {}s\n", window.num_seconds(), lateness.num_seconds());
    println!("first 15 arrivals:");
    for e in arrivals.iter().take(15) {
        println!(
            "  #{:<3} arrived {}  event-time {}  {:<9} {}",
            e.seq,
            hms(e.arrival),
            hms(e.ts),
            e.id,
            e.payload
        );
    }

    let (on_time, late) = reorder(arrivals.iter().cloned(), lateness).fold(
        (Vec::new(), Vec::new()),
        |(mut ok, mut late), r| {
            match r {
                Released::InOrder(e) => ok.push(e),
                Released::Late(e) => late.push(e),
            }
            (ok, late)
        },
    );
    let sorted_ok = on_time.iter().tuple_windows().all(|(a, b)| a.ts <= b.ts);
    println!(
        "\nreorder buffer released {} events (event-time ordered: {}), dropped {} as too late",
        on_time.len(),
        sorted_ok,
        late.len()
    );
    for e in &late {
        println!(
            "  dropped #{} {} event-time {} arrived {} ({}s after the event)",
            e.seq,
            e.id,
            hms(e.ts),
            hms(e.arrival),
            (e.arrival - e.ts).num_seconds()
        );
    }

    let streamed: Vec<Event> = dedup_stream(on_time.clone().into_iter(), window).collect();
    let late_seqs: HashSet<usize> = late.iter().map(|e| e.seq).collect();
    let comparable: Vec<Event> = arrivals.iter().filter(|e| !late_seqs.contains(&e.seq)).cloned().collect();
    let batch: Vec<Event> = dedup_batch(&comparable, window).collect();
    let batch_all: Vec<Event> = dedup_batch(&arrivals, window).collect();

    let streamed_seqs: Vec<usize> = streamed.iter().map(|e| e.seq).sorted().collect();
    let batch_seqs: Vec<usize> = batch.iter().map(|e| e.seq).sorted().collect();
    println!(
        "\nstreaming dedup kept {} events, batch dedup on the same input kept {} -> {}",
        streamed.len(),
        batch.len(),
        if streamed_seqs == batch_seqs { "MATCH" } else { "MISMATCH" }
    );
    println!("batch dedup including the late events would keep {}", batch_all.len());

    let kept: HashSet<usize> = streamed.iter().map(|e| e.seq).collect();
    println!("\nsuppressed duplicates:");
    for e in on_time.iter().filter(|e| !kept.contains(&e.seq)) {
        let original = streamed
            .iter()
            .filter(|k| k.id == e.id && k.ts <= e.ts)
            .max_by_key(|k| k.ts)
            .map(|k| format!("#{} at {}", k.seq, hms(k.ts)))
            .unwrap_or_else(|| "?".to_string());
        println!("  #{:<3} {} at {} ({}) duplicates {}", e.seq, e.id, hms(e.ts), e.payload, original);
    }

    let kept_counts: HashMap<&str, usize> = id_counts(streamed.iter()).collect();
    let summary = id_counts(arrivals.iter())
        .map(|(id, n)| {
            let k = kept_counts.get(id).copied().unwrap_or(0);
            format!("  {id:<9} received {n:>2}, kept {k:>2}, removed {:>2}", n - k)
        })
        .join("\n");
    println!("\nper-id summary:\n{summary}");

    println!("\nkept events in event-time order:");
    for chunk in &streamed.iter().chunks(4) {
        println!("  {}", chunk.map(|e| format!("{}@{}", e.id, hms(e.ts))).join("  "));
    }
}
