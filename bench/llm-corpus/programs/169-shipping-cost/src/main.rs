//! Shipping cost calculator: every parcel is quoted by every carrier
//! (billable weight from actual vs. dimensional weight, zone multipliers,
//! oversize and fuel surcharges) and the cheapest valid option is chosen.
//!
//! Worker tasks spawned with `tokio::spawn` pull parcels from a shared queue
//! (`Arc<Mutex<..>>`), read the carrier rate tables through an `RwLock`, and
//! record decisions and per-carrier totals in shared state.

use rand::{rngs::StdRng, Rng, SeedableRng};
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use tokio::sync::{Mutex, RwLock};
use tokio::time::{sleep, Duration};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Zone {
    Local,
    Regional,
    National,
    International,
}

#[derive(Debug, Clone)]
struct Parcel {
    id: String,
    weight_kg: f64,
    dims_cm: (f64, f64, f64),
    zone: Zone,
}

#[derive(Debug, Clone)]
struct Carrier {
    name: &'static str,
    base_fee: f64,
    per_kg: f64,
    dim_divisor: f64,
    max_weight_kg: f64,
    max_length_cm: f64,
    zone_multipliers: HashMap<Zone, f64>,
    oversize_threshold_cm: f64,
    oversize_fee: f64,
    fuel_surcharge: f64,
}

#[derive(Debug, Clone)]
struct Quote {
    carrier: &'static str,
    billable_kg: f64,
    cost: f64,
}

#[derive(Debug, Clone)]
enum Decision {
    Cheapest { parcel: Parcel, best: Quote, runner_up: Option<Quote>, rejected: Vec<String> },
    Unshippable { parcel: Parcel, reasons: Vec<String> },
}

impl Decision {
    fn parcel(&self) -> &Parcel {
        match self {
            Decision::Cheapest { parcel, .. } | Decision::Unshippable { parcel, .. } => parcel,
        }
    }
}

fn round_up_half_kg(kg: f64) -> f64 {
    (kg * 2.0).ceil() / 2.0
}

impl Carrier {
    fn quote(&self, p: &Parcel) -> Result<Quote, String> {
        let multiplier = self
            .zone_multipliers
            .get(&p.zone)
            .ok_or_else(|| format!("{} does not serve {:?}", self.name, p.zone))?;
        if p.weight_kg > self.max_weight_kg {
            return Err(format!("{}: {:.1} kg exceeds limit of {} kg", self.name, p.weight_kg, self.max_weight_kg));
        }
        let (l, w, h) = p.dims_cm;
        let longest = l.max(w).max(h);
        if longest > self.max_length_cm {
            return Err(format!("{}: {longest:.0} cm side exceeds {} cm", self.name, self.max_length_cm));
        }
        let dim_weight = l * w * h / self.dim_divisor;
        let billable_kg = round_up_half_kg(p.weight_kg.max(dim_weight));
        let mut cost = (self.base_fee + self.per_kg * billable_kg) * multiplier;
        if longest > self.oversize_threshold_cm {
            cost += self.oversize_fee;
        }
        cost *= 1.0 + self.fuel_surcharge;
        Ok(Quote { carrier: self.name, billable_kg, cost: (cost * 100.0).round() / 100.0 })
    }
}

fn decide(carriers: &[Carrier], parcel: Parcel) -> Decision {
    let (mut quotes, mut rejected) = (Vec::new(), Vec::new());
    for c in carriers {
        match c.quote(&parcel) {
            Ok(q) => quotes.push(q),
            Err(reason) => rejected.push(reason),
        }
    }
    quotes.sort_by(|a, b| a.cost.partial_cmp(&b.cost).unwrap_or(std::cmp::Ordering::Equal));
    let mut quotes = quotes.into_iter();
    match quotes.next() {
        Some(best) => Decision::Cheapest { parcel, best, runner_up: quotes.next(), rejected },
        None => Decision::Unshippable { parcel, reasons: rejected },
    }
}

struct Shared {
    queue: Mutex<VecDeque<Parcel>>,
    carriers: RwLock<Vec<Carrier>>,
    decisions: Mutex<Vec<(usize, Decision)>>,
    carrier_totals: Mutex<HashMap<&'static str, (usize, f64)>>,
}

#[derive(Debug)]
struct WorkerReport {
    id: usize,
    processed: usize,
}

async fn worker(id: usize, shared: Arc<Shared>) -> WorkerReport {
    let mut processed = 0;
    loop {
        let next = shared.queue.lock().await.pop_front();
        let Some(parcel) = next else { break };
        let decision = {
            let carriers = shared.carriers.read().await;
            decide(&carriers, parcel)
        };
        // Simulate the latency of booking the label with the carrier's API.
        sleep(Duration::from_millis(3 + (id as u64 * 2))).await;
        if let Decision::Cheapest { best, .. } = &decision {
            let mut totals = shared.carrier_totals.lock().await;
            let entry = totals.entry(best.carrier).or_insert((0, 0.0));
            entry.0 += 1;
            entry.1 += best.cost;
        }
        shared.decisions.lock().await.push((id, decision));
        processed += 1;
    }
    WorkerReport { id, processed }
}

