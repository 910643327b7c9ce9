use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::Rng;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};
use tokio::time::{sleep, sleep_until, Instant};

const HEARTBEAT: Duration = Duration::from_millis(100);
const NODES: usize = 5;

fn election_timeout() -> Duration {
    Duration::from_millis(rand::thread_rng().gen_range(300..600))
}

#[derive(Debug, Clone)]
enum Msg {
    RequestVote { term: u64, candidate: usize },
    Vote { term: u64, from: usize, granted: bool },
    Heartbeat { term: u64, leader: usize },
    HeartbeatReply { term: u64 },
    Crash,
    Recover,
    Shutdown,
}

#[derive(Debug, Clone)]
enum ClusterEvent {
    ElectionStarted { node: usize, term: u64 },
    VoteGranted { voter: usize, candidate: usize, term: u64 },
    BecameLeader { node: usize, term: u64, votes: usize },
    SteppedDown { node: usize, term: u64, reason: &'static str },
    Crashed { node: usize },
    Recovered { node: usize },
}

#[derive(Debug, Default)]
struct ClusterState {
    current_leader: Option<(usize, u64)>,
    leaders_by_term: BTreeMap<u64, Vec<usize>>,
    elections: u32,
    votes_granted: u32,
    safety_violations: u32,
    max_term: u64,
}

type Handler = Box<dyn FnMut(&ClusterEvent, Duration, &mut ClusterState) + Send>;

struct EventBus {
    handlers: Vec<Handler>,
    state: ClusterState,
}

impl EventBus {
    fn new() -> Self {
        EventBus { handlers: Vec::new(), state: ClusterState::default() }
    }

    fn on<F>(&mut self, handler: F) -> &mut Self
    where
        F: FnMut(&ClusterEvent, Duration, &mut ClusterState) + Send + 'static,
    {
        self.handlers.push(Box::new(handler));
        self
    }

    async fn run(mut self, mut rx: UnboundedReceiver<(Duration, ClusterEvent)>) -> ClusterState {
        while let Some((at, event)) = rx.recv().await {
            for handler in self.handlers.iter_mut() {
                handler(&event, at, &mut self.state);
            }
        }
        self.state
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Follower,
    Candidate,
    Leader,
}

struct Node {
    id: usize,
    peers: Vec<UnboundedSender<Msg>>,
    inbox: UnboundedReceiver<Msg>,
    events: UnboundedSender<(Duration, ClusterEvent)>,
    started: Instant,
    term: u64,
    voted_for: Option<usize>,
    role: Role,
    votes: HashSet<usize>,
    crashed: bool,
}

impl Node {
    fn emit(&self, event: ClusterEvent) {
        let _ = self.events.send((self.started.elapsed(), event));
    }

    fn send(&self, to: usize, msg: Msg) {
        let _ = self.peers[to].send(msg);
    }

    fn broadcast(&self, msg: Msg) {
        for (i, peer) in self.peers.iter().enumerate() {
            if i != self.id {
                let _ = peer.send(msg.clone());
            }
        }
    }

    fn step_down(&mut self, term: u64, reason: &'static str) {
        if self.role != Role::Follower {
            self.emit(ClusterEvent::SteppedDown { node: self.id, term, reason });
        }
        if term > self.term {
            self.term = term;
            self.voted_for = None;
        }
        self.role = Role::Follower;
        self.votes.clear();
    }

