use std::collections::BTreeMap;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Coin {
    Penny,
    Nickel,
    Dime,
    Quarter,
    Dollar,
}

impl Coin {
    /// Coins the machine pays change with, largest first.
    const CHANGE: [Coin; 4] = [Coin::Dollar, Coin::Quarter, Coin::Dime, Coin::Nickel];

    fn value(self) -> u32 {
        match self {
            Coin::Penny => 1,
            Coin::Nickel => 5,
            Coin::Dime => 10,
            Coin::Quarter => 25,
            Coin::Dollar => 100,
        }
    }
}

impl fmt::Display for Coin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Coin::Dollar => write!(f, "$1"),
            other => write!(f, "{}¢", other.value()),
        }
    }
}

fn cents(v: u32) -> String {
    format!("${}.{:02}", v / 100, v % 100)
}

fn coin_list(coins: &[Coin]) -> String {
    if coins.is_empty() {
        return "nothing".to_string();
    }
    let total: u32 = coins.iter().map(|c| c.value()).sum();
    let parts: Vec<String> = coins.iter().map(|c| c.to_string()).collect();
    format!("{} ({})", parts.join(" + "), cents(total))
}

#[derive(Debug, Clone, PartialEq)]
enum State {
    Idle,
    Collecting { credit: u32 },
    Maintenance,
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            State::Idle => write!(f, "Idle"),
            State::Collecting { credit } => write!(f, "Collecting({})", cents(*credit)),
            State::Maintenance => write!(f, "Maintenance"),
        }
    }
}

