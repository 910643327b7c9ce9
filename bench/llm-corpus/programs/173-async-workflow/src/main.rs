//! A workflow engine: steps are async tasks with dependencies, per-step
//! timeouts, retries, and failure propagation to every dependent step.
//!
//! The step graph is built from `Rc<RefCell<Step>>` nodes: a step owns its
//! dependents (children) strongly and refers to its dependencies (parents)
//! through `Weak` back-references. Everything runs on a single-threaded
//! runtime, with ready steps polled concurrently in a `FuturesUnordered`.

use futures::future::{FutureExt, LocalBoxFuture};
use futures::stream::{FuturesUnordered, StreamExt};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::{Rc, Weak};
use std::time::Duration;
use tokio::time::{sleep, timeout, Instant};

#[derive(Debug, Clone, PartialEq)]
enum Status {
    Pending,
    Running { attempt: u32 },
    Succeeded { output: String },
    Failed { error: String },
    TimedOut { after: Duration },
    Skipped { because: String },
}

#[derive(Debug, Clone)]
enum Behavior {
    Succeed,
    Fail(&'static str),
    FlakyUntil(u32),
    Hang,
}

type StepRef = Rc<RefCell<Step>>;

struct Step {
    id: usize,
    name: String,
    work: Duration,
    timeout: Duration,
    behavior: Behavior,
    max_attempts: u32,
    attempts: u32,
    status: Status,
    started_at: Option<Duration>,
    finished_at: Option<Duration>,
    children: Vec<StepRef>,
    parents: Vec<Weak<RefCell<Step>>>,
}

enum Outcome {
    Ok(String),
    Err(String),
    Timeout(Duration),
}

async fn execute(name: String, work: Duration, behavior: Behavior, attempt: u32) -> Result<String, String> {
    let work = if matches!(behavior, Behavior::Hang) { Duration::from_secs(3600) } else { work };
    sleep(work).await;
    match behavior {
        Behavior::Succeed | Behavior::Hang => Ok(format!("{name} ok")),
        Behavior::Fail(msg) => Err(msg.to_string()),
        Behavior::FlakyUntil(n) if attempt < n => Err(format!("transient error on attempt {attempt}")),
        Behavior::FlakyUntil(_) => Ok(format!("{name} ok after {attempt} attempts")),
    }
}

fn is_ready(step: &StepRef) -> bool {
    let s = step.borrow();
    s.status == Status::Pending
        && s.parents.iter().all(|p| match p.upgrade() {
            Some(parent) => {
                let parent = parent.borrow();
                matches!(parent.status, Status::Succeeded { .. })
            }
            None => false,
        })
}

struct Workflow {
    name: String,
    steps: Vec<StepRef>,
    by_name: HashMap<String, StepRef>,
}

impl Workflow {
    fn new(name: &str) -> Self {
        Workflow { name: name.to_string(), steps: Vec::new(), by_name: HashMap::new() }
    }

    fn step(&mut self, name: &str, work_ms: u64, timeout_ms: u64, behavior: Behavior, max_attempts: u32) -> &mut Self {
        let step = Rc::new(RefCell::new(Step {
            id: self.steps.len(),
            name: name.to_string(),
            work: Duration::from_millis(work_ms),
            timeout: Duration::from_millis(timeout_ms),
            behavior,
            max_attempts: max_attempts.max(1),
            attempts: 0,
            status: Status::Pending,
            started_at: None,
            finished_at: None,
            children: Vec::new(),
            parents: Vec::new(),
        }));
        self.by_name.insert(name.to_string(), Rc::clone(&step));
        self.steps.push(step);
        self
    }

    fn get(&self, name: &str) -> Result<StepRef, String> {
        self.by_name.get(name).cloned().ok_or_else(|| format!("unknown step '{name}'"))
    }

    /// True if `target` is reachable from `from` by following children.
    fn reaches(from: &StepRef, target: &StepRef) -> bool {
        if Rc::ptr_eq(from, target) {
            return true;
        }
        let children = from.borrow().children.clone();
        children.iter().any(|c| Self::reaches(c, target))
    }

