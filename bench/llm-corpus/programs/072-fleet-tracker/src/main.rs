use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::VecDeque;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq)]
struct Point {
    x: f64,
    y: f64,
}

impl Point {
    fn new(x: f64, y: f64) -> Self {
        Point { x, y }
    }

    fn distance(self, other: Point) -> f64 {
        ((self.x - other.x).powi(2) + (self.y - other.y).powi(2)).sqrt()
    }

    /// Moves at most `max_step` towards `target`; returns the new position
    /// and whether the target was reached.
    fn step_towards(self, target: Point, max_step: f64) -> (Point, bool) {
        let d = self.distance(target);
        if d <= max_step {
            (target, true)
        } else {
            let f = max_step / d;
            (
                Point::new(self.x + (target.x - self.x) * f, self.y + (target.y - self.y) * f),
                false,
            )
        }
    }
}

impl fmt::Display for Point {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({:>4.1}, {:>4.1})", self.x, self.y)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Task {
    Idle,
    ToPickup(usize),
    ToDropoff(usize),
}

struct Vehicle {
    name: String,
    pos: Point,
    speed: f64, // km per minute
    task: Task,
    km: f64,
    deliveries: u32,
    busy_minutes: u32,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum OrderStatus {
    Pending,
    Assigned,
    PickedUp,
    Delivered,
}

struct Order {
    id: usize,
    pickup: Point,
    dropoff: Point,
    created: u32,
    assigned: Option<u32>,
    picked: Option<u32>,
    delivered: Option<u32>,
    vehicle: Option<usize>,
    status: OrderStatus,
}

struct Fleet {
    vehicles: Vec<Vehicle>,
    orders: Vec<Order>,
    queue: VecDeque<usize>,
    now: u32,
}

impl Fleet {
    fn new() -> Self {
        Fleet {
            vehicles: Vec::new(),
            orders: Vec::new(),
            queue: VecDeque::new(),
            now: 0,
        }
    }

    fn add_vehicle(&mut self, name: &str, pos: Point, speed_kmh: f64) {
        self.vehicles.push(Vehicle {
            name: name.to_string(),
            pos,
            speed: speed_kmh / 60.0,
            task: Task::Idle,
            km: 0.0,
            deliveries: 0,
            busy_minutes: 0,
        });
    }

    fn add_order(&mut self, pickup: Point, dropoff: Point) -> usize {
        let id = self.orders.len();
        self.orders.push(Order {
            id,
            pickup,
            dropoff,
            created: self.now,
            assigned: None,
            picked: None,
            delivered: None,
            vehicle: None,
            status: OrderStatus::Pending,
        });
        self.queue.push_back(id);
        println!(
            "[t={:>3}] new order #{:<2} pickup {} -> dropoff {}",
            self.now, id, pickup, dropoff
        );
        id
    }

    /// FIFO over waiting orders: each goes to the nearest idle vehicle.
    fn dispatch(&mut self) {
        let mut waiting = VecDeque::new();
        while let Some(oid) = self.queue.pop_front() {
            let pickup = self.orders[oid].pickup;
            let nearest = self
                .vehicles
                .iter()
                .enumerate()
                .filter(|(_, v)| v.task == Task::Idle)
                .map(|(i, v)| (i, v.pos.distance(pickup)))
                .min_by(|a, b| a.1.partial_cmp(&b.1).expect("finite distance"));
            match nearest {
                Some((vi, dist)) => {
                    let vehicle = &mut self.vehicles[vi];
                    vehicle.task = Task::ToPickup(oid);
                    let order = &mut self.orders[oid];
                    order.status = OrderStatus::Assigned;
                    order.assigned = Some(self.now);
                    order.vehicle = Some(vi);
                    println!(
                        "[t={:>3}] order #{:<2} assigned to {:<7} ({:.1} km away, ETA {:.0} min)",
                        self.now,
                        oid,
                        vehicle.name,
                        dist,
                        dist / vehicle.speed
                    );
                }
                None => waiting.push_back(oid),
            }
        }
        self.queue = waiting;
    }

    /// Advances every vehicle by one minute.
    fn advance(&mut self) {
        let now = self.now;
        for vehicle in self.vehicles.iter_mut() {
            let (oid, target) = match vehicle.task {
                Task::Idle => continue,
                Task::ToPickup(o) => (o, self.orders[o].pickup),
                Task::ToDropoff(o) => (o, self.orders[o].dropoff),
            };
            vehicle.busy_minutes += 1;
            let (next, arrived) = vehicle.pos.step_towards(target, vehicle.speed);
            vehicle.km += vehicle.pos.distance(next);
            vehicle.pos = next;
            if !arrived {
                continue;
            }
            let order = &mut self.orders[oid];
            match vehicle.task {
                Task::ToPickup(_) => {
                    order.status = OrderStatus::PickedUp;
                    order.picked = Some(now);
                    vehicle.task = Task::ToDropoff(oid);
                    println!("[t={:>3}] {:<7} picked up order #{}", now, vehicle.name, oid);
                }
                Task::ToDropoff(_) => {
                    order.status = OrderStatus::Delivered;
                    order.delivered = Some(now);
                    vehicle.task = Task::Idle;
                    vehicle.deliveries += 1;
                    println!(
                        "[t={:>3}] {:<7} delivered order #{} ({} min after it was placed)",
                        now,
                        vehicle.name,
                        oid,
                        now - order.created
                    );
                }
                Task::Idle => {}
            }
        }
    }

