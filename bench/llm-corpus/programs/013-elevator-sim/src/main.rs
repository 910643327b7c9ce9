use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::VecDeque;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Up,
    Down,
    Idle,
}

#[derive(Debug, Clone)]
struct Passenger {
    id: usize,
    from: i32,
    to: i32,
    requested_at: u32,
    picked_up_at: Option<u32>,
}

struct Elevator {
    floor: i32,
    direction: Direction,
    capacity: usize,
    riders: Vec<Passenger>,
    door_open_ticks: u32,
}

struct Building {
    floors: i32,
    elevator: Elevator,
    waiting: VecDeque<Passenger>,
    delivered: Vec<(Passenger, u32)>,
}

impl Building {
    fn new(floors: i32, capacity: usize) -> Self {
        Building {
            floors,
            elevator: Elevator { floor: 0, direction: Direction::Idle, capacity, riders: Vec::new(), door_open_ticks: 0 },
            waiting: VecDeque::new(),
            delivered: Vec::new(),
        }
    }

    fn request(&mut self, p: Passenger) {
        self.waiting.push_back(p);
    }

    /// SCAN / "elevator algorithm": keep going in the current direction while there
    /// are targets ahead, otherwise reverse; pick the oldest request when idle.
    fn choose_direction(&self) -> Direction {
        let e = &self.elevator;
        let targets: Vec<i32> = e
            .riders
            .iter()
            .map(|p| p.to)
            .chain(self.waiting.iter().map(|p| p.from))
            .collect();
        if targets.is_empty() {
            return Direction::Idle;
        }
        let above = targets.iter().any(|&f| f > e.floor);
        let below = targets.iter().any(|&f| f < e.floor);
        match e.direction {
            Direction::Up if above => Direction::Up,
            Direction::Down if below => Direction::Down,
            _ => {
                // Prefer the direction of the oldest outstanding target.
                let oldest = e
                    .riders
                    .iter()
                    .map(|p| (p.requested_at, p.to))
                    .chain(self.waiting.iter().map(|p| (p.requested_at, p.from)))
                    .min()
                    .map(|(_, f)| f)
                    .unwrap_or(e.floor);
                if oldest > e.floor {
                    Direction::Up
                } else if oldest < e.floor {
                    Direction::Down
                } else if above {
                    Direction::Up
                } else if below {
                    Direction::Down
                } else {
                    Direction::Idle
                }
            }
        }
    }

    fn step(&mut self, t: u32, log: bool) {
        if self.elevator.door_open_ticks > 0 {
            self.elevator.door_open_ticks -= 1;
            return;
        }
        let floor = self.elevator.floor;

        // Unload
        let (leaving, staying): (Vec<Passenger>, Vec<Passenger>) =
            self.elevator.riders.drain(..).partition(|p| p.to == floor);
        self.elevator.riders = staying;
        let mut stopped = !leaving.is_empty();
        for p in leaving {
            if log {
                println!("t={:>3} floor {:>2}: passenger {} exits", t, floor, p.id);
            }
            self.delivered.push((p, t));
        }

        // Load
        let mut i = 0;
        while i < self.waiting.len() {
            if self.waiting[i].from == floor && self.elevator.riders.len() < self.elevator.capacity {
                let mut p = self.waiting.remove(i).unwrap();
                p.picked_up_at = Some(t);
                if log {
                    println!("t={:>3} floor {:>2}: passenger {} boards -> {}", t, floor, p.id, p.to);
                }
                self.elevator.riders.push(p);
                stopped = true;
            } else {
                i += 1;
            }
        }

        if stopped {
            self.elevator.door_open_ticks = 1;
            return;
        }

        self.elevator.direction = self.choose_direction();
        match self.elevator.direction {
            Direction::Up => self.elevator.floor = (floor + 1).min(self.floors - 1),
            Direction::Down => self.elevator.floor = (floor - 1).max(0),
            Direction::Idle => {}
        }
    }
}

fn main() {
    let floors = 10;
    let mut building = Building::new(floors, 6);
    let mut rng = StdRng::seed_from_u64(42);
    let mut next_id = 1;
    let sim_ticks = 200;
    let arrivals_until = 150;

    for t in 0..sim_ticks {
        if t < arrivals_until && rng.gen_bool(0.25) {
            let from = if rng.gen_bool(0.4) { 0 } else { rng.gen_range(0..floors) };
            let mut to = rng.gen_range(0..floors);
            while to == from {
                to = rng.gen_range(0..floors);
            }
            let p = Passenger { id: next_id, from, to, requested_at: t, picked_up_at: None };
            if t < 40 {
                println!("t={:>3} request: passenger {} at floor {} wants {}", t, next_id, from, to);
            }
            next_id += 1;
            building.request(p);
        }
        building.step(t, t < 40);
    }

    let delivered = &building.delivered;
    let n = delivered.len();
    println!("\n=== Statistics after {} ticks ===", sim_ticks);
    println!("Requests: {}, delivered: {}, still waiting: {}, riding: {}",
        next_id - 1, n, building.waiting.len(), building.elevator.riders.len());
    if n > 0 {
        let waits: Vec<u32> = delivered.iter().map(|(p, _)| p.picked_up_at.unwrap() - p.requested_at).collect();
        let trips: Vec<u32> = delivered.iter().map(|(p, done)| done - p.requested_at).collect();
        let avg = |v: &[u32]| v.iter().sum::<u32>() as f64 / v.len() as f64;
        println!("Wait time  - avg {:.1}, max {}", avg(&waits), waits.iter().max().unwrap());
        println!("Total trip - avg {:.1}, max {}", avg(&trips), trips.iter().max().unwrap());
        let mut hist = [0usize; 5];
        for w in &waits {
            hist[(*w as usize / 10).min(4)] += 1;
        }
        println!("Wait histogram:");
        for (i, c) in hist.iter().enumerate() {
            let label = if i == 4 { "40+  ".to_string() } else { format!("{:>2}-{:<2}", i * 10, i * 10 + 9) };
            println!("  {} {}", label, "*".repeat(*c));
        }
    }
}