#[derive(Debug, Clone)]
enum Event {
    Insert(Coin),
    Select(&'static str),
    Refund,
    Restock(&'static str, u32),
    Maintenance(bool),
}

#[derive(Debug, Clone, PartialEq)]
enum Output {
    Credit(u32),
    Price { product: String, price: u32 },
    Dispensed { product: String, change: Vec<Coin> },
    InsufficientCredit { price: u32, credit: u32 },
    SoldOut(String),
    UnknownSlot(String),
    ExactChangeOnly { change_due: u32 },
    Returned(Vec<Coin>),
    Rejected(Coin, &'static str),
    Restocked { product: String, stock: u32 },
    ModeChanged(&'static str),
    Ignored(&'static str),
}

impl fmt::Display for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Output::Credit(c) => write!(f, "credit is now {}", cents(*c)),
            Output::Price { product, price } => write!(f, "{} costs {}", product, cents(*price)),
            Output::Dispensed { product, change } => {
                write!(f, "DISPENSED {}; change: {}", product, coin_list(change))
            }
            Output::InsufficientCredit { price, credit } => write!(
                f,
                "insufficient credit: price {}, inserted {}",
                cents(*price),
                cents(*credit)
            ),
            Output::SoldOut(p) => write!(f, "{} is sold out", p),
            Output::UnknownSlot(s) => write!(f, "no product in slot {}", s),
            Output::ExactChangeOnly { change_due } => write!(
                f,
                "cannot return {} in change - exact change only, credit kept",
                cents(*change_due)
            ),
            Output::Returned(coins) => write!(f, "returned {}", coin_list(coins)),
            Output::Rejected(coin, why) => write!(f, "rejected {}: {}", coin, why),
            Output::Restocked { product, stock } => write!(f, "{} restocked, {} in stock", product, stock),
            Output::ModeChanged(m) => write!(f, "machine is now {}", m),
            Output::Ignored(why) => write!(f, "ignored: {}", why),
        }
    }
}

struct Product {
    name: String,
    price: u32,
    stock: u32,
}

struct VendingMachine {
    state: State,
    slots: BTreeMap<String, Product>,
    cash: BTreeMap<Coin, u32>,
    escrow: Vec<Coin>,
    sales_total: u32,
    max_credit: u32,
}

/// Finds change using only the coins in the cash box (depth-first, largest coins first).
fn make_change(amount: u32, cash: &BTreeMap<Coin, u32>) -> Option<Vec<Coin>> {
    fn search(amount: u32, denoms: &[(Coin, u32)], acc: &mut Vec<Coin>) -> bool {
        if amount == 0 {
            return true;
        }
        let (first, rest) = match denoms.split_first() {
            Some(split) => split,
            None => return false,
        };
        let (coin, available) = *first;
        let max = (amount / coin.value()).min(available);
        for n in (0..=max).rev() {
            acc.extend(std::iter::repeat(coin).take(n as usize));
            if search(amount - n * coin.value(), rest, acc) {
                return true;
            }
            acc.truncate(acc.len() - n as usize);
        }
        false
    }

    let denoms: Vec<(Coin, u32)> = Coin::CHANGE
        .iter()
        .map(|&c| (c, cash.get(&c).copied().unwrap_or(0)))
        .collect();
    let mut acc = Vec::new();
    if search(amount, &denoms, &mut acc) {
        Some(acc)
    } else {
        None
    }
}

impl VendingMachine {
    fn new() -> Self {
        VendingMachine {
            state: State::Idle,
            slots: BTreeMap::new(),
            cash: BTreeMap::new(),
            escrow: Vec::new(),
            sales_total: 0,
            max_credit: 500,
        }
    }

    fn stock(&mut self, slot: &str, name: &str, price: u32, stock: u32) {
        self.slots.insert(
            slot.to_string(),
            Product {
                name: name.to_string(),
                price,
                stock,
            },
        );
    }

    fn credit(&self) -> u32 {
        self.escrow.iter().map(|c| c.value()).sum()
    }

    fn handle(&mut self, event: Event) -> Vec<Output> {
        match (self.state.clone(), event) {
            (State::Maintenance, Event::Insert(coin)) => {
                vec![Output::Rejected(coin, "machine in maintenance")]
            }
            (State::Maintenance, Event::Restock(slot, qty)) => self.restock(slot, qty),
            (State::Maintenance, Event::Maintenance(false)) => {
                self.state = State::Idle;
                vec![Output::ModeChanged("in service")]
            }
            (State::Maintenance, _) => vec![Output::Ignored("machine is in maintenance mode")],
            (_, Event::Maintenance(true)) => {
                let mut out = if self.escrow.is_empty() {
                    Vec::new()
                } else {
                    self.refund()
                };
                self.state = State::Maintenance;
                out.push(Output::ModeChanged("in maintenance"));
                out
            }
            (_, Event::Maintenance(false)) => vec![Output::Ignored("already in service")],
            (_, Event::Restock(..)) => vec![Output::Ignored("restocking requires maintenance mode")],
            (State::Idle, Event::Insert(coin)) | (State::Collecting { .. }, Event::Insert(coin)) => {
                self.insert(coin)
            }
            (State::Idle, Event::Select(slot)) => match self.slots.get(slot) {
                None => vec![Output::UnknownSlot(slot.to_string())],
                Some(p) if p.stock == 0 => vec![Output::SoldOut(p.name.clone())],
                Some(p) => vec![Output::Price {
                    product: p.name.clone(),
                    price: p.price,
                }],
            },
            (State::Collecting { credit }, Event::Select(slot)) => self.purchase(slot, credit),
            (State::Idle, Event::Refund) => vec![Output::Ignored("no credit to refund")],
            (State::Collecting { .. }, Event::Refund) => self.refund(),
        }
    }

    fn insert(&mut self, coin: Coin) -> Vec<Output> {
        if coin == Coin::Penny {
            return vec![Output::Rejected(coin, "pennies are not accepted")];
        }
        if self.credit() + coin.value() > self.max_credit {
            return vec![Output::Rejected(coin, "credit limit reached")];
        }
        self.escrow.push(coin);
        let credit = self.credit();
        self.state = State::Collecting { credit };
        vec![Output::Credit(credit)]
    }

    fn purchase(&mut self, slot: &str, credit: u32) -> Vec<Output> {
        let (name, price, stock) = match self.slots.get(slot) {
            Some(p) => (p.name.clone(), p.price, p.stock),
            None => return vec![Output::UnknownSlot(slot.to_string())],
        };
        if stock == 0 {
            return vec![Output::SoldOut(name)];
        }
        if credit < price {
            return vec![Output::InsufficientCredit { price, credit }];
        }
        // Move the escrowed coins into the cash box so they can be used as change.
        for coin in &self.escrow {
            *self.cash.entry(*coin).or_insert(0) += 1;
        }
        match make_change(credit - price, &self.cash) {
            Some(change) => {
                for coin in &change {
                    if let Some(count) = self.cash.get_mut(coin) {
                        *count -= 1;
                    }
                }
                self.escrow.clear();
                if let Some(product) = self.slots.get_mut(slot) {
                    product.stock -= 1;
                }
                self.sales_total += price;
                self.state = State::Idle;
                vec![Output::Dispensed {
                    product: name,
                    change,
                }]
            }
            None => {
                for coin in &self.escrow {
                    if let Some(count) = self.cash.get_mut(coin) {
                        *count -= 1;
                    }
                }
                vec![Output::ExactChangeOnly {
                    change_due: credit - price,
                }]
            }
        }
    }

    fn refund(&mut self) -> Vec<Output> {
        let coins = std::mem::take(&mut self.escrow);
        self.state = State::Idle;
        vec![Output::Returned(coins)]
    }

    fn restock(&mut self, slot: &str, qty: u32) -> Vec<Output> {
        match self.slots.get_mut(slot) {
            Some(product) => {
                product.stock += qty;
                vec![Output::Restocked {
                    product: product.name.clone(),
                    stock: product.stock,
                }]
            }
            None => vec![Output::UnknownSlot(slot.to_string())],
        }
    }
}

fn main() {
    let mut vm = VendingMachine::new();
    vm.stock("A1", "Cola", 125, 3);
    vm.stock("A2", "Chips", 90, 1);
    vm.stock("A3", "Gum", 35, 10);
    vm.stock("B1", "Candy bar", 65, 0);
    vm.stock("B2", "Water", 100, 5);
    vm.cash.insert(Coin::Quarter, 2);
    vm.cash.insert(Coin::Dime, 1);

    use Coin::*;
    let script = vec![
        Event::Select("A1"),
        Event::Insert(Quarter),
        Event::Insert(Quarter),
        Event::Insert(Quarter),
        Event::Insert(Quarter),
        Event::Select("A1"),
        Event::Insert(Quarter),
        Event::Select("A1"),
        Event::Insert(Dollar),
        Event::Select("A2"),
        Event::Insert(Penny),
        Event::Insert(Dollar),
        Event::Select("A2"),
        Event::Refund,
        Event::Select("B1"),
        Event::Insert(Dollar),
        Event::Insert(Dollar),
        Event::Select("B2"),
        Event::Insert(Dollar),
        Event::Select("C9"),
        Event::Select("A3"),
        Event::Refund,
        Event::Restock("B1", 10),
        Event::Maintenance(true),
        Event::Insert(Quarter),
        Event::Restock("B1", 10),
        Event::Maintenance(false),
        Event::Insert(Quarter),
        Event::Insert(Quarter),
        Event::Insert(Dime),
        Event::Insert(Nickel),
        Event::Select("B1"),
        Event::Refund,
    ];

    for (step, event) in script.into_iter().enumerate() {
        let before = vm.state.to_string();
        let label = format!("{:?}", event);
        let outputs = vm.handle(event);
        println!("{:>2}. {:<22} [{} -> {}]", step + 1, label, before, vm.state);
        for output in outputs {
            println!("      {}", output);
        }
    }

    println!("\nInventory:");
    for (slot, p) in &vm.slots {
        println!("  {} {:<10} {:>6} x{}", slot, p.name, cents(p.price), p.stock);
    }
    println!("Cash box:");
    let mut total = 0;
    for (coin, count) in &vm.cash {
        total += coin.value() * count;
        println!("  {:>4} x {}", coin.to_string(), count);
    }
    println!("Cash on hand {}, sales {}", cents(total), cents(vm.sales_total));
}
