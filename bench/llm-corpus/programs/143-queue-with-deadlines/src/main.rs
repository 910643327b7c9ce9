use std::fmt;

#[derive(Debug, Clone)]
struct Job {
    id: u32,
    name: &'static str,
    arrival: u32,
    duration: u32,
    deadline: u32,
    remaining: u32,
    start: Option<u32>,
    finish: Option<u32>,
}

impl Job {
    fn new(id: u32, name: &'static str, arrival: u32, duration: u32, deadline: u32) -> Self {
        Job { id, name, arrival, duration, deadline, remaining: duration, start: None, finish: None }
    }

    fn lateness(&self) -> Option<u32> {
        self.finish.map(|f| f.saturating_sub(self.deadline))
    }

    fn symbol(&self) -> char {
        (b'A' + (self.id % 26) as u8) as char
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Policy {
    EarliestDeadlineFirst,
    FirstInFirstOut,
    ShortestJobFirst,
}

impl fmt::Display for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            Policy::EarliestDeadlineFirst => "EDF",
            Policy::FirstInFirstOut => "FIFO",
            Policy::ShortestJobFirst => "SJF",
        };
        f.pad(s)
    }
}

struct Scheduler {
    policy: Policy,
    preemptive: bool,
    jobs: Vec<Job>,
    timeline: Vec<Option<usize>>,
    time: u32,
    // Statistics derived from `jobs` and `timeline` by `refresh_stats`.
    completed: usize,
    met: usize,
    missed: usize,
    total_lateness: u64,
    max_lateness: u32,
    worst_job: Option<&'static str>,
    mean_response: f64,
    utilization: f64,
    context_switches: u32,
}

impl Scheduler {
    fn new(policy: Policy, preemptive: bool, jobs: Vec<Job>) -> Self {
        Scheduler {
            policy,
            preemptive,
            jobs,
            timeline: Vec::new(),
            time: 0,
            completed: 0,
            met: 0,
            missed: 0,
            total_lateness: 0,
            max_lateness: 0,
            worst_job: None,
            mean_response: 0.0,
            utilization: 0.0,
            context_switches: 0,
        }
    }

    fn key(&self, i: usize) -> (u32, u32, u32) {
        let j = &self.jobs[i];
        match self.policy {
            Policy::EarliestDeadlineFirst => (j.deadline, j.arrival, j.id),
            Policy::FirstInFirstOut => (j.arrival, j.id, 0),
            Policy::ShortestJobFirst => (j.remaining, j.deadline, j.id),
        }
    }

    fn pick(&self, current: Option<usize>) -> Option<usize> {
        if !self.preemptive {
            if let Some(c) = current.filter(|&c| self.jobs[c].remaining > 0) {
                return Some(c);
            }
        }
        (0..self.jobs.len())
            .filter(|&i| self.jobs[i].arrival <= self.time && self.jobs[i].remaining > 0)
            .min_by_key(|&i| self.key(i))
    }

    fn run(&mut self) {
        let mut current: Option<usize> = None;
        while self.jobs.iter().any(|j| j.remaining > 0) {
            let chosen = self.pick(current);
            if let Some(i) = chosen {
                let now = self.time;
                let job = &mut self.jobs[i];
                job.start.get_or_insert(now);
                job.remaining -= 1;
                if job.remaining == 0 {
                    job.finish = Some(now + 1);
                }
            }
            self.timeline.push(chosen);
            if chosen.is_some() {
                current = chosen;
            }
            self.time += 1;
        }
        self.refresh_stats();
    }

    fn refresh_stats(&mut self) {
        self.completed = 0;
        self.met = 0;
        self.missed = 0;
        self.total_lateness = 0;
        self.max_lateness = 0;
        self.worst_job = None;
        let mut response_sum = 0u64;
        for job in &self.jobs {
            let Some(finish) = job.finish else { continue };
            self.completed += 1;
            response_sum += (finish - job.arrival) as u64;
            let late = job.lateness().unwrap_or(0);
            if late == 0 {
                self.met += 1;
            } else {
                self.missed += 1;
                self.total_lateness += late as u64;
                if late > self.max_lateness {
                    self.max_lateness = late;
                    self.worst_job = Some(job.name);
                }
            }
        }
        self.mean_response = if self.completed == 0 { 0.0 } else { response_sum as f64 / self.completed as f64 };
        let busy = self.timeline.iter().filter(|t| t.is_some()).count();
        self.utilization = if self.timeline.is_empty() { 0.0 } else { busy as f64 / self.timeline.len() as f64 };
        self.context_switches = 0;
        let mut last: Option<usize> = None;
        for slot in self.timeline.iter().flatten() {
            if last.map_or(false, |l| l != *slot) {
                self.context_switches += 1;
            }
            last = Some(*slot);
        }
    }

