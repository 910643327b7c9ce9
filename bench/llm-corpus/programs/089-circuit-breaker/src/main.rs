//! circuit-breaker: a tree of circuit breakers (closed / open / half-open).
//! A service-level breaker owns endpoint breakers (Rc<RefCell<..>> children);
//! endpoints report outcomes upward through Weak parent links, and an open
//! parent short-circuits all of its endpoints.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::cell::RefCell;
use std::fmt;
use std::rc::{Rc, Weak};

type Tick = u64; // simulated milliseconds

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    Closed { failures: u32 },
    Open { until: Tick },
    HalfOpen { successes: u32, in_flight: u32 },
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            State::Closed { failures } => write!(f, "CLOSED({failures} fails)"),
            State::Open { until } => write!(f, "OPEN(until t={until})"),
            State::HalfOpen { successes, .. } => write!(f, "HALF-OPEN({successes} ok)"),
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Config {
    failure_threshold: u32,
    cooldown: Tick,
    half_open_successes: u32,
    half_open_max_in_flight: u32,
}

#[derive(Debug, Default)]
struct Counters {
    calls: u32,
    successes: u32,
    failures: u32,
    rejected: u32,
    trips: u32,
}

type NodeRef = Rc<RefCell<Breaker>>;

#[derive(Debug)]
struct Breaker {
    name: String,
    config: Config,
    state: State,
    counters: Counters,
    parent: Weak<RefCell<Breaker>>,
    children: Vec<NodeRef>,
}

#[derive(Debug)]
enum CallError {
    Rejected { by: String },
    Failed(String),
}

impl Breaker {
    fn new_root(name: &str, config: Config) -> NodeRef {
        Rc::new(RefCell::new(Breaker {
            name: name.to_string(),
            config,
            state: State::Closed { failures: 0 },
            counters: Counters::default(),
            parent: Weak::new(),
            children: Vec::new(),
        }))
    }

    fn add_child(parent: &NodeRef, name: &str, config: Config) -> NodeRef {
        let child = Rc::new(RefCell::new(Breaker {
            name: name.to_string(),
            config,
            state: State::Closed { failures: 0 },
            counters: Counters::default(),
            parent: Rc::downgrade(parent),
            children: Vec::new(),
        }));
        parent.borrow_mut().children.push(Rc::clone(&child));
        child
    }

    fn path(&self) -> String {
        match self.parent.upgrade() {
            Some(p) => format!("{}/{}", p.borrow().path(), self.name),
            None => self.name.clone(),
        }
    }

    /// Decide whether a call may pass through this breaker at time `now`.
    fn try_acquire(&mut self, now: Tick, log: &mut Vec<String>) -> bool {
        if let State::Open { until } = self.state {
            if now >= until {
                self.transition(State::HalfOpen { successes: 0, in_flight: 0 }, now, log);
            }
        }
        match &mut self.state {
            State::Closed { .. } => true,
            State::Open { .. } => false,
            State::HalfOpen { in_flight, .. } => {
                if *in_flight < self.config.half_open_max_in_flight {
                    *in_flight += 1;
                    true
                } else {
                    false
                }
            }
        }
    }

    fn record(&mut self, ok: bool, now: Tick, log: &mut Vec<String>) {
        if ok {
            self.counters.successes += 1;
        } else {
            self.counters.failures += 1;
        }
        let next = match self.state {
            State::Closed { failures } if ok => State::Closed { failures: failures.saturating_sub(1) },
            State::Closed { failures } => {
                if failures + 1 >= self.config.failure_threshold {
                    State::Open { until: now + self.config.cooldown }
                } else {
                    State::Closed { failures: failures + 1 }
                }
            }
            State::HalfOpen { successes, in_flight } if ok => {
                if successes + 1 >= self.config.half_open_successes {
                    State::Closed { failures: 0 }
                } else {
                    State::HalfOpen { successes: successes + 1, in_flight: in_flight.saturating_sub(1) }
                }
            }
            State::HalfOpen { .. } => State::Open { until: now + self.config.cooldown },
            State::Open { until } => State::Open { until },
        };
        if next != self.state {
            self.transition(next, now, log);
        }
    }

    fn transition(&mut self, next: State, now: Tick, log: &mut Vec<String>) {
        let same_kind = std::mem::discriminant(&next) == std::mem::discriminant(&self.state);
        if !same_kind {
            if matches!(next, State::Open { .. }) {
                self.counters.trips += 1;
            }
            log.push(format!("t={now:>5} {:<22} {} -> {}", self.path(), self.state, next));
        }
        self.state = next;
    }
}

