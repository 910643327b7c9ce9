use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Instant;

const SEGMENT: u64 = 1 << 18;

fn simple_sieve(limit: u64) -> Vec<u64> {
    let limit = limit as usize;
    let mut is_prime = vec![true; limit + 1];
    is_prime[0] = false;
    if limit >= 1 {
        is_prime[1] = false;
    }
    let mut i = 2;
    while i * i <= limit {
        if is_prime[i] {
            let mut m = i * i;
            while m <= limit {
                is_prime[m] = false;
                m += i;
            }
        }
        i += 1;
    }
    is_prime.iter().enumerate().filter(|(_, &p)| p).map(|(i, _)| i as u64).collect()
}

fn isqrt(n: u64) -> u64 {
    let mut r = (n as f64).sqrt() as u64;
    while r * r > n {
        r -= 1;
    }
    while (r + 1) * (r + 1) <= n {
        r += 1;
    }
    r
}

#[derive(Debug, Default)]
struct SegmentResult {
    lo: u64,
    count: u64,
    first: Option<u64>,
    last: Option<u64>,
    twins: u64,
    gaps: BTreeMap<u64, u64>,
    max_gap: (u64, u64),
}

/// Sieves the half-open range [lo, hi) using the base primes up to sqrt(hi).
fn sieve_segment(lo: u64, hi: u64, base: &[u64]) -> SegmentResult {
    let mut is_prime = vec![true; (hi - lo) as usize];
    for n in lo..hi.min(2) {
        is_prime[(n - lo) as usize] = false;
    }
    for &p in base {
        if p * p >= hi {
            break;
        }
        let mut m = ((lo + p - 1) / p * p).max(p * p);
        while m < hi {
            is_prime[(m - lo) as usize] = false;
            m += p;
        }
    }
    let mut result = SegmentResult { lo, ..Default::default() };
    for (offset, _) in is_prime.iter().enumerate().filter(|(_, &p)| p) {
        let n = lo + offset as u64;
        if let Some(prev) = result.last {
            let gap = n - prev;
            *result.gaps.entry(gap).or_insert(0) += 1;
            if gap == 2 {
                result.twins += 1;
            }
            if gap > result.max_gap.0 {
                result.max_gap = (gap, prev);
            }
        } else {
            result.first = Some(n);
        }
        result.last = Some(n);
        result.count += 1;
    }
    result
}

#[derive(Debug)]
struct Summary {
    limit: u64,
    primes: u64,
    twins: u64,
    gaps: BTreeMap<u64, u64>,
    max_gap: (u64, u64),
    largest: Option<u64>,
    segments: usize,
}

fn run(limit: u64, threads: usize) -> Summary {
    let base = simple_sieve(isqrt(limit) + 1);
    let total = limit + 1;
    let segments = total.div_ceil(SEGMENT) as usize;
    let next = AtomicUsize::new(0);

    let mut results: Vec<SegmentResult> = thread::scope(|scope| {
        let (tx, rx) = mpsc::channel();
        for _ in 0..threads.max(1) {
            let tx = tx.clone();
            let (base, next) = (&base, &next);
            scope.spawn(move || loop {
                let idx = next.fetch_add(1, Ordering::Relaxed);
                if idx >= segments {
                    break;
                }
                let lo = idx as u64 * SEGMENT;
                let hi = (lo + SEGMENT).min(total);
                if tx.send(sieve_segment(lo, hi, base)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        rx.iter().collect()
    });
    results.sort_by_key(|r| r.lo);

    let mut summary = Summary { limit, primes: 0, twins: 0, gaps: BTreeMap::new(), max_gap: (0, 0), largest: None, segments };
    let mut prev_last: Option<u64> = None;
    for r in results {
        summary.primes += r.count;
        summary.twins += r.twins;
        for (gap, n) in r.gaps {
            *summary.gaps.entry(gap).or_insert(0) += n;
        }
        if r.max_gap.0 > summary.max_gap.0 {
            summary.max_gap = r.max_gap;
        }
        // Stitch the boundary between the previous segment and this one.
        if let (Some(prev), Some(first)) = (prev_last, r.first) {
            let gap = first - prev;
            *summary.gaps.entry(gap).or_insert(0) += 1;
            if gap == 2 {
                summary.twins += 1;
            }
            if gap > summary.max_gap.0 {
                summary.max_gap = (gap, prev);
            }
        }
        if r.last.is_some() {
            prev_last = r.last;
            summary.largest = r.last;
        }
    }
    summary
}

fn main() {
    let limit: u64 = std::env::args().nth(1).and_then(|s| s.replace('_', "").parse().ok()).unwrap_or(100_000_000);
    let threads = thread::available_parallelism().map(|n| n.get()).unwrap_or(4);

    // Sanity checks against well-known values.
    for (n, pi, twins) in [(1_000u64, 168u64, 35u64), (1_000_000, 78_498, 8_169)] {
        let s = run(n, threads);
        assert_eq!((s.primes, s.twins), (pi, twins), "self-check failed for n = {n}");
    }
    println!("Self-checks passed (pi(10^3)=168, pi(10^6)=78498, twin pairs below 10^6 = 8169)\n");

    let started = Instant::now();
    let s = run(limit, threads);
    let elapsed = started.elapsed();

    println!("Segmented sieve up to {} using {threads} threads, {} segments of {} numbers", s.limit, s.segments, SEGMENT);
    println!("  time:              {:.3}s", elapsed.as_secs_f64());
    println!("  primes:            {}", s.primes);
    println!("  twin prime pairs:  {}", s.twins);
    if let Some(largest) = s.largest {
        println!("  largest prime:     {largest}");
    }
    let gap_count: u64 = s.gaps.values().sum();
    let gap_sum: u64 = s.gaps.iter().map(|(g, n)| g * n).sum();
    if gap_count > 0 {
        println!("  mean gap:          {:.3} (ln N = {:.3})", gap_sum as f64 / gap_count as f64, (limit as f64).ln());
        println!("  maximal gap:       {} after {} (next prime {})", s.max_gap.0, s.max_gap.1, s.max_gap.1 + s.max_gap.0);
    }

    let mut common: Vec<(u64, u64)> = s.gaps.iter().map(|(g, n)| (*g, *n)).collect();
    common.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let top = common.first().map(|c| c.1).unwrap_or(1);
    println!("\nMost common gaps:");
    for (gap, n) in common.iter().take(10) {
        let bar = "#".repeat(((*n as f64 / top as f64) * 40.0).round() as usize);
        println!("  {gap:>4} {n:>10} {:>6.2}%  {bar}", 100.0 * *n as f64 / gap_count.max(1) as f64);
    }
}