    fn all_done(&self) -> bool {
        self.orders.iter().all(|o| o.status == OrderStatus::Delivered)
    }

    fn snapshot(&self) {
        println!("---- snapshot at t={} ----", self.now);
        for v in &self.vehicles {
            let task = match v.task {
                Task::Idle => "idle".to_string(),
                Task::ToPickup(o) => format!("-> pickup #{}", o),
                Task::ToDropoff(o) => format!("-> dropoff #{}", o),
            };
            println!("  {:<7} at {}  {:<16} {:>6.1} km driven", v.name, v.pos, task, v.km);
        }
        let waiting = self
            .orders
            .iter()
            .filter(|o| o.status == OrderStatus::Pending)
            .count();
        println!("  orders waiting for a vehicle: {}", waiting);
    }

    fn report(&self) {
        let delivered: Vec<&Order> = self
            .orders
            .iter()
            .filter(|o| o.status == OrderStatus::Delivered)
            .collect();
        println!("\n==== fleet report after {} minutes ====", self.now);
        println!("orders: {} placed, {} delivered", self.orders.len(), delivered.len());
        if !delivered.is_empty() {
            let n = delivered.len() as f64;
            let wait: u32 = delivered
                .iter()
                .filter_map(|o| o.assigned.map(|a| a - o.created))
                .sum();
            let pickup: u32 = delivered
                .iter()
                .filter_map(|o| Some(o.picked? - o.assigned?))
                .sum();
            let total: u32 = delivered
                .iter()
                .filter_map(|o| o.delivered.map(|d| d - o.created))
                .sum();
            let trip_km: f64 = delivered.iter().map(|o| o.pickup.distance(o.dropoff)).sum();
            println!("avg wait for a vehicle   {:>6.1} min", wait as f64 / n);
            println!("avg time to pickup       {:>6.1} min", pickup as f64 / n);
            println!("avg order-to-door time   {:>6.1} min", total as f64 / n);
            println!("avg trip length          {:>6.1} km", trip_km / n);
        }
        println!("\nvehicle  deliveries   km driven  utilisation");
        for v in &self.vehicles {
            println!(
                "  {:<7} {:>8} {:>11.1} {:>11.0}%",
                v.name,
                v.deliveries,
                v.km,
                v.busy_minutes as f64 * 100.0 / self.now.max(1) as f64
            );
        }
        let unfinished: Vec<usize> = self
            .orders
            .iter()
            .filter(|o| o.status != OrderStatus::Delivered)
            .map(|o| o.id)
            .collect();
        if !unfinished.is_empty() {
            let owners: Vec<String> = unfinished
                .iter()
                .map(|&id| match self.orders[id].vehicle {
                    Some(v) => format!("#{} ({})", id, self.vehicles[v].name),
                    None => format!("#{} (unassigned)", id),
                })
                .collect();
            println!("still open: {}", owners.join(", "));
        }
    }
}

fn random_point(rng: &mut StdRng) -> Point {
    Point::new(rng.gen_range(0.0..20.0), rng.gen_range(0.0..20.0))
}

fn main() {
    let mut rng = StdRng::seed_from_u64(2024);
    let mut fleet = Fleet::new();
    fleet.add_vehicle("VAN-1", Point::new(2.0, 2.0), 36.0);
    fleet.add_vehicle("VAN-2", Point::new(18.0, 3.0), 36.0);
    fleet.add_vehicle("BIKE-1", Point::new(10.0, 10.0), 18.0);
    fleet.add_vehicle("TRUCK-1", Point::new(5.0, 16.0), 27.0);
    fleet.add_vehicle("VAN-3", Point::new(15.0, 15.0), 36.0);

    let order_window = 120;
    let max_minutes = 300;
    for minute in 0..=max_minutes {
        fleet.now = minute;
        if minute < order_window && rng.gen_bool(0.3) {
            let pickup = random_point(&mut rng);
            let dropoff = random_point(&mut rng);
            fleet.add_order(pickup, dropoff);
        }
        fleet.dispatch();
        fleet.advance();
        if minute % 30 == 0 && minute > 0 {
            fleet.snapshot();
        }
        if minute >= order_window && fleet.all_done() {
            break;
        }
    }
    fleet.report();
}