/// Chain of breakers from `node` up to the root.
fn ancestry(node: &NodeRef) -> Vec<NodeRef> {
    let mut chain = vec![Rc::clone(node)];
    let mut current = node.borrow().parent.upgrade();
    while let Some(p) = current {
        current = p.borrow().parent.upgrade();
        chain.push(p);
    }
    chain
}

/// Run `f` through `node` and all its ancestors.
fn call<T>(node: &NodeRef, now: Tick, log: &mut Vec<String>, f: impl FnOnce() -> Result<T, String>) -> Result<T, CallError> {
    let chain = ancestry(node);
    // Check from the root downward so an open service blocks its endpoints.
    for b in chain.iter().rev() {
        let mut b = b.borrow_mut();
        b.counters.calls += 1;
        if !b.try_acquire(now, log) {
            b.counters.rejected += 1;
            return Err(CallError::Rejected { by: b.name.clone() });
        }
    }
    let result = f(); // no borrows are held while the service runs
    let ok = result.is_ok();
    for b in &chain {
        b.borrow_mut().record(ok, now, log);
    }
    result.map_err(CallError::Failed)
}

/// Flaky downstream service: mostly fine, but with an outage window.
fn flaky_service(endpoint: &str, now: Tick, rng: &mut StdRng) -> Result<u32, String> {
    let outage = (1_500..3_500).contains(&now);
    let failure_rate = match (endpoint, outage) {
        (_, true) => 0.85,
        ("refund", false) => 0.15,
        _ => 0.05,
    };
    if rng.gen_bool(failure_rate) {
        Err(format!("{endpoint}: upstream 503"))
    } else {
        Ok(rng.gen_range(20..200))
    }
}

fn print_tree(node: &NodeRef, depth: usize) {
    let b = node.borrow();
    let c = &b.counters;
    println!(
        "{}{:<10} {:<22} calls={:<4} ok={:<4} fail={:<4} rejected={:<4} trips={}",
        "  ".repeat(depth),
        b.name,
        b.state.to_string(),
        c.calls,
        c.successes,
        c.failures,
        c.rejected,
        c.trips
    );
    for child in &b.children {
        print_tree(child, depth + 1);
    }
}

fn main() {
    let service_cfg = Config { failure_threshold: 8, cooldown: 800, half_open_successes: 3, half_open_max_in_flight: 2 };
    let endpoint_cfg = Config { failure_threshold: 4, cooldown: 400, half_open_successes: 2, half_open_max_in_flight: 1 };

    let payments = Breaker::new_root("payments", service_cfg);
    let charge = Breaker::add_child(&payments, "charge", endpoint_cfg);
    let refund = Breaker::add_child(&payments, "refund", endpoint_cfg);

    let mut rng = StdRng::seed_from_u64(7);
    let mut log = Vec::new();
    let mut outcomes = [0u32; 3]; // ok, failed, rejected

    for step in 0..120u64 {
        let now = step * 50;
        let (endpoint, node) = if step % 3 == 0 { ("refund", &refund) } else { ("charge", &charge) };
        let mut rng_for_call = StdRng::seed_from_u64(rng.gen());
        match call(node, now, &mut log, || flaky_service(endpoint, now, &mut rng_for_call)) {
            Ok(_latency) => outcomes[0] += 1,
            Err(CallError::Failed(_)) => outcomes[1] += 1,
            Err(CallError::Rejected { by }) => {
                outcomes[2] += 1;
                if step % 10 == 0 {
                    log.push(format!("t={now:>5} call to {endpoint} short-circuited by '{by}'"));
                }
            }
        }
    }

    println!("State transitions:");
    for line in &log {
        println!("  {line}");
    }
    println!("\nFinal breaker tree:");
    print_tree(&payments, 0);
    println!("\nCalls: {} succeeded, {} failed, {} rejected fast", outcomes[0], outcomes[1], outcomes[2]);
    println!("Parent of 'charge' is '{}' (via Weak link)", charge.borrow().parent.upgrade().map(|p| p.borrow().name.clone()).unwrap_or_default());
    println!("Strong refs to payments: {}, weak refs: {}", Rc::strong_count(&payments), Rc::weak_count(&payments));
}