    fn depends_on(&mut self, step: &str, deps: &[&str]) -> Result<&mut Self, String> {
        let child = self.get(step)?;
        for dep in deps {
            let parent = self.get(dep)?;
            if Self::reaches(&child, &parent) {
                return Err(format!("adding {dep} -> {step} would create a cycle"));
            }
            parent.borrow_mut().children.push(Rc::clone(&child));
            child.borrow_mut().parents.push(Rc::downgrade(&parent));
        }
        Ok(self)
    }

    fn launch(&self, idx: usize, start: Instant) -> LocalBoxFuture<'static, (usize, Outcome)> {
        let (name, work, limit, behavior, attempt) = {
            let mut s = self.steps[idx].borrow_mut();
            s.attempts += 1;
            s.status = Status::Running { attempt: s.attempts };
            if s.started_at.is_none() {
                s.started_at = Some(start.elapsed());
            }
            (s.name.clone(), s.work, s.timeout, s.behavior.clone(), s.attempts)
        };
        println!("  [{:>5} ms] start  {name} (attempt {attempt})", start.elapsed().as_millis());
        async move {
            let outcome = match timeout(limit, execute(name, work, behavior, attempt)).await {
                Ok(Ok(output)) => Outcome::Ok(output),
                Ok(Err(error)) => Outcome::Err(error),
                Err(_) => Outcome::Timeout(limit),
            };
            (idx, outcome)
        }
        .boxed_local()
    }

    /// Marks every pending descendant of `failed` as skipped.
    fn propagate_failure(&self, failed: &StepRef) {
        let root_name = failed.borrow().name.clone();
        let mut stack: Vec<StepRef> = failed.borrow().children.clone();
        while let Some(step) = stack.pop() {
            let mut s = step.borrow_mut();
            if s.status == Status::Pending {
                s.status = Status::Skipped { because: format!("dependency '{root_name}' did not succeed") };
                stack.extend(s.children.iter().cloned());
            }
        }
    }

    async fn run(&self) -> bool {
        println!("== running workflow '{}' ({} steps) ==", self.name, self.steps.len());
        let start = Instant::now();
        let mut in_flight = FuturesUnordered::new();
        for (i, step) in self.steps.iter().enumerate() {
            if is_ready(step) {
                in_flight.push(self.launch(i, start));
            }
        }

        while let Some((idx, outcome)) = in_flight.next().await {
            let step = Rc::clone(&self.steps[idx]);
            let elapsed = start.elapsed();
            let name = step.borrow().name.clone();
            match outcome {
                Outcome::Ok(output) => {
                    println!("  [{:>5} ms] done   {name}: {output}", elapsed.as_millis());
                    {
                        let mut s = step.borrow_mut();
                        s.status = Status::Succeeded { output };
                        s.finished_at = Some(elapsed);
                    }
                    let children = step.borrow().children.clone();
                    for child in children {
                        if is_ready(&child) {
                            let child_id = child.borrow().id;
                            in_flight.push(self.launch(child_id, start));
                        }
                    }
                }
                failure => {
                    let (status, text) = match failure {
                        Outcome::Err(e) => (Status::Failed { error: e.clone() }, format!("failed: {e}")),
                        Outcome::Timeout(after) => (Status::TimedOut { after }, format!("timed out after {after:?}")),
                        Outcome::Ok(_) => unreachable!("handled above"),
                    };
                    let retry = {
                        let s = step.borrow();
                        s.attempts < s.max_attempts
                    };
                    if retry {
                        println!("  [{:>5} ms] retry  {name}: {text}", elapsed.as_millis());
                        in_flight.push(self.launch(idx, start));
                    } else {
                        println!("  [{:>5} ms] FAIL   {name}: {text}", elapsed.as_millis());
                        {
                            let mut s = step.borrow_mut();
                            s.status = status;
                            s.finished_at = Some(elapsed);
                        }
                        self.propagate_failure(&step);
                    }
                }
            }
        }
        self.report(start.elapsed())
    }

    /// Names of unsuccessful dependencies, found through the Weak parent links.
    fn blockers(step: &StepRef) -> Vec<String> {
        let s = step.borrow();
        s.parents
            .iter()
            .filter_map(Weak::upgrade)
            .filter_map(|p| {
                let p = p.borrow();
                (!matches!(p.status, Status::Succeeded { .. })).then(|| p.name.clone())
            })
            .collect()
    }

