//! process-scheduler: simulate FCFS, SJF and round-robin CPU scheduling and
//! compare average waiting / turnaround times. Each algorithm runs on its own
//! scoped thread and reports back over an mpsc channel.

use std::collections::VecDeque;
use std::fmt;
use std::sync::mpsc;
use std::thread;

#[derive(Debug, Clone)]
struct Process {
    pid: u32,
    arrival: u32,
    burst: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slice {
    pid: u32,
    start: u32,
    end: u32,
}

#[derive(Debug, Clone, Copy)]
enum Algorithm {
    Fcfs,
    Sjf,
    RoundRobin(u32),
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Algorithm::Fcfs => write!(f, "FCFS"),
            Algorithm::Sjf => write!(f, "SJF (non-preemptive)"),
            Algorithm::RoundRobin(q) => write!(f, "Round-robin (q={q})"),
        }
    }
}

#[derive(Debug)]
struct ProcessStats {
    pid: u32,
    completion: u32,
    turnaround: u32,
    waiting: u32,
}

#[derive(Debug)]
struct ScheduleResult {
    order: usize,
    algorithm: Algorithm,
    timeline: Vec<Slice>,
    stats: Vec<ProcessStats>,
    context_switches: usize,
}

impl ScheduleResult {
    fn avg_waiting(&self) -> f64 {
        self.stats.iter().map(|s| s.waiting as f64).sum::<f64>() / self.stats.len().max(1) as f64
    }

    fn avg_turnaround(&self) -> f64 {
        self.stats.iter().map(|s| s.turnaround as f64).sum::<f64>() / self.stats.len().max(1) as f64
    }

    fn gantt(&self) -> String {
        let mut bar = String::from("|");
        let mut axis = String::from("0");
        let mut last_end = 0;
        for s in &self.timeline {
            if s.start > last_end {
                let w = (s.start - last_end) as usize;
                bar.push_str(&format!("{:^w$}|", "idle", w = w.max(4)));
                axis.push_str(&format!("{:>w$}", s.start, w = w.max(4) + 1));
            }
            let w = ((s.end - s.start) as usize).max(3);
            bar.push_str(&format!("{:^w$}|", format!("P{}", s.pid), w = w));
            axis.push_str(&format!("{:>w$}", s.end, w = w + 1));
            last_end = s.end;
        }
        format!("{bar}\n{axis}")
    }
}

fn fcfs(procs: &[Process]) -> Vec<Slice> {
    let mut ps = procs.to_vec();
    ps.sort_by_key(|p| (p.arrival, p.pid));
    let mut t = 0;
    let mut out = Vec::with_capacity(ps.len());
    for p in ps {
        t = t.max(p.arrival);
        out.push(Slice { pid: p.pid, start: t, end: t + p.burst });
        t += p.burst;
    }
    out
}

fn sjf(procs: &[Process]) -> Vec<Slice> {
    let mut remaining = procs.to_vec();
    let mut t = 0;
    let mut out = Vec::with_capacity(remaining.len());
    while !remaining.is_empty() {
        let next = remaining
            .iter()
            .enumerate()
            .filter(|(_, p)| p.arrival <= t)
            .min_by_key(|(_, p)| (p.burst, p.arrival, p.pid))
            .map(|(i, _)| i);
        match next {
            Some(i) => {
                let p = remaining.remove(i);
                out.push(Slice { pid: p.pid, start: t, end: t + p.burst });
                t += p.burst;
            }
            None => {
                // CPU idle until the next arrival.
                t = remaining.iter().map(|p| p.arrival).min().unwrap_or(t);
            }
        }
    }
    out
}

fn round_robin(procs: &[Process], quantum: u32) -> Vec<Slice> {
    let mut ps = procs.to_vec();
    ps.sort_by_key(|p| (p.arrival, p.pid));
    let mut queue: VecDeque<(u32, u32)> = VecDeque::new();
    let mut next = 0;
    let mut t = 0;
    let mut out: Vec<Slice> = Vec::new();

    loop {
        while next < ps.len() && ps[next].arrival <= t {
            queue.push_back((ps[next].pid, ps[next].burst));
            next += 1;
        }
        if let Some((pid, rem)) = queue.pop_front() {
            let run = rem.min(quantum);
            // Merge consecutive slices of the same process.
            match out.last_mut() {
                Some(last) if last.pid == pid && last.end == t => last.end += run,
                _ => out.push(Slice { pid, start: t, end: t + run }),
            }
            t += run;
            // Arrivals during this slice enter the queue before the preempted process.
            while next < ps.len() && ps[next].arrival <= t {
                queue.push_back((ps[next].pid, ps[next].burst));
                next += 1;
            }
            if rem > run {
                queue.push_back((pid, rem - run));
            }
        } else if next < ps.len() {
            t = ps[next].arrival;
        } else {
            break;
        }
    }
    out
}

