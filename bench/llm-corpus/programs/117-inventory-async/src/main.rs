//! inventory-async: an async inventory service. Customer tasks reserve,
//! release and commit stock concurrently; stock lives behind a tokio RwLock.
//! The operation log is analysed with itertools iterator chains.

use itertools::Itertools;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, RwLock};
use tokio::time::sleep;

#[derive(Debug, Clone)]
struct Item {
    sku: &'static str,
    name: &'static str,
    on_hand: u32,
    reserved: u32,
    reorder_level: u32,
}

impl Item {
    fn available(&self) -> u32 {
        self.on_hand - self.reserved
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum OpKind {
    Reserve,
    Release,
    Commit,
    Rejected,
}

#[derive(Debug, Clone)]
struct Op {
    seq: u64,
    customer: usize,
    sku: &'static str,
    qty: u32,
    kind: OpKind,
}

#[derive(Debug)]
enum InvError {
    UnknownSku(String),
    Insufficient { sku: &'static str, wanted: u32, available: u32 },
    NotReserved { sku: &'static str, qty: u32 },
}

struct Inventory {
    items: RwLock<HashMap<&'static str, Item>>,
    log: Mutex<Vec<Op>>,
}

impl Inventory {
    fn new(items: Vec<Item>) -> Self {
        Inventory { items: RwLock::new(items.into_iter().map(|i| (i.sku, i)).collect()), log: Mutex::new(Vec::new()) }
    }

    async fn record(&self, customer: usize, sku: &'static str, qty: u32, kind: OpKind) {
        let mut log = self.log.lock().await;
        let seq = log.len() as u64;
        log.push(Op { seq, customer, sku, qty, kind });
    }

    async fn available(&self, sku: &str) -> Option<u32> {
        self.items.read().await.get(sku).map(Item::available)
    }

    async fn reserve(&self, customer: usize, sku: &str, qty: u32) -> Result<(), InvError> {
        let result = {
            let mut items = self.items.write().await;
            let item = items.get_mut(sku).ok_or_else(|| InvError::UnknownSku(sku.to_string()))?;
            if item.available() < qty {
                Err(InvError::Insufficient { sku: item.sku, wanted: qty, available: item.available() })
            } else {
                item.reserved += qty;
                Ok(item.sku)
            }
        };
        match result {
            Ok(sku) => {
                self.record(customer, sku, qty, OpKind::Reserve).await;
                Ok(())
            }
            Err(e) => {
                if let InvError::Insufficient { sku, wanted, .. } = &e {
                    self.record(customer, sku, *wanted, OpKind::Rejected).await;
                }
                Err(e)
            }
        }
    }

    async fn release(&self, customer: usize, sku: &'static str, qty: u32) -> Result<(), InvError> {
        {
            let mut items = self.items.write().await;
            let item = items.get_mut(sku).ok_or_else(|| InvError::UnknownSku(sku.to_string()))?;
            if item.reserved < qty {
                return Err(InvError::NotReserved { sku, qty });
            }
            item.reserved -= qty;
        }
        self.record(customer, sku, qty, OpKind::Release).await;
        Ok(())
    }

    async fn commit(&self, customer: usize, sku: &'static str, qty: u32) -> Result<(), InvError> {
        {
            let mut items = self.items.write().await;
            let item = items.get_mut(sku).ok_or_else(|| InvError::UnknownSku(sku.to_string()))?;
            if item.reserved < qty {
                return Err(InvError::NotReserved { sku, qty });
            }
            item.reserved -= qty;
            item.on_hand -= qty;
        }
        self.record(customer, sku, qty, OpKind::Commit).await;
        Ok(())
    }
}

/// Items whose available stock is at or below their reorder level.
fn low_stock(items: &HashMap<&'static str, Item>) -> impl Iterator<Item = &Item> + '_ {
    items.values().filter(|i| i.available() <= i.reorder_level).sorted_by_key(|i| (i.available(), i.sku))
}

/// Per-SKU net quantity for each kind of operation.
fn totals_by_sku(log: &[Op]) -> impl Iterator<Item = (&'static str, HashMap<OpKind, u32>)> + '_ {
    let grouped = log.iter().sorted_by_key(|op| op.sku).group_by(|op| op.sku);
    let totals: Vec<_> = grouped
        .into_iter()
        .map(|(sku, ops)| {
            let per_kind = ops.fold(HashMap::new(), |mut acc: HashMap<OpKind, u32>, op| {
                *acc.entry(op.kind).or_default() += op.qty;
                acc
            });
            (sku, per_kind)
        })
        .collect();
    totals.into_iter()
}

async fn customer(id: usize, inv: Arc<Inventory>, skus: Vec<&'static str>) -> (usize, u32, u32) {
    let mut rng = StdRng::seed_from_u64(id as u64 * 31 + 7);
    let (mut bought, mut failed) = (0, 0);
    let mut held: Vec<(&'static str, u32)> = Vec::new();
    for _ in 0..12 {
        let sku = skus[rng.gen_range(0..skus.len())];
        let qty = rng.gen_range(1..=4);
        match inv.reserve(id, sku, qty).await {
            Ok(()) => held.push((sku, qty)),
            Err(_) => failed += 1,
        }
        sleep(Duration::from_millis(rng.gen_range(1..5))).await;
        // Sometimes decide on a held reservation: buy it or put it back.
        if !held.is_empty() && rng.gen_bool(0.5) {
            let (sku, qty) = held.swap_remove(rng.gen_range(0..held.len()));
            if rng.gen_bool(0.6) {
                if inv.commit(id, sku, qty).await.is_ok() {
                    bought += qty;
                }
            } else {
                let _ = inv.release(id, sku, qty).await;
            }
        }
    }
    // Abandoned carts: release whatever is still held.
    for (sku, qty) in held {
        let _ = inv.release(id, sku, qty).await;
    }
    (id, bought, failed)
}

#[tokio::main]
async fn main() {
    let catalog = vec![
        Item { sku: "KB-01", name: "Mechanical keyboard", on_hand: 25, reserved: 0, reorder_level: 5 },
        Item { sku: "MS-02", name: "Wireless mouse", on_hand: 40, reserved: 0, reorder_level: 8 },
        Item { sku: "MN-27", name: "27\" monitor", on_hand: 12, reserved: 0, reorder_level: 3 },
        Item { sku: "HD-10", name: "USB-C hub", on_hand: 18, reserved: 0, reorder_level: 4 },
        Item { sku: "CB-03", name: "HDMI cable", on_hand: 60, reserved: 0, reorder_level: 10 },
    ];
    let initial: HashMap<&str, u32> = catalog.iter().map(|i| (i.sku, i.on_hand)).collect();
    let skus: Vec<&'static str> = catalog.iter().map(|i| i.sku).collect();
    let inv = Arc::new(Inventory::new(catalog));

    if let Err(e) = inv.reserve(0, "XX-99", 1).await {
        println!("expected error: {e:?}");
    }

    let handles: Vec<_> = (1..=8).map(|id| tokio::spawn(customer(id, Arc::clone(&inv), skus.clone()))).collect();

    // A reader polls availability while the customers work.
    let monitor = {
        let inv = Arc::clone(&inv);
        tokio::spawn(async move {
            let mut snapshots = Vec::new();
            for _ in 0..5 {
                sleep(Duration::from_millis(8)).await;
                snapshots.push(inv.available("MN-27").await.unwrap_or(0));
            }
            snapshots
        })
    };

    let mut results = Vec::new();
    for h in handles {
        results.push(h.await.expect("customer task panicked"));
    }
    let snapshots = monitor.await.expect("monitor panicked");

    println!("Customers (id, units bought, failed reservations):");
    for (id, bought, failed) in results.iter().sorted_by_key(|r| std::cmp::Reverse(r.1)) {
        println!("  customer {id}: bought {bought:>2}, {failed} rejected");
    }
    println!("MN-27 availability seen by monitor: {snapshots:?}");

    let items = inv.items.read().await;
    let log = inv.log.lock().await;
    println!("\n{} operations logged", log.len());

    println!("\n{:<6} {:<20} {:>7} {:>8} {:>8} {:>8} {:>8}  check", "sku", "name", "start", "reserve", "release", "commit", "on hand");
    for (sku, per_kind) in totals_by_sku(&log) {
        let item = &items[sku];
        let get = |k| per_kind.get(&k).copied().unwrap_or(0);
        let consistent = initial[sku] - get(OpKind::Commit) == item.on_hand
            && get(OpKind::Reserve) == get(OpKind::Release) + get(OpKind::Commit) + item.reserved;
        println!(
            "{:<6} {:<20} {:>7} {:>8} {:>8} {:>8} {:>8}  {}",
            sku,
            item.name,
            initial[sku],
            get(OpKind::Reserve),
            get(OpKind::Release),
            get(OpKind::Commit),
            item.on_hand,
            if consistent { "ok" } else { "INCONSISTENT" }
        );
    }

    let rejected_by_customer = log.iter().filter(|op| op.kind == OpKind::Rejected).counts_by(|op| op.customer);
    println!("\nRejected reservations per customer: {:?}", rejected_by_customer.iter().sorted().collect_vec());
    let busiest = log.iter().map(|op| op.sku).counts().into_iter().max_by_key(|(_, n)| *n);
    if let Some((sku, n)) = busiest {
        println!("Busiest SKU: {sku} ({n} operations)");
    }
    let last_seq = log.last().map(|op| op.seq).unwrap_or(0);
    println!("Last sequence number: {last_seq}");

    println!("\nLow stock:");
    let mut any = false;
    for item in low_stock(&items) {
        any = true;
        println!("  {} {} — {} available (reorder at {})", item.sku, item.name, item.available(), item.reorder_level);
    }
    if !any {
        println!("  none");
    }
}