    async fn run(mut self) {
        let mut deadline = Instant::now() + election_timeout();
        loop {
            tokio::select! {
                msg = self.inbox.recv() => {
                    let Some(msg) = msg else { break };
                    match msg {
                        Msg::Shutdown => break,
                        Msg::Crash => {
                            self.crashed = true;
                            self.emit(ClusterEvent::Crashed { node: self.id });
                        }
                        Msg::Recover => {
                            self.crashed = false;
                            deadline = Instant::now() + election_timeout();
                            self.emit(ClusterEvent::Recovered { node: self.id });
                        }
                        _ if self.crashed => {} // a crashed node drops everything
                        Msg::RequestVote { term, candidate } => {
                            if term > self.term {
                                self.step_down(term, "saw a higher term in a vote request");
                            }
                            let grant = term == self.term && self.voted_for.map_or(true, |v| v == candidate);
                            if grant {
                                self.voted_for = Some(candidate);
                                deadline = Instant::now() + election_timeout();
                                self.emit(ClusterEvent::VoteGranted { voter: self.id, candidate, term });
                            }
                            self.send(candidate, Msg::Vote { term: self.term, from: self.id, granted: grant });
                        }
                        Msg::Vote { term, from, granted } => {
                            if term > self.term {
                                self.step_down(term, "a voter has a higher term");
                            } else if self.role == Role::Candidate && term == self.term && granted {
                                self.votes.insert(from);
                                if self.votes.len() > NODES / 2 {
                                    self.role = Role::Leader;
                                    self.emit(ClusterEvent::BecameLeader { node: self.id, term: self.term, votes: self.votes.len() });
                                    self.broadcast(Msg::Heartbeat { term: self.term, leader: self.id });
                                    deadline = Instant::now() + HEARTBEAT;
                                }
                            }
                        }
                        Msg::Heartbeat { term, leader } => {
                            if term >= self.term {
                                if term > self.term || self.role != Role::Follower {
                                    self.step_down(term, "heard from the current leader");
                                }
                                deadline = Instant::now() + election_timeout();
                            } else {
                                // Tell a stale leader about the newer term.
                                self.send(leader, Msg::HeartbeatReply { term: self.term });
                            }
                        }
                        Msg::HeartbeatReply { term } => {
                            if term > self.term {
                                self.step_down(term, "learned it was a stale leader");
                                deadline = Instant::now() + election_timeout();
                            }
                        }
                    }
                }
                _ = sleep_until(deadline) => {
                    if self.crashed {
                        deadline = Instant::now() + election_timeout();
                        continue;
                    }
                    match self.role {
                        Role::Leader => {
                            self.broadcast(Msg::Heartbeat { term: self.term, leader: self.id });
                            deadline = Instant::now() + HEARTBEAT;
                        }
                        Role::Follower | Role::Candidate => {
                            self.term += 1;
                            self.role = Role::Candidate;
                            self.voted_for = Some(self.id);
                            self.votes = HashSet::from([self.id]);
                            self.emit(ClusterEvent::ElectionStarted { node: self.id, term: self.term });
                            self.broadcast(Msg::RequestVote { term: self.term, candidate: self.id });
                            deadline = Instant::now() + election_timeout();
                        }
                    }
                }
            }
        }
    }
}

#[tokio::main]
async fn main() {
    let started = Instant::now();
    let (event_tx, event_rx) = unbounded_channel();
    let leader_view: Arc<Mutex<Option<(usize, u64)>>> = Arc::new(Mutex::new(None));

    let mut bus = EventBus::new();
    bus.on(|event, at, _state| {
        let text = match event {
            ClusterEvent::ElectionStarted { node, term } => format!("node {node} starts an election for term {term}"),
            ClusterEvent::VoteGranted { voter, candidate, term } => format!("node {voter} votes for {candidate} in term {term}"),
            ClusterEvent::BecameLeader { node, term, votes } => format!("*** node {node} is LEADER for term {term} ({votes} votes)"),
            ClusterEvent::SteppedDown { node, term, reason } => format!("node {node} steps down at term {term}: {reason}"),
            ClusterEvent::Crashed { node } => format!("!!! node {node} crashed"),
            ClusterEvent::Recovered { node } => format!("node {node} recovered"),
        };
        println!("[{:>5}ms] {text}", at.as_millis());
    })
    .on(|event, _, state| match event {
        ClusterEvent::ElectionStarted { term, .. } => {
            state.elections += 1;
            state.max_term = state.max_term.max(*term);
        }
        ClusterEvent::VoteGranted { .. } => state.votes_granted += 1,
        _ => {}
    });
    let shared = Arc::clone(&leader_view);
    bus.on(move |event, _, state| match event {
        ClusterEvent::BecameLeader { node, term, .. } => {
            state.current_leader = Some((*node, *term));
            state.leaders_by_term.entry(*term).or_default().push(*node);
            *shared.lock().unwrap() = Some((*node, *term));
        }
        ClusterEvent::Crashed { node } | ClusterEvent::SteppedDown { node, .. } => {
            if state.current_leader.map_or(false, |(l, _)| l == *node) {
                state.current_leader = None;
                *shared.lock().unwrap() = None;
            }
        }
        _ => {}
    })
    .on(|event, at, state| {
        if let ClusterEvent::BecameLeader { term, .. } = event {
            if state.leaders_by_term.get(term).map_or(0, Vec::len) > 1 {
                state.safety_violations += 1;
                println!("[{:>5}ms] SAFETY VIOLATION: two leaders in term {term}", at.as_millis());
            }
        }
    });
    let bus_task = tokio::spawn(bus.run(event_rx));

    let mut senders = Vec::new();
    let mut inboxes = Vec::new();
    for _ in 0..NODES {
        let (tx, rx) = unbounded_channel();
        senders.push(tx);
        inboxes.push(rx);
    }
    let mut node_tasks = Vec::new();
    for (id, inbox) in inboxes.into_iter().enumerate() {
        let node = Node {
            id,
            peers: senders.clone(),
            inbox,
            events: event_tx.clone(),
            started,
            term: 0,
            voted_for: None,
            role: Role::Follower,
            votes: HashSet::new(),
            crashed: false,
        };
        node_tasks.push(tokio::spawn(node.run()));
    }
    drop(event_tx);

    sleep(Duration::from_millis(1200)).await;
    let first = *leader_view.lock().unwrap();
    match first {
        Some((leader, term)) => {
            println!("[{:>5}ms] -- main: crashing leader {leader} (term {term}) --", started.elapsed().as_millis());
            let _ = senders[leader].send(Msg::Crash);
            sleep(Duration::from_millis(1500)).await;
            println!("[{:>5}ms] -- main: recovering node {leader} --", started.elapsed().as_millis());
            let _ = senders[leader].send(Msg::Recover);
        }
        None => println!("-- main: no leader elected yet --"),
    }
    sleep(Duration::from_millis(800)).await;

    for tx in &senders {
        let _ = tx.send(Msg::Shutdown);
    }
    for t in node_tasks {
        let _ = t.await;
    }
    drop(senders);
    let state = bus_task.await.expect("event bus panicked");

    println!("\n== Summary after {:.1}s ==", started.elapsed().as_secs_f64());
    println!("elections started: {}, votes granted: {}, highest term: {}", state.elections, state.votes_granted, state.max_term);
    for (term, leaders) in &state.leaders_by_term {
        println!("  term {term}: leader(s) {leaders:?}");
    }
    match state.current_leader {
        Some((node, term)) => println!("final leader: node {node} in term {term}"),
        None => println!("no leader at shutdown"),
    }
    println!("safety violations: {}", state.safety_violations);
}
