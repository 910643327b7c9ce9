//! Multiple elevators as async tokio tasks.
//!
//! Each elevator task receives `GoTo` commands over its own mpsc channel and
//! reports positions and arrivals over a shared report channel. A controller
//! receives floor requests from a producer task, dispatches each one to the
//! elevator with the lowest estimated cost and updates the building state from
//! the reports. The whole state is then persisted as JSON with serde: enums with
//! data, chrono timestamps, uuid ids and HashMaps keyed by those ids.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, VecDeque};
use tokio::sync::mpsc;
use tokio::time::{sleep, Duration};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
enum Direction {
    Up,
    Down,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
enum ElevatorStatus {
    Idle { floor: i32 },
    Moving { from: i32, to: i32, direction: Direction },
    DoorsOpen { floor: i32, request: Uuid },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct ElevatorState {
    id: Uuid,
    name: String,
    floor: i32,
    status: ElevatorStatus,
    pending: Vec<Uuid>,
    served: u32,
    floors_travelled: u32,
    last_update: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum RequestStatus {
    Pending,
    Assigned { elevator: Uuid, at: DateTime<Utc> },
    Completed { elevator: Uuid, at: DateTime<Utc>, wait_ms: i64 },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct FloorRequest {
    id: Uuid,
    floor: i32,
    created_at: DateTime<Utc>,
    status: RequestStatus,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
enum LogEvent {
    RequestCreated { request: Uuid, floor: i32 },
    Dispatched { request: Uuid, elevator: Uuid, cost: i32 },
    Position { elevator: Uuid, floor: i32 },
    Arrived { elevator: Uuid, request: Uuid, floor: i32 },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct TimedEvent {
    at: DateTime<Utc>,
    event: LogEvent,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct BuildingState {
    building: String,
    floors: i32,
    started_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
    elevators: HashMap<Uuid, ElevatorState>,
    requests: HashMap<Uuid, FloorRequest>,
    events: Vec<TimedEvent>,
}

#[derive(Debug)]
enum Command {
    GoTo { request: Uuid, floor: i32 },
}

#[derive(Debug)]
enum Report {
    Position { elevator: Uuid, floor: i32 },
    Arrived { elevator: Uuid, request: Uuid, floor: i32 },
}

impl BuildingState {
    fn new(building: &str, floors: i32) -> Self {
        BuildingState {
            building: building.to_string(),
            floors,
            started_at: Utc::now(),
            finished_at: None,
            elevators: HashMap::new(),
            requests: HashMap::new(),
            events: Vec::new(),
        }
    }

    fn log(&mut self, event: LogEvent) {
        self.events.push(TimedEvent { at: Utc::now(), event });
    }

    fn add_elevator(&mut self, name: &str, floor: i32) -> Uuid {
        let id = Uuid::new_v4();
        self.elevators.insert(
            id,
            ElevatorState {
                id,
                name: name.to_string(),
                floor,
                status: ElevatorStatus::Idle { floor },
                pending: Vec::new(),
                served: 0,
                floors_travelled: 0,
                last_update: Utc::now(),
            },
        );
        id
    }

    fn create_request(&mut self, floor: i32) -> Uuid {
        let id = Uuid::new_v4();
        self.requests.insert(id, FloorRequest { id, floor, created_at: Utc::now(), status: RequestStatus::Pending });
        self.log(LogEvent::RequestCreated { request: id, floor });
        id
    }

    /// Cost = distance from the last known floor plus a penalty per queued stop.
    fn choose_elevator(&self, floor: i32) -> (Uuid, i32) {
        self.elevators
            .values()
            .map(|e| ((e.floor - floor).abs() + 3 * e.pending.len() as i32, e))
            .min_by(|(ca, a), (cb, b)| ca.cmp(cb).then_with(|| a.name.cmp(&b.name)))
            .map(|(cost, e)| (e.id, cost))
            .expect("building has at least one elevator")
    }

    fn assign(&mut self, request: Uuid, elevator: Uuid, cost: i32) {
        let now = Utc::now();
        if let Some(r) = self.requests.get_mut(&request) {
            r.status = RequestStatus::Assigned { elevator, at: now };
        }
        if let Some(e) = self.elevators.get_mut(&elevator) {
            e.pending.push(request);
        }
        self.log(LogEvent::Dispatched { request, elevator, cost });
    }

    fn apply(&mut self, report: Report) {
        let now = Utc::now();
        match report {
            Report::Position { elevator, floor } => {
                if let Some(e) = self.elevators.get_mut(&elevator) {
                    let from = e.floor;
                    let to = e
                        .pending
                        .first()
                        .and_then(|r| self.requests.get(r))
                        .map(|r| r.floor)
                        .unwrap_or(floor);
                    e.floor = floor;
                    e.floors_travelled += 1;
                    e.last_update = now;
                    let direction = if floor > from { Direction::Up } else { Direction::Down };
                    e.status = ElevatorStatus::Moving { from, to, direction };
                }
                self.log(LogEvent::Position { elevator, floor });
            }
            Report::Arrived { elevator, request, floor } => {
                if let Some(r) = self.requests.get_mut(&request) {
                    let wait_ms = (now - r.created_at).num_milliseconds();
                    r.status = RequestStatus::Completed { elevator, at: now, wait_ms };
                }
                if let Some(e) = self.elevators.get_mut(&elevator) {
                    e.pending.retain(|id| *id != request);
                    e.served += 1;
                    e.floor = floor;
                    e.last_update = now;
                    e.status = if e.pending.is_empty() {
                        ElevatorStatus::Idle { floor }
                    } else {
                        ElevatorStatus::DoorsOpen { floor, request }
                    };
                }
                self.log(LogEvent::Arrived { elevator, request, floor });
            }
        }
    }

    fn all_completed(&self) -> bool {
        self.requests.values().all(|r| matches!(r.status, RequestStatus::Completed { .. }))
    }
}

async fn elevator_task(
    id: Uuid,
    name: String,
    start_floor: i32,
    mut commands: mpsc::Receiver<Command>,
    reports: mpsc::Sender<Report>,
    ms_per_floor: u64,
) -> (String, u32) {
    let mut floor = start_floor;
    let mut queue: VecDeque<(Uuid, i32)> = VecDeque::new();
    let mut moves = 0u32;
    loop {
        while let Ok(Command::GoTo { request, floor: target }) = commands.try_recv() {
            queue.push_back((request, target));
        }

        // Serve every queued request for the current floor (doors open once).
        let here: Vec<Uuid> = queue.iter().filter(|(_, f)| *f == floor).map(|(r, _)| *r).collect();
        if !here.is_empty() {
            queue.retain(|(_, f)| *f != floor);
            for request in here {
                if reports.send(Report::Arrived { elevator: id, request, floor }).await.is_err() {
                    return (name, moves);
                }
            }
            sleep(Duration::from_millis(ms_per_floor)).await;
            continue;
        }

        let Some(&(_, target)) = queue.front() else {
            match commands.recv().await {
                Some(Command::GoTo { request, floor: target }) => {
                    queue.push_back((request, target));
                    continue;
                }
                None => break,
            }
        };

        floor += if target > floor { 1 } else { -1 };
        moves += 1;
        sleep(Duration::from_millis(ms_per_floor)).await;
        if reports.send(Report::Position { elevator: id, floor }).await.is_err() {
            break;
        }
    }
    (name, moves)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut state = BuildingState::new("Harbour Tower", 14);
    let (report_tx, mut report_rx) = mpsc::channel::<Report>(64);
    let mut command_txs: HashMap<Uuid, mpsc::Sender<Command>> = HashMap::new();
    let mut handles = Vec::new();

    for (name, start) in [("A", 0), ("B", 6), ("C", 13)] {
        let id = state.add_elevator(name, start);
        let (tx, rx) = mpsc::channel(32);
        command_txs.insert(id, tx);
        handles.push(tokio::spawn(elevator_task(id, name.to_string(), start, rx, report_tx.clone(), 12)));
    }
    drop(report_tx);

    let (request_tx, mut request_rx) = mpsc::channel::<i32>(8);
    let producer = tokio::spawn(async move {
        let script: [(u64, i32); 12] = [
            (0, 7), (15, 2), (10, 12), (25, 0), (5, 9), (30, 4),
            (10, 11), (40, 1), (5, 6), (20, 13), (10, 3), (15, 10),
        ];
        for (delay, floor) in script {
            sleep(Duration::from_millis(delay)).await;
            if request_tx.send(floor).await.is_err() {
                break;
            }
        }
    });

    let mut producer_done = false;
    loop {
        tokio::select! {
            maybe = request_rx.recv(), if !producer_done => {
                match maybe {
                    Some(floor) => {
                        let request = state.create_request(floor);
                        let (elevator, cost) = state.choose_elevator(floor);
                        state.assign(request, elevator, cost);
                        let name = state.elevators[&elevator].name.clone();
                        println!("request for floor {floor:>2} -> elevator {name} (cost {cost})");
                        if let Some(tx) = command_txs.get(&elevator) {
                            tx.send(Command::GoTo { request, floor }).await?;
                        }
                    }
                    None => producer_done = true,
                }
            }
            maybe = report_rx.recv() => {
                match maybe {
                    Some(report) => {
                        if let Report::Arrived { elevator, floor, .. } = &report {
                            println!("  elevator {} arrived at floor {floor}", state.elevators[elevator].name);
                        }
                        state.apply(report);
                    }
                    None => break,
                }
            }
        }
        if producer_done && state.all_completed() && !command_txs.is_empty() {
            println!("all requests served - shutting elevators down");
            command_txs.clear(); // dropping the senders ends the elevator tasks
        }
    }

    producer.await?;
    for handle in handles {
        let (name, moves) = handle.await?;
        println!("elevator {name} task finished after moving {moves} floor(s)");
    }
    state.finished_at = Some(Utc::now());

    let json = serde_json::to_string_pretty(&state)?;
    let path = std::env::temp_dir().join(format!("elevator_state_{}.json", std::process::id()));
    std::fs::write(&path, &json)?;
    let restored: BuildingState = serde_json::from_str(&std::fs::read_to_string(&path)?)?;
    std::fs::remove_file(&path)?;

    println!("\nstate persisted to {} ({} bytes) and reloaded", path.display(), json.len());
    println!(
        "restored: {} elevators, {} requests, {} events (original {} events)",
        restored.elevators.len(),
        restored.requests.len(),
        restored.events.len(),
        state.events.len()
    );

    let mut elevators: Vec<&ElevatorState> = restored.elevators.values().collect();
    elevators.sort_by(|a, b| a.name.cmp(&b.name));
    println!("\n{:<4} {:>6} {:>9} {:>6}  status", "car", "served", "travelled", "floor");
    for e in &elevators {
        println!("{:<4} {:>6} {:>9} {:>6}  {:?}", e.name, e.served, e.floors_travelled, e.floor, e.status);
    }

    let waits: Vec<i64> = restored
        .requests
        .values()
        .filter_map(|r| match r.status {
            RequestStatus::Completed { wait_ms, .. } => Some(wait_ms),
            _ => None,
        })
        .collect();
    if !waits.is_empty() {
        let avg = waits.iter().sum::<i64>() as f64 / waits.len() as f64;
        println!(
            "\nrequests completed: {}/{}, average wait {:.0} ms, longest {} ms",
            waits.len(),
            restored.requests.len(),
            avg,
            waits.iter().max().copied().unwrap_or(0)
        );
    }
    let mut sample: Vec<&FloorRequest> = restored.requests.values().collect();
    sample.sort_by_key(|r| r.created_at);
    if let Some(first) = sample.first() {
        println!("\nfirst request as JSON:\n{}", serde_json::to_string_pretty(first)?);
    }
    Ok(())
}
