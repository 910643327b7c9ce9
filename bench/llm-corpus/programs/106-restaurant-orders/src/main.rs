//! restaurant-orders: menu, tables, orders with modifiers, a kitchen with
//! parallel stations, and bills split between diners. Waiters and kitchen
//! stations run on scoped threads connected by mpsc channels; results are
//! merged into bills at the end.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Station {
    Grill,
    Fryer,
    Cold,
    Bar,
}

#[derive(Debug, Clone)]
struct MenuItem {
    code: &'static str,
    name: &'static str,
    price: u32, // cents
    station: Station,
    prep_ms: u64,
}

#[derive(Debug, Clone, PartialEq)]
enum Modifier {
    Extra(&'static str, u32),
    Without(&'static str),
    Substitute { from: &'static str, to: &'static str, surcharge: u32 },
}

impl Modifier {
    fn price(&self) -> u32 {
        match self {
            Modifier::Extra(_, p) => *p,
            Modifier::Without(_) => 0,
            Modifier::Substitute { surcharge, .. } => *surcharge,
        }
    }
}

impl fmt::Display for Modifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Modifier::Extra(what, _) => write!(f, "+{what}"),
            Modifier::Without(what) => write!(f, "no {what}"),
            Modifier::Substitute { from, to, .. } => write!(f, "{from}->{to}"),
        }
    }
}

/// Who pays for a line: one diner, or shared equally by the whole table.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Payer {
    Diner(usize),
    Shared,
}

#[derive(Debug, Clone)]
struct OrderLine {
    table: u32,
    seq: usize,
    item: &'static MenuItem,
    modifiers: Vec<Modifier>,
    payer: Payer,
}

impl OrderLine {
    fn price(&self) -> u32 {
        self.item.price + self.modifiers.iter().map(Modifier::price).sum::<u32>()
    }
}

#[derive(Debug)]
struct Prepared {
    line: OrderLine,
    station: Station,
    ready_after: Duration,
}

static MENU: [MenuItem; 8] = [
    MenuItem { code: "BRG", name: "Burger", price: 1450, station: Station::Grill, prep_ms: 40 },
    MenuItem { code: "STK", name: "Ribeye steak", price: 2900, station: Station::Grill, prep_ms: 60 },
    MenuItem { code: "FRI", name: "Fries", price: 450, station: Station::Fryer, prep_ms: 20 },
    MenuItem { code: "CAL", name: "Calamari", price: 1100, station: Station::Fryer, prep_ms: 25 },
    MenuItem { code: "SAL", name: "Caesar salad", price: 950, station: Station::Cold, prep_ms: 15 },
    MenuItem { code: "TIR", name: "Tiramisu", price: 750, station: Station::Cold, prep_ms: 10 },
    MenuItem { code: "LEM", name: "Lemonade", price: 400, station: Station::Bar, prep_ms: 5 },
    MenuItem { code: "IPA", name: "IPA draft", price: 700, station: Station::Bar, prep_ms: 5 },
];

fn menu_item(code: &str) -> Option<&'static MenuItem> {
    MENU.iter().find(|m| m.code == code)
}

