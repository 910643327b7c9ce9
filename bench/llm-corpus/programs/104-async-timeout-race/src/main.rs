//! async-timeout-race: run several async tasks, each racing its work against
//! a timeout and a shared cancellation signal with tokio::select!, and report
//! how each one ended and which finished first.

use anyhow::Context;
use std::collections::HashSet;
use std::fmt;
use std::time::Duration;
use thiserror::Error;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio::time::{sleep, Instant};

#[derive(Debug, Error)]
enum RaceError {
    #[error("a race needs at least one task")]
    NoTasks,
    #[error("duplicate task name '{0}'")]
    DuplicateTask(String),
    #[error("timeout must be greater than zero")]
    ZeroTimeout,
    #[error("task '{name}' failed: {reason}")]
    TaskFailed { name: String, reason: String },
    #[error("worker task crashed")]
    Join(#[from] tokio::task::JoinError),
    #[error("no task completed successfully ({0} ended otherwise)")]
    NoWinner(usize),
}

#[derive(Debug, Clone)]
struct TaskSpec {
    name: String,
    steps: u32,
    step_ms: u64,
    fail_at_step: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Finished { value: u64 },
    TimedOut,
    Cancelled { at_step: u32 },
    Failed(String),
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Finished { value } => write!(f, "finished (value {value})"),
            Outcome::TimedOut => write!(f, "timed out"),
            Outcome::Cancelled { at_step } => write!(f, "cancelled during step {at_step}"),
            Outcome::Failed(r) => write!(f, "failed: {r}"),
        }
    }
}

#[derive(Debug)]
struct TaskReport {
    name: String,
    outcome: Outcome,
    elapsed: Duration,
}

#[derive(Debug)]
struct Race {
    tasks: Vec<TaskSpec>,
    timeout: Duration,
    cancel_after: Option<Duration>,
}

#[derive(Debug, Default)]
struct RaceBuilder {
    tasks: Vec<TaskSpec>,
    timeout: Option<Duration>,
    cancel_after: Option<Duration>,
}

impl RaceBuilder {
    fn new() -> Self {
        Self::default()
    }

    fn task(mut self, name: &str, steps: u32, step_ms: u64) -> Self {
        self.tasks.push(TaskSpec { name: name.into(), steps, step_ms, fail_at_step: None });
        self
    }

    fn failing_task(mut self, name: &str, steps: u32, step_ms: u64, fail_at: u32) -> Self {
        self.tasks.push(TaskSpec { name: name.into(), steps, step_ms, fail_at_step: Some(fail_at) });
        self
    }

    fn timeout(mut self, d: Duration) -> Self {
        self.timeout = Some(d);
        self
    }

    fn cancel_after(mut self, d: Duration) -> Self {
        self.cancel_after = Some(d);
        self
    }

    fn build(self) -> Result<Race, RaceError> {
        if self.tasks.is_empty() {
            return Err(RaceError::NoTasks);
        }
        let mut seen = HashSet::new();
        for t in &self.tasks {
            if !seen.insert(t.name.as_str()) {
                return Err(RaceError::DuplicateTask(t.name.clone()));
            }
        }
        let timeout = self.timeout.unwrap_or(Duration::from_secs(1));
        if timeout.is_zero() {
            return Err(RaceError::ZeroTimeout);
        }
        Ok(Race { tasks: self.tasks, timeout, cancel_after: self.cancel_after })
    }
}

/// Innermost layer: the simulated work, step by step.
async fn do_work(spec: &TaskSpec, progress: &mut u32) -> Result<u64, RaceError> {
    let mut acc = 0u64;
    for step in 1..=spec.steps {
        *progress = step;
        sleep(Duration::from_millis(spec.step_ms)).await;
        if spec.fail_at_step == Some(step) {
            return Err(RaceError::TaskFailed { name: spec.name.clone(), reason: format!("I/O error at step {step}") });
        }
        acc = acc.wrapping_mul(31).wrapping_add(step as u64 * spec.step_ms);
    }
    Ok(acc)
}

async fn wait_for_cancel(mut rx: watch::Receiver<bool>) {
    while !*rx.borrow() {
        if rx.changed().await.is_err() {
            // Sender gone without cancelling: never fire.
            std::future::pending::<()>().await;
        }
    }
}

