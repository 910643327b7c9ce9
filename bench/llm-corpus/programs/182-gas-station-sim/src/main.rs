//! Gas station simulation over one business day (06:00-22:00).
//!
//! Pumps of different kinds live behind `Box<dyn Pump>` in a registry keyed by
//! name. Generic helper methods (closures as predicates/selectors) come from the
//! `PumpExt` extension trait, which is implemented for every `Pump`, including
//! `dyn Pump`, so they can be called on the boxed trait objects.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt;

const OPEN_MINUTES: u32 = 16 * 60;
const OPENING_HOUR: u32 = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Fuel {
    Regular,
    Premium,
    Diesel,
    Electric,
}

impl Fuel {
    const ALL: [Fuel; 4] = [Fuel::Regular, Fuel::Premium, Fuel::Diesel, Fuel::Electric];

    fn unit(self) -> &'static str {
        if self == Fuel::Electric {
            "kWh"
        } else {
            "L"
        }
    }
}

impl fmt::Display for Fuel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Fuel::Regular => "Regular 95",
            Fuel::Premium => "Premium 98",
            Fuel::Diesel => "Diesel",
            Fuel::Electric => "Electric",
        };
        f.pad(name)
    }
}

#[derive(Debug, Clone)]
struct Car {
    id: u32,
    fuel: Fuel,
    amount: f64,
    arrived: u32,
    patience: u32,
    is_truck: bool,
}

#[derive(Debug, Clone)]
struct Sale {
    car_id: u32,
    fuel: Fuel,
    amount: f64,
    revenue: f64,
    start: u32,
    minutes: u32,
    waited: u32,
}

#[derive(Debug)]
struct PumpCore {
    name: String,
    busy_until: u32,
    sales: Vec<Sale>,
}

impl PumpCore {
    fn new(name: &str) -> Self {
        PumpCore { name: name.to_string(), busy_until: 0, sales: Vec::new() }
    }
}

/// Object-safe core behaviour of a pump.
trait Pump {
    fn core(&self) -> &PumpCore;
    fn core_mut(&mut self) -> &mut PumpCore;
    fn kind(&self) -> &'static str;
    fn supports(&self, car: &Car) -> bool;
    fn rate_per_minute(&self, fuel: Fuel) -> f64;

    fn setup_minutes(&self) -> u32 {
        2
    }
    fn name(&self) -> &str {
        &self.core().name
    }
    fn busy_until(&self) -> u32 {
        self.core().busy_until
    }
    fn sales(&self) -> &[Sale] {
        &self.core().sales
    }
    fn start_sale(&mut self, sale: Sale) {
        let core = self.core_mut();
        core.busy_until = sale.start + sale.minutes;
        core.sales.push(sale);
    }
}

/// Generic helpers, available on every pump including `dyn Pump`.
trait PumpExt: Pump {
    fn is_free_at(&self, minute: u32) -> bool {
        self.busy_until() <= minute
    }

    fn service_minutes(&self, car: &Car) -> u32 {
        let pumping = car.amount / self.rate_per_minute(car.fuel);
        self.setup_minutes() + pumping.ceil() as u32
    }

    fn sum_where<P, V>(&self, pred: P, value: V) -> f64
    where
        P: Fn(&Sale) -> bool,
        V: Fn(&Sale) -> f64,
    {
        self.sales().iter().filter(|s| pred(*s)).map(|s| value(s)).sum()
    }

    fn count_where<P: Fn(&Sale) -> bool>(&self, pred: P) -> usize {
        self.sales().iter().filter(|s| pred(*s)).count()
    }

    fn utilisation(&self, horizon: u32) -> f64 {
        let busy: u32 = self.sales().iter().map(|s| s.minutes).sum();
        busy as f64 / horizon.max(1) as f64 * 100.0
    }
}

impl<T: Pump + ?Sized> PumpExt for T {}

struct StandardPump {
    core: PumpCore,
}

impl Pump for StandardPump {
    fn core(&self) -> &PumpCore {
        &self.core
    }
    fn core_mut(&mut self) -> &mut PumpCore {
        &mut self.core
    }
    fn kind(&self) -> &'static str {
        "standard"
    }
    fn supports(&self, car: &Car) -> bool {
        !car.is_truck && car.fuel != Fuel::Electric
    }
    fn rate_per_minute(&self, _fuel: Fuel) -> f64 {
        35.0
    }
}

struct TruckLane {
    core: PumpCore,
}