    fn report(&self, total: Duration) -> bool {
        println!("\n{:<14}{:<44}{:>9}{:>9}{:>9}", "step", "status", "attempts", "start", "end");
        let mut all_ok = true;
        for step in &self.steps {
            let s = step.borrow();
            let status = match &s.status {
                Status::Succeeded { output } => format!("ok ({output})"),
                Status::Failed { error } => format!("failed: {error}"),
                Status::TimedOut { after } => format!("timed out after {after:?}"),
                Status::Skipped { .. } => format!("skipped, blocked by {}", Self::blockers(step).join(", ")),
                Status::Pending => "never started".to_string(),
                Status::Running { attempt } => format!("still running (attempt {attempt})"),
            };
            all_ok &= matches!(s.status, Status::Succeeded { .. });
            let ms = |d: Option<Duration>| d.map_or("-".to_string(), |d| format!("{}ms", d.as_millis()));
            println!("{:<14}{:<44}{:>9}{:>9}{:>9}", s.name, status, s.attempts, ms(s.started_at), ms(s.finished_at));
        }
        println!("workflow '{}' {} in {} ms\n", self.name, if all_ok { "SUCCEEDED" } else { "FAILED" }, total.as_millis());
        all_ok
    }
}

fn build_etl() -> Result<Workflow, String> {
    let mut wf = Workflow::new("nightly-etl");
    wf.step("fetch_users", 120, 500, Behavior::Succeed, 1)
        .step("fetch_orders", 80, 500, Behavior::FlakyUntil(3), 3)
        .step("validate", 60, 500, Behavior::Succeed, 1)
        .step("transform", 150, 500, Behavior::Succeed, 1)
        .step("build_report", 90, 500, Behavior::Succeed, 1)
        .step("load_db", 100, 300, Behavior::Hang, 1)
        .step("refresh_cache", 40, 500, Behavior::Succeed, 1)
        .step("notify", 20, 500, Behavior::Succeed, 1)
        .step("archive_logs", 50, 500, Behavior::Fail("disk quota exceeded"), 2);
    wf.depends_on("validate", &["fetch_users", "fetch_orders"])?
        .depends_on("transform", &["validate"])?
        .depends_on("build_report", &["transform"])?
        .depends_on("load_db", &["transform"])?
        .depends_on("refresh_cache", &["load_db"])?
        .depends_on("notify", &["build_report", "refresh_cache"])?;
    Ok(wf)
}

fn build_simple() -> Result<Workflow, String> {
    let mut wf = Workflow::new("deploy");
    wf.step("compile", 50, 200, Behavior::Succeed, 1)
        .step("unit_tests", 70, 200, Behavior::Succeed, 1)
        .step("lint", 30, 200, Behavior::Succeed, 1)
        .step("package", 40, 200, Behavior::Succeed, 1)
        .step("deploy", 60, 200, Behavior::Succeed, 1);
    wf.depends_on("unit_tests", &["compile"])?
        .depends_on("package", &["unit_tests", "lint"])?
        .depends_on("deploy", &["package"])?;
    Ok(wf)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut results = Vec::new();
    for build in [build_simple as fn() -> Result<Workflow, String>, build_etl] {
        match build() {
            Ok(wf) => {
                let ok = wf.run().await;
                results.push((wf.name.clone(), ok));
            }
            Err(e) => println!("invalid workflow: {e}"),
        }
    }

    // Cycles are rejected while the graph is built.
    let mut cyclic = Workflow::new("cyclic");
    cyclic.step("a", 10, 100, Behavior::Succeed, 1).step("b", 10, 100, Behavior::Succeed, 1).step("c", 10, 100, Behavior::Succeed, 1);
    let attempt = cyclic
        .depends_on("b", &["a"])
        .and_then(|wf| wf.depends_on("c", &["b"]))
        .and_then(|wf| wf.depends_on("a", &["c"]));
    if let Err(e) = attempt {
        println!("cycle check: {e}");
    }
    if let Some(a) = cyclic.by_name.get("a") {
        println!("step 'a' has {} strong ref(s) and {} weak ref(s) (weak = dependents' back-links)", Rc::strong_count(a), Rc::weak_count(a));
    }

    println!("\nSummary:");
    for (name, ok) in results {
        println!("  {name:<12} {}", if ok { "succeeded" } else { "failed" });
    }
}