    fn gantt(&self) -> String {
        self.timeline.iter().map(|slot| slot.map(|i| self.jobs[i].symbol()).unwrap_or('.')).collect()
    }

    fn report(&self) {
        println!("\n== {} ({}) ==", self.policy, if self.preemptive { "preemptive" } else { "non-preemptive" });
        let ruler: String = (0..self.timeline.len()).map(|t| if t % 5 == 0 { '|' } else { ' ' }).collect();
        println!("  time  {ruler}");
        println!("  run   {}", self.gantt());
        println!("  {:<3} {:<12} {:>4} {:>4} {:>8} {:>6} {:>6} {:>5}", "id", "job", "arr", "dur", "deadline", "start", "finish", "late");
        for j in &self.jobs {
            let late = j.lateness().unwrap_or(0);
            println!(
                "  {:<3} {:<12} {:>4} {:>4} {:>8} {:>6} {:>6} {:>5}{}",
                j.symbol(),
                j.name,
                j.arrival,
                j.duration,
                j.deadline,
                j.start.map_or("-".into(), |s| s.to_string()),
                j.finish.map_or("-".into(), |f| f.to_string()),
                late,
                if late > 0 { "  MISSED" } else { "" }
            );
        }
        println!(
            "  met {}/{} | missed {} | total lateness {} | max lateness {} ({}) | mean response {:.1} | utilization {:.0}% | switches {}",
            self.met,
            self.completed,
            self.missed,
            self.total_lateness,
            self.max_lateness,
            self.worst_job.unwrap_or("-"),
            self.mean_response,
            self.utilization * 100.0,
            self.context_switches
        );
    }
}

fn workload() -> Vec<Job> {
    vec![
        Job::new(0, "backup", 0, 8, 30),
        Job::new(1, "report", 1, 4, 9),
        Job::new(2, "email", 2, 1, 4),
        Job::new(3, "invoice", 3, 3, 12),
        Job::new(4, "thumbnail", 6, 2, 10),
        Job::new(5, "index", 8, 5, 22),
        Job::new(6, "alert", 12, 1, 14),
        Job::new(7, "sync", 14, 4, 21),
        Job::new(8, "cleanup", 20, 3, 26),
        Job::new(9, "payroll", 22, 4, 28),
    ]
}

fn main() {
    let jobs = workload();
    let demand: u32 = jobs.iter().map(|j| j.duration).sum();
    let horizon = jobs.iter().map(|j| j.deadline).max().unwrap_or(0);
    println!("{} jobs, total work {demand} units, last deadline at t={horizon}", jobs.len());

    let configs = [
        (Policy::EarliestDeadlineFirst, true),
        (Policy::EarliestDeadlineFirst, false),
        (Policy::FirstInFirstOut, false),
        (Policy::ShortestJobFirst, true),
    ];
    let mut summary = Vec::new();
    for (policy, preemptive) in configs {
        let mut s = Scheduler::new(policy, preemptive, jobs.clone());
        s.run();
        s.report();
        summary.push((format!("{policy}{}", if preemptive { " (preemptive)" } else { "" }), s.missed, s.total_lateness, s.mean_response));
    }

    println!("\n{:<22} {:>7} {:>14} {:>14}", "policy", "missed", "total lateness", "mean response");
    for (name, missed, lateness, response) in &summary {
        println!("{name:<22} {missed:>7} {lateness:>14} {response:>14.1}");
    }
    if let Some(best) = summary.iter().min_by_key(|(_, missed, lateness, _)| (*missed, *lateness)) {
        println!("\nFewest missed deadlines: {}", best.0);
    }
}