impl Pump for TruckLane {
    fn core(&self) -> &PumpCore {
        &self.core
    }
    fn core_mut(&mut self) -> &mut PumpCore {
        &mut self.core
    }
    fn kind(&self) -> &'static str {
        "truck lane"
    }
    fn supports(&self, car: &Car) -> bool {
        car.fuel == Fuel::Diesel
    }
    fn rate_per_minute(&self, _fuel: Fuel) -> f64 {
        90.0
    }
    fn setup_minutes(&self) -> u32 {
        4
    }
}

struct EvCharger {
    core: PumpCore,
    kilowatts: f64,
}

impl Pump for EvCharger {
    fn core(&self) -> &PumpCore {
        &self.core
    }
    fn core_mut(&mut self) -> &mut PumpCore {
        &mut self.core
    }
    fn kind(&self) -> &'static str {
        "EV charger"
    }
    fn supports(&self, car: &Car) -> bool {
        car.fuel == Fuel::Electric
    }
    fn rate_per_minute(&self, _fuel: Fuel) -> f64 {
        self.kilowatts / 60.0
    }
    fn setup_minutes(&self) -> u32 {
        1
    }
}

struct Station {
    pumps: Vec<Box<dyn Pump>>,
    registry: HashMap<String, usize>,
    prices: HashMap<Fuel, f64>,
    queue: VecDeque<Car>,
    lost: Vec<Car>,
    max_queue: usize,
}

impl Station {
    fn new(prices: HashMap<Fuel, f64>) -> Self {
        Station {
            pumps: Vec::new(),
            registry: HashMap::new(),
            prices,
            queue: VecDeque::new(),
            lost: Vec::new(),
            max_queue: 0,
        }
    }

    fn register(&mut self, pump: Box<dyn Pump>) {
        self.registry.insert(pump.name().to_string(), self.pumps.len());
        self.pumps.push(pump);
    }

    fn pump(&self, name: &str) -> Option<&dyn Pump> {
        self.registry.get(name).map(|&i| self.pumps[i].as_ref())
    }

    fn arrive(&mut self, car: Car) {
        self.queue.push_back(car);
        self.max_queue = self.max_queue.max(self.queue.len());
    }

    fn tick(&mut self, now: u32) {
        let (waiting, gave_up): (VecDeque<Car>, VecDeque<Car>) =
            self.queue.drain(..).partition(|c| now - c.arrived <= c.patience);
        self.queue = waiting;
        self.lost.extend(gave_up);

        for i in 0..self.pumps.len() {
            if !self.pumps[i].is_free_at(now) {
                continue;
            }
            let Some(pos) = self.queue.iter().position(|c| self.pumps[i].supports(c)) else {
                continue;
            };
            let car = self.queue.remove(pos).expect("position is valid");
            let minutes = self.pumps[i].service_minutes(&car);
            let price = self.prices[&car.fuel];
            let revenue = (car.amount * price * 100.0).round() / 100.0;
            self.pumps[i].start_sale(Sale {
                car_id: car.id,
                fuel: car.fuel,
                amount: car.amount,
                revenue,
                start: now,
                minutes,
                waited: now - car.arrived,
            });
        }
    }
}

fn clock(minute: u32) -> String {
    format!("{:02}:{:02}", OPENING_HOUR + minute / 60, minute % 60)
}

fn arrival_probability(minute: u32) -> f64 {
    match OPENING_HOUR + minute / 60 {
        7..=8 | 16..=18 => 0.45,
        12..=13 => 0.30,
        21 => 0.10,
        _ => 0.20,
    }
}

fn random_car(rng: &mut StdRng, id: u32, now: u32) -> Car {
    let fuel = match rng.gen_range(0..100) {
        0..=54 => Fuel::Regular,
        55..=69 => Fuel::Premium,
        70..=91 => Fuel::Diesel,
        _ => Fuel::Electric,
    };
    let is_truck = fuel == Fuel::Diesel && rng.gen_bool(0.15);
    let amount: f64 = match fuel {
        Fuel::Electric => rng.gen_range(15.0..55.0),
        Fuel::Diesel if is_truck => rng.gen_range(150.0..350.0),
        Fuel::Diesel => rng.gen_range(25.0..70.0),
        _ => rng.gen_range(15.0..55.0),
    };
    let patience = if fuel == Fuel::Electric { rng.gen_range(20..60) } else { rng.gen_range(4..15) };
    Car { id, fuel, amount: (amount * 10.0).round() / 10.0, arrived: now, patience, is_truck }
}