struct Table {
    number: u32,
    diners: usize,
    /// (code, modifiers, payer)
    order: Vec<(&'static str, Vec<Modifier>, Payer)>,
}

const TAX_RATE: f64 = 0.08;
const TIP_RATE: f64 = 0.18;

fn money(cents: f64) -> String {
    format!("${:.2}", cents / 100.0)
}

fn main() {
    let tables = vec![
        Table {
            number: 4,
            diners: 2,
            order: vec![
                ("BRG", vec![Modifier::Extra("bacon", 200), Modifier::Without("onion")], Payer::Diner(1)),
                ("SAL", vec![Modifier::Extra("chicken", 350)], Payer::Diner(2)),
                ("FRI", vec![], Payer::Shared),
                ("IPA", vec![], Payer::Diner(1)),
                ("LEM", vec![], Payer::Diner(2)),
            ],
        },
        Table {
            number: 7,
            diners: 3,
            order: vec![
                ("STK", vec![Modifier::Substitute { from: "fries", to: "salad", surcharge: 150 }], Payer::Diner(1)),
                ("BRG", vec![Modifier::Without("cheese")], Payer::Diner(2)),
                ("CAL", vec![], Payer::Shared),
                ("TIR", vec![], Payer::Shared),
                ("IPA", vec![], Payer::Diner(3)),
                ("XYZ", vec![], Payer::Diner(3)),
            ],
        },
        Table { number: 9, diners: 1, order: vec![("SAL", vec![], Payer::Diner(1)), ("LEM", vec![Modifier::Extra("mint", 50)], Payer::Diner(1))] },
    ];

    let start = Instant::now();
    let stations = [Station::Grill, Station::Fryer, Station::Cold, Station::Bar];

    let (prepared, rejected): (Vec<Prepared>, Vec<String>) = thread::scope(|scope| {
        let (done_tx, done_rx) = mpsc::channel::<Prepared>();
        let (reject_tx, reject_rx) = mpsc::channel::<String>();

        // One kitchen station per thread, each with its own ticket queue.
        let mut station_tx: HashMap<Station, mpsc::Sender<OrderLine>> = HashMap::new();
        for station in stations {
            let (tx, rx) = mpsc::channel::<OrderLine>();
            station_tx.insert(station, tx);
            let done_tx = done_tx.clone();
            scope.spawn(move || {
                for line in rx {
                    thread::sleep(Duration::from_millis(line.item.prep_ms + 5 * line.modifiers.len() as u64));
                    let _ = done_tx.send(Prepared { line, station, ready_after: start.elapsed() });
                }
            });
        }
        drop(done_tx);

        // One waiter thread per table takes the order and routes tickets.
        for table in &tables {
            let station_tx = station_tx.clone();
            let reject_tx = reject_tx.clone();
            scope.spawn(move || {
                for (seq, (code, modifiers, payer)) in table.order.iter().enumerate() {
                    match menu_item(code) {
                        Some(item) => {
                            let line = OrderLine { table: table.number, seq, item, modifiers: modifiers.clone(), payer: *payer };
                            station_tx[&item.station].send(line).expect("station alive");
                        }
                        None => {
                            let _ = reject_tx.send(format!("table {}: unknown menu code '{code}'", table.number));
                        }
                    }
                    thread::sleep(Duration::from_millis(2));
                }
            });
        }
        // Closing the original senders lets stations stop once waiters finish.
        drop(station_tx);
        drop(reject_tx);

        let prepared: Vec<Prepared> = done_rx.iter().collect();
        let rejected: Vec<String> = reject_rx.iter().collect();
        (prepared, rejected)
    });

    println!("Kitchen log ({} dishes):", prepared.len());
    for p in prepared.iter() {
        let mods = p.line.modifiers.iter().map(|m| m.to_string()).collect::<Vec<_>>().join(", ");
        println!(
            "  {:>5.0?} {:<6} table {} #{} {}{}",
            p.ready_after,
            format!("{:?}", p.station),
            p.line.table,
            p.line.seq + 1,
            p.line.item.name,
            if mods.is_empty() { String::new() } else { format!(" ({mods})") }
        );
    }
    for r in &rejected {
        println!("  REJECTED: {r}");
    }

    let mut per_station: BTreeMap<Station, usize> = BTreeMap::new();
    for p in &prepared {
        *per_station.entry(p.station).or_default() += 1;
    }
    println!("Dishes per station: {per_station:?}");

    // Merge: build each table's bill from the prepared lines.
    let mut by_table: BTreeMap<u32, Vec<&OrderLine>> = BTreeMap::new();
    for p in &prepared {
        by_table.entry(p.line.table).or_default().push(&p.line);
    }
    for table in &tables {
        let Some(lines) = by_table.get_mut(&table.number) else { continue };
        lines.sort_by_key(|l| l.seq);
        println!("\n===== Bill: table {} ({} diners) =====", table.number, table.diners);
        let mut diner_totals = vec![0f64; table.diners];
        let mut shared = 0f64;
        for l in lines.iter() {
            let who = match l.payer {
                Payer::Diner(d) => format!("diner {d}"),
                Payer::Shared => "shared".to_string(),
            };
            println!("  {:<14} {:<22} {:>8}  [{}]", l.item.name, l.modifiers.iter().map(|m| m.to_string()).collect::<Vec<_>>().join(","), money(l.price() as f64), who);
            match l.payer {
                Payer::Diner(d) if d >= 1 && d <= table.diners => diner_totals[d - 1] += l.price() as f64,
                _ => shared += l.price() as f64,
            }
        }
        let subtotal: f64 = diner_totals.iter().sum::<f64>() + shared;
        println!("  {:<37} {:>8}", "subtotal", money(subtotal));
        println!("  {:<37} {:>8}", format!("tax {:.0}%", TAX_RATE * 100.0), money(subtotal * TAX_RATE));
        println!("  {:<37} {:>8}", format!("tip {:.0}%", TIP_RATE * 100.0), money(subtotal * TIP_RATE));
        println!("  {:<37} {:>8}", "TOTAL", money(subtotal * (1.0 + TAX_RATE + TIP_RATE)));
        println!("  split:");
        let share_each = shared / table.diners as f64;
        for (i, own) in diner_totals.iter().enumerate() {
            let base = own + share_each;
            println!("    diner {}: {} own + {} shared -> pays {}", i + 1, money(*own), money(share_each), money(base * (1.0 + TAX_RATE + TIP_RATE)));
        }
    }
}