fn evaluate(order: usize, algorithm: Algorithm, procs: &[Process], timeline: Vec<Slice>) -> ScheduleResult {
    let mut stats: Vec<ProcessStats> = procs
        .iter()
        .map(|p| {
            let completion = timeline
                .iter()
                .filter(|s| s.pid == p.pid)
                .map(|s| s.end)
                .max()
                .unwrap_or(p.arrival);
            let turnaround = completion - p.arrival;
            ProcessStats {
                pid: p.pid,
                completion,
                turnaround,
                waiting: turnaround - p.burst,
            }
        })
        .collect();
    stats.sort_by_key(|s| s.pid);
    let context_switches = timeline.len().saturating_sub(1);
    ScheduleResult { order, algorithm, timeline, stats, context_switches }
}

fn run_algorithm(algorithm: Algorithm, procs: &[Process]) -> Vec<Slice> {
    match algorithm {
        Algorithm::Fcfs => fcfs(procs),
        Algorithm::Sjf => sjf(procs),
        Algorithm::RoundRobin(q) => round_robin(procs, q),
    }
}

fn main() {
    let procs = vec![
        Process { pid: 1, arrival: 0, burst: 8 },
        Process { pid: 2, arrival: 1, burst: 4 },
        Process { pid: 3, arrival: 2, burst: 9 },
        Process { pid: 4, arrival: 3, burst: 5 },
        Process { pid: 5, arrival: 6, burst: 2 },
        Process { pid: 6, arrival: 25, burst: 3 },
        Process { pid: 7, arrival: 26, burst: 1 },
    ];
    let algorithms = [
        Algorithm::Fcfs,
        Algorithm::Sjf,
        Algorithm::RoundRobin(2),
        Algorithm::RoundRobin(4),
    ];

    println!("Workload:");
    println!("{:>4} {:>8} {:>6}", "PID", "Arrival", "Burst");
    for p in &procs {
        println!("{:>4} {:>8} {:>6}", p.pid, p.arrival, p.burst);
    }

    let procs_ref = &procs;
    let mut results: Vec<ScheduleResult> = thread::scope(|scope| {
        let (tx, rx) = mpsc::channel::<ScheduleResult>();
        for (order, &algorithm) in algorithms.iter().enumerate() {
            let tx = tx.clone();
            scope.spawn(move || {
                let timeline = run_algorithm(algorithm, procs_ref);
                let result = evaluate(order, algorithm, procs_ref, timeline);
                tx.send(result).expect("receiver dropped");
            });
        }
        drop(tx); // so the receiver ends once every worker is done
        rx.iter().collect()
    });

    // Results arrive in completion order; restore the configured order.
    results.sort_by_key(|r| r.order);

    for r in &results {
        println!("\n=== {} ===", r.algorithm);
        println!("{}", r.gantt());
        println!("{:>4} {:>11} {:>11} {:>8}", "PID", "Completion", "Turnaround", "Waiting");
        for s in &r.stats {
            println!("{:>4} {:>11} {:>11} {:>8}", s.pid, s.completion, s.turnaround, s.waiting);
        }
    }

    println!("\n=== Comparison ===");
    println!("{:<22} {:>12} {:>15} {:>9}", "Algorithm", "Avg waiting", "Avg turnaround", "Switches");
    let mut ranked: Vec<&ScheduleResult> = results.iter().collect();
    ranked.sort_by(|a, b| a.avg_waiting().total_cmp(&b.avg_waiting()));
    for r in &ranked {
        println!(
            "{:<22} {:>12.2} {:>15.2} {:>9}",
            r.algorithm.to_string(),
            r.avg_waiting(),
            r.avg_turnaround(),
            r.context_switches
        );
    }
    if let Some(best) = ranked.first() {
        println!("\nLowest average waiting time: {} ({:.2})", best.algorithm, best.avg_waiting());
    }
}