fn carriers() -> Vec<Carrier> {
    use Zone::*;
    vec![
        Carrier {
            name: "SwiftPost",
            base_fee: 4.50,
            per_kg: 1.20,
            dim_divisor: 5000.0,
            max_weight_kg: 30.0,
            max_length_cm: 150.0,
            zone_multipliers: HashMap::from([(Local, 1.0), (Regional, 1.3), (National, 1.7), (International, 3.2)]),
            oversize_threshold_cm: 100.0,
            oversize_fee: 12.0,
            fuel_surcharge: 0.05,
        },
        Carrier {
            name: "CargoLine",
            base_fee: 9.00,
            per_kg: 0.65,
            dim_divisor: 6000.0,
            max_weight_kg: 70.0,
            max_length_cm: 250.0,
            zone_multipliers: HashMap::from([(Regional, 1.1), (National, 1.3), (International, 2.4)]),
            oversize_threshold_cm: 150.0,
            oversize_fee: 20.0,
            fuel_surcharge: 0.08,
        },
        Carrier {
            name: "CityCourier",
            base_fee: 3.00,
            per_kg: 2.10,
            dim_divisor: 4000.0,
            max_weight_kg: 10.0,
            max_length_cm: 80.0,
            zone_multipliers: HashMap::from([(Local, 1.0), (Regional, 1.6)]),
            oversize_threshold_cm: 60.0,
            oversize_fee: 5.0,
            fuel_surcharge: 0.03,
        },
        Carrier {
            name: "GlobeFreight",
            base_fee: 15.00,
            per_kg: 0.90,
            dim_divisor: 5000.0,
            max_weight_kg: 100.0,
            max_length_cm: 300.0,
            zone_multipliers: HashMap::from([(National, 1.0), (International, 1.6)]),
            oversize_threshold_cm: 200.0,
            oversize_fee: 30.0,
            fuel_surcharge: 0.10,
        },
    ]
}

fn parcels(seed: u64, n: usize) -> Vec<Parcel> {
    let mut rng = StdRng::seed_from_u64(seed);
    let zones = [Zone::Local, Zone::Regional, Zone::National, Zone::International];
    let mut out: Vec<Parcel> = (0..n)
        .map(|i| {
            let heavy = rng.gen_bool(0.15);
            Parcel {
                id: format!("P{:03}", i + 1),
                weight_kg: if heavy { rng.gen_range(20.0..90.0) } else { rng.gen_range(0.2..12.0) },
                dims_cm: (rng.gen_range(10.0..120.0), rng.gen_range(10.0..60.0), rng.gen_range(5.0..50.0)),
                zone: zones[rng.gen_range(0..zones.len())],
            }
        })
        .collect();
    // A few hand-picked edge cases.
    out.push(Parcel { id: "X-LIGHT-BULKY".into(), weight_kg: 1.0, dims_cm: (90.0, 70.0, 60.0), zone: Zone::Regional });
    out.push(Parcel { id: "X-TOO-HEAVY".into(), weight_kg: 150.0, dims_cm: (100.0, 80.0, 80.0), zone: Zone::International });
    out.push(Parcel { id: "X-LONG-LOCAL".into(), weight_kg: 4.0, dims_cm: (160.0, 10.0, 10.0), zone: Zone::Local });
    out
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let shared = Arc::new(Shared {
        queue: Mutex::new(parcels(7, 20).into()),
        carriers: RwLock::new(carriers()),
        decisions: Mutex::new(Vec::new()),
        carrier_totals: Mutex::new(HashMap::new()),
    });

    // Rates change before the run: a fuel surcharge increase for everyone.
    {
        let mut carriers = shared.carriers.write().await;
        for c in carriers.iter_mut() {
            c.fuel_surcharge += 0.02;
        }
        println!("fuel surcharges raised by 2 points for {} carriers", carriers.len());
    }

    let handles: Vec<_> = (1..=4).map(|id| tokio::spawn(worker(id, Arc::clone(&shared)))).collect();
    let mut reports = Vec::new();
    for h in handles {
        reports.push(h.await?);
    }
    for r in &reports {
        println!("worker {} processed {} parcel(s)", r.id, r.processed);
    }

    let mut decisions = std::mem::take(&mut *shared.decisions.lock().await);
    decisions.sort_by(|a, b| a.1.parcel().id.cmp(&b.1.parcel().id));

    println!(
        "\n{:<14}{:>7}{:>18}  {:<14}{:<13}{:>8}{:>9}{:>7}",
        "parcel", "kg", "dims (cm)", "zone", "carrier", "bill kg", "cost", "saves"
    );
    let mut unshippable = Vec::new();
    for (worker_id, decision) in &decisions {
        match decision {
            Decision::Cheapest { parcel, best, runner_up, rejected } => {
                let (l, w, h) = parcel.dims_cm;
                let saving = runner_up.as_ref().map_or("-".to_string(), |r| format!("{:.2}", r.cost - best.cost));
                println!(
                    "{:<14}{:>7.2}{:>18}  {:<14}{:<13}{:>8.1}{:>9.2}{:>7}  (w{worker_id}, {} carrier(s) unavailable)",
                    parcel.id,
                    parcel.weight_kg,
                    format!("{l:.0}x{w:.0}x{h:.0}"),
                    format!("{:?}", parcel.zone),
                    best.carrier,
                    best.billable_kg,
                    best.cost,
                    saving,
                    rejected.len()
                );
            }
            Decision::Unshippable { parcel, reasons } => unshippable.push((parcel, reasons)),
        }
    }

    if !unshippable.is_empty() {
        println!("\nUnshippable parcels:");
        for (parcel, reasons) in unshippable {
            println!("  {} ({:.1} kg, {:?}):", parcel.id, parcel.weight_kg, parcel.zone);
            for r in reasons {
                println!("    - {r}");
            }
        }
    }

    let totals = shared.carrier_totals.lock().await;
    let mut totals: Vec<(&&str, &(usize, f64))> = totals.iter().collect();
    totals.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
    println!("\nVolume by carrier:");
    let mut grand_total = 0.0;
    for (name, (count, cost)) in totals {
        grand_total += cost;
        println!("  {name:<13} {count:>3} parcel(s)  {cost:>9.2}");
    }
    println!("  {:<13} {:>3}            {grand_total:>9.2}", "total", decisions.len());
    Ok(())
}
