use std::cell::RefCell;
use std::rc::{Rc, Weak};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum CartEvent {
    CartCreated { customer: String },
    ItemAdded { sku: String, name: String, unit_price_cents: u64, quantity: u32 },
    QuantityChanged { sku: String, quantity: u32 },
    ItemRemoved { sku: String },
    CouponApplied { code: String, percent_off: u8 },
    CheckedOut,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct EventEnvelope {
    seq: u64,
    at: DateTime<Utc>,
    event: CartEvent,
}

#[derive(Debug)]
struct LineItem {
    sku: String,
    name: String,
    unit_price_cents: u64,
    quantity: u32,
    cart: Weak<RefCell<Cart>>,
}

impl LineItem {
    fn subtotal(&self) -> u64 {
        self.unit_price_cents * self.quantity as u64
    }

    fn coupon_percent(&self) -> u8 {
        match self.cart.upgrade() {
            Some(cart) => {
                let c = cart.borrow();
                let pct = c.coupon.as_ref().map(|(_, p)| *p).unwrap_or(0);
                pct
            }
            None => 0,
        }
    }

    fn discounted_subtotal(&self) -> u64 {
        self.subtotal() * (100 - self.coupon_percent() as u64) / 100
    }

    fn owner(&self) -> String {
        match self.cart.upgrade() {
            Some(cart) => {
                let name = cart.borrow().customer.clone();
                name
            }
            None => "<detached>".to_string(),
        }
    }
}

#[derive(Debug, Default)]
struct Cart {
    customer: String,
    items: Vec<Rc<RefCell<LineItem>>>,
    coupon: Option<(String, u8)>,
    checked_out: bool,
    version: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ItemSnapshot {
    sku: String,
    name: String,
    unit_price_cents: u64,
    quantity: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Snapshot {
    version: u64,
    customer: String,
    items: Vec<ItemSnapshot>,
    coupon: Option<(String, u8)>,
    checked_out: bool,
}

fn new_cart() -> Rc<RefCell<Cart>> {
    Rc::new(RefCell::new(Cart::default()))
}

fn add_child(cart: &Rc<RefCell<Cart>>, sku: &str, name: &str, price: u64, quantity: u32) {
    let item = Rc::new(RefCell::new(LineItem {
        sku: sku.to_string(),
        name: name.to_string(),
        unit_price_cents: price,
        quantity,
        cart: Rc::downgrade(cart),
    }));
    cart.borrow_mut().items.push(item);
}

fn find_item(cart: &Cart, sku: &str) -> Option<Rc<RefCell<LineItem>>> {
    cart.items.iter().find(|i| i.borrow().sku == sku).cloned()
}

fn apply(cart: &Rc<RefCell<Cart>>, env: &EventEnvelope) -> Result<(), String> {
    {
        let c = cart.borrow();
        if env.seq != c.version + 1 {
            return Err(format!("event {} out of order (cart at version {})", env.seq, c.version));
        }
        if c.checked_out {
            return Err(format!("event {} rejected: cart already checked out", env.seq));
        }
    }
    match &env.event {
        CartEvent::CartCreated { customer } => cart.borrow_mut().customer = customer.clone(),
        CartEvent::ItemAdded { sku, name, unit_price_cents, quantity } => {
            let existing = find_item(&cart.borrow(), sku);
            match existing {
                Some(item) => item.borrow_mut().quantity += quantity,
                None => add_child(cart, sku, name, *unit_price_cents, *quantity),
            }
        }
        CartEvent::QuantityChanged { sku, quantity } => {
            let item = find_item(&cart.borrow(), sku).ok_or_else(|| format!("unknown sku {sku}"))?;
            if *quantity == 0 {
                cart.borrow_mut().items.retain(|i| !Rc::ptr_eq(i, &item));
            } else {
                item.borrow_mut().quantity = *quantity;
            }
        }
        CartEvent::ItemRemoved { sku } => {
            let mut c = cart.borrow_mut();
            let before = c.items.len();
            c.items.retain(|i| i.borrow().sku != *sku);
            if c.items.len() == before {
                return Err(format!("cannot remove unknown sku {sku}"));
            }
        }
        CartEvent::CouponApplied { code, percent_off } => {
            if *percent_off > 100 {
                return Err(format!("coupon {code} has invalid discount {percent_off}%"));
            }
            cart.borrow_mut().coupon = Some((code.clone(), *percent_off));
        }
        CartEvent::CheckedOut => {
            if cart.borrow().items.is_empty() {
                return Err("cannot check out an empty cart".into());
            }
            cart.borrow_mut().checked_out = true;
        }
    }
    cart.borrow_mut().version = env.seq;
    Ok(())
}

fn replay_onto(cart: &Rc<RefCell<Cart>>, events: &[EventEnvelope]) -> Result<(), String> {
    let from = cart.borrow().version;
    for env in events.iter().filter(|e| e.seq > from) {
        apply(cart, env)?;
    }
    Ok(())
}

fn snapshot(cart: &Rc<RefCell<Cart>>) -> Snapshot {
    let c = cart.borrow();
    Snapshot {
        version: c.version,
        customer: c.customer.clone(),
        items: c
            .items
            .iter()
            .map(|i| {
                let i = i.borrow();
                ItemSnapshot { sku: i.sku.clone(), name: i.name.clone(), unit_price_cents: i.unit_price_cents, quantity: i.quantity }
            })
            .collect(),
        coupon: c.coupon.clone(),
        checked_out: c.checked_out,
    }
}

fn restore(s: &Snapshot) -> Rc<RefCell<Cart>> {
    let cart = new_cart();
    {
        let mut c = cart.borrow_mut();
        c.version = s.version;
        c.customer = s.customer.clone();
        c.coupon = s.coupon.clone();
        c.checked_out = s.checked_out;
    }
    for item in &s.items {
        add_child(&cart, &item.sku, &item.name, item.unit_price_cents, item.quantity);
    }
    cart
}

fn cents(v: u64) -> String {
    format!("${}.{:02}", v / 100, v % 100)
}

fn print_cart(label: &str, cart: &Rc<RefCell<Cart>>) {
    let c = cart.borrow();
    println!("--- {label}: cart of {} (version {}, checked out: {}) ---", c.customer, c.version, c.checked_out);
    let mut total = 0;
    for item in &c.items {
        let it = item.borrow();
        let line = it.discounted_subtotal();
        total += line;
        println!("  {:<8} {:<14} {:>3} x {:>8} = {:>9}  (owner via Weak: {})", it.sku, it.name, it.quantity, cents(it.unit_price_cents), cents(line), it.owner());
    }
    if let Some((code, pct)) = &c.coupon {
        println!("  coupon {code}: {pct}% off applied per line");
    }
    println!("  total: {}", cents(total));
}

const EVENT_LOG: &str = r#"[
  {"seq": 1, "at": "2024-05-01T10:00:00Z", "event": {"type": "cart_created", "customer": "alice"}},
  {"seq": 2, "at": "2024-05-01T10:01:10Z", "event": {"type": "item_added", "sku": "BK-001", "name": "Rust Book", "unit_price_cents": 3999, "quantity": 1}},
  {"seq": 3, "at": "2024-05-01T10:02:30Z", "event": {"type": "item_added", "sku": "MUG-42", "name": "Ferris Mug", "unit_price_cents": 1250, "quantity": 2}},
  {"seq": 4, "at": "2024-05-01T10:03:00Z", "event": {"type": "item_added", "sku": "STK-07", "name": "Sticker pack", "unit_price_cents": 499, "quantity": 3}},
  {"seq": 5, "at": "2024-05-01T10:04:45Z", "event": {"type": "quantity_changed", "sku": "MUG-42", "quantity": 1}},
  {"seq": 6, "at": "2024-05-01T10:05:00Z", "event": {"type": "item_removed", "sku": "STK-07"}},
  {"seq": 7, "at": "2024-05-01T10:06:00Z", "event": {"type": "coupon_applied", "code": "SPRING10", "percent_off": 10}},
  {"seq": 8, "at": "2024-05-01T10:07:00Z", "event": {"type": "item_added", "sku": "BK-001", "name": "Rust Book", "unit_price_cents": 3999, "quantity": 1}},
  {"seq": 9, "at": "2024-05-01T10:09:30Z", "event": {"type": "checked_out"}}
]"#;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let text = match std::env::args().nth(1) {
        Some(path) => std::fs::read_to_string(path)?,
        None => EVENT_LOG.to_string(),
    };
    let events: Vec<EventEnvelope> = serde_json::from_str(&text)?;
    println!("Loaded {} events from the log", events.len());
    for e in &events {
        println!("  #{:<2} {} {:?}", e.seq, e.at.format("%H:%M:%S"), e.event);
    }

    // 1. Full replay from the beginning.
    let full = new_cart();
    replay_onto(&full, &events)?;
    print_cart("full replay", &full);

    // 2. Snapshot after 5 events, persisted as JSON, then replay the rest.
    let partial = new_cart();
    replay_onto(&partial, &events[..5.min(events.len())])?;
    let snap_json = serde_json::to_string_pretty(&snapshot(&partial))?;
    println!("\nSnapshot at version {}:\n{snap_json}", partial.borrow().version);
    let restored_snapshot: Snapshot = serde_json::from_str(&snap_json)?;
    let restored = restore(&restored_snapshot);
    replay_onto(&restored, &events)?;
    print_cart("snapshot + tail replay", &restored);

    let same = snapshot(&full) == snapshot(&restored);
    println!("\nFull replay and snapshot replay agree: {same}");

    // 3. Invariants enforced when applying new events.
    let late = EventEnvelope {
        seq: full.borrow().version + 1,
        at: Utc::now(),
        event: CartEvent::ItemAdded { sku: "X-1".into(), name: "Late item".into(), unit_price_cents: 100, quantity: 1 },
    };
    if let Err(e) = apply(&full, &late) {
        println!("Rejected as expected: {e}");
    }

    // 4. Parent/child links: children hold Weak references to the cart.
    let first_item = full.borrow().items.first().cloned();
    println!("\nCart Rc strong={} weak={}", Rc::strong_count(&full), Rc::weak_count(&full));
    drop(full);
    drop(restored);
    drop(partial);
    if let Some(item) = first_item {
        println!("After dropping the carts, item {} is owned by {}", item.borrow().sku, item.borrow().owner());
    }
    Ok(())
}