/// Middle layer: race one task against the timeout and the cancel signal.
async fn run_task(spec: TaskSpec, timeout: Duration, cancel: watch::Receiver<bool>) -> Result<TaskReport, RaceError> {
    let start = Instant::now();
    let mut progress = 0u32;
    let outcome = tokio::select! {
        res = do_work(&spec, &mut progress) => match res {
            Ok(value) => Outcome::Finished { value },
            Err(RaceError::TaskFailed { reason, .. }) => Outcome::Failed(reason),
            Err(other) => return Err(other),
        },
        _ = sleep(timeout) => Outcome::TimedOut,
        _ = wait_for_cancel(cancel) => Outcome::Cancelled { at_step: 0 },
    };
    // `progress` is only readable once the work future has been dropped.
    let outcome = match outcome {
        Outcome::Cancelled { .. } => Outcome::Cancelled { at_step: progress },
        o => o,
    };
    Ok(TaskReport { name: spec.name, outcome, elapsed: start.elapsed() })
}

impl Race {
    /// Outer layer: spawn everything, fire the cancel signal, collect reports.
    async fn run(self) -> Result<Vec<TaskReport>, RaceError> {
        let (cancel_tx, cancel_rx) = watch::channel(false);
        let mut set = JoinSet::new();
        for spec in self.tasks {
            set.spawn(run_task(spec, self.timeout, cancel_rx.clone()));
        }
        if let Some(after) = self.cancel_after {
            tokio::spawn(async move {
                sleep(after).await;
                let _ = cancel_tx.send(true);
                // keep the sender alive until the signal is delivered
                sleep(Duration::from_millis(1)).await;
            });
        } else {
            // Keep the sender alive for the whole race without cancelling.
            tokio::spawn(async move {
                cancel_tx.closed().await;
            });
        }
        let mut reports = Vec::new();
        while let Some(joined) = set.join_next().await {
            reports.push(joined??);
        }
        reports.sort_by_key(|r| r.elapsed);
        Ok(reports)
    }
}

fn winner(reports: &[TaskReport]) -> Result<&TaskReport, RaceError> {
    reports
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Finished { .. }))
        .min_by_key(|r| r.elapsed)
        .ok_or(RaceError::NoWinner(reports.len()))
}

fn print_reports(title: &str, reports: &[TaskReport]) {
    println!("\n== {title} ==");
    for r in reports {
        println!("  {:<10} {:>7.1?}  {}", r.name, r.elapsed, r.outcome);
    }
    match winner(reports) {
        Ok(w) => println!("  winner: {} after {:?}", w.name, w.elapsed),
        Err(e) => println!("  no winner: {e}"),
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let race = RaceBuilder::new()
        .task("sprinter", 3, 40)
        .task("jogger", 6, 60)
        .task("walker", 10, 100)
        .failing_task("clumsy", 5, 30, 2)
        .timeout(Duration::from_millis(450))
        .build()
        .context("building timeout race")?;
    let reports = race.run().await.context("running timeout race")?;
    print_reports("timeout 450ms, no cancellation", &reports);

    let race = RaceBuilder::new()
        .task("sprinter", 2, 50)
        .task("jogger", 6, 60)
        .task("walker", 10, 100)
        .timeout(Duration::from_secs(2))
        .cancel_after(Duration::from_millis(250))
        .build()?;
    let reports = race.run().await?;
    print_reports("cancel signal at 250ms", &reports);

    let race = RaceBuilder::new().task("glacier", 5, 200).timeout(Duration::from_millis(100)).build()?;
    let reports = race.run().await?;
    print_reports("everything times out", &reports);
    if let Err(e) = winner(&reports) {
        println!("  (expected) {e}");
    }

    println!("\n== builder validation ==");
    let invalid = [
        RaceBuilder::new().timeout(Duration::from_millis(10)).build(),
        RaceBuilder::new().task("a", 1, 1).task("a", 2, 2).build(),
        RaceBuilder::new().task("a", 1, 1).timeout(Duration::ZERO).build(),
    ];
    for result in invalid {
        match result {
            Ok(r) => anyhow::bail!("invalid race accepted: {r:?}"),
            Err(e) => println!("  rejected: {e}"),
        }
    }
    Ok(())
}