fn report(station: &Station, closing: u32) {
    println!("\n=== Pumps ===");
    println!("{:<11} {:<11} {:>6} {:>12} {:>7}", "pump", "kind", "sales", "revenue", "util%");
    for pump in &station.pumps {
        let revenue = pump.sum_where(|_| true, |s| s.revenue);
        println!(
            "{:<11} {:<11} {:>6} {:>12.2} {:>6.1}%",
            pump.name(),
            pump.kind(),
            pump.sales().len(),
            revenue,
            pump.utilisation(closing)
        );
    }

    println!("\n=== Fuel types ===");
    println!("{:<11} {:>9} {:>12} {:>12} {:>6}", "fuel", "customers", "volume", "revenue", "lost");
    for fuel in Fuel::ALL {
        let volume: f64 = station.pumps.iter().map(|p| p.sum_where(|s| s.fuel == fuel, |s| s.amount)).sum();
        let revenue: f64 = station.pumps.iter().map(|p| p.sum_where(|s| s.fuel == fuel, |s| s.revenue)).sum();
        let customers: usize = station.pumps.iter().map(|p| p.count_where(|s| s.fuel == fuel)).sum();
        let lost = station.lost.iter().filter(|c| c.fuel == fuel).count();
        println!(
            "{:<11} {:>9} {:>8.1} {:<3} {:>12.2} {:>6}",
            fuel,
            customers,
            volume,
            fuel.unit(),
            revenue,
            lost
        );
    }

    let all_sales: Vec<&Sale> = station.pumps.iter().flat_map(|p| p.sales().iter()).collect();
    let total_revenue: f64 = all_sales.iter().map(|s| s.revenue).sum();
    let avg_wait = if all_sales.is_empty() {
        0.0
    } else {
        all_sales.iter().map(|s| s.waited as f64).sum::<f64>() / all_sales.len() as f64
    };
    let trucks_lost = station.lost.iter().filter(|c| c.is_truck).count();

    println!("\n=== Hourly revenue ===");
    let mut hourly: BTreeMap<u32, f64> = BTreeMap::new();
    for s in &all_sales {
        *hourly.entry(OPENING_HOUR + s.start / 60).or_insert(0.0) += s.revenue;
    }
    for (hour, revenue) in &hourly {
        let bar = "#".repeat((revenue / 40.0).round() as usize);
        println!("{:02}:00 {:>9.2} {}", hour, revenue, bar);
    }

    println!("\n=== Day summary ===");
    println!("customers served : {}", all_sales.len());
    println!("customers lost   : {} ({} trucks)", station.lost.len(), trucks_lost);
    println!("average wait     : {:.1} min", avg_wait);
    println!("longest queue    : {} cars", station.max_queue);
    println!("daily revenue    : {:.2}", total_revenue);

    println!("\n=== Registry lookups ===");
    for name in ["EV-2", "Truck-Lane", "Pump-9"] {
        match station.pump(name) {
            Some(p) => println!(
                "{name}: {} with {} sales, busiest wait {} min",
                p.kind(),
                p.sales().len(),
                p.sales().iter().map(|s| s.waited).max().unwrap_or(0)
            ),
            None => println!("{name}: no such pump registered"),
        }
    }
}

fn main() {
    let mut rng = StdRng::seed_from_u64(2024);
    let prices: HashMap<Fuel, f64> = [
        (Fuel::Regular, 1.79),
        (Fuel::Premium, 1.94),
        (Fuel::Diesel, 1.69),
        (Fuel::Electric, 0.59),
    ]
    .into_iter()
    .collect();

    let mut station = Station::new(prices);
    station.register(Box::new(StandardPump { core: PumpCore::new("Pump-1") }));
    station.register(Box::new(StandardPump { core: PumpCore::new("Pump-2") }));
    station.register(Box::new(StandardPump { core: PumpCore::new("Pump-3") }));
    station.register(Box::new(TruckLane { core: PumpCore::new("Truck-Lane") }));
    station.register(Box::new(EvCharger { core: PumpCore::new("EV-1"), kilowatts: 50.0 }));
    station.register(Box::new(EvCharger { core: PumpCore::new("EV-2"), kilowatts: 150.0 }));

    let mut next_id = 1;
    let mut now = 0;
    loop {
        if now < OPEN_MINUTES && rng.gen_bool(arrival_probability(now)) {
            let car = random_car(&mut rng, next_id, now);
            if next_id <= 8 {
                println!(
                    "{} car #{} arrives: {} {:.1} {}{}",
                    clock(now),
                    car.id,
                    car.fuel,
                    car.amount,
                    car.fuel.unit(),
                    if car.is_truck { " (truck)" } else { "" }
                );
            }
            station.arrive(car);
            next_id += 1;
        }
        station.tick(now);
        now += 1;
        if now >= OPEN_MINUTES && station.queue.is_empty() {
            break;
        }
    }
    let closing = station.pumps.iter().map(|p| p.busy_until()).max().unwrap_or(now).max(now);
    println!("... {} cars arrived; last customer finished at {}", next_id - 1, clock(closing));

    report(&station, closing);
}
