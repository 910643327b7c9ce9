use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Buy,
    Sell,
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Side::Buy => "BUY",
            Side::Sell => "SELL",
        })
    }
}

#[derive(Debug, Clone)]
struct Order {
    id: u64,
    trader: String,
    side: Side,
    price: u64, // in cents
    qty: u64,
    timestamp: u64,
}

#[derive(Debug, Clone)]
struct Trade {
    seq: u64,
    price: u64,
    qty: u64,
    buy_order: u64,
    sell_order: u64,
    buyer: String,
    seller: String,
    aggressor: Side,
    timestamp: u64,
}

#[derive(Debug)]
struct Execution {
    order_id: u64,
    filled: u64,
    resting: u64,
    cancelled: u64,
    trades: Vec<Trade>,
}

fn px(cents: u64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// Limit order book with price-time priority: better prices match first,
/// and within a price level the oldest order matches first (FIFO queue).
struct OrderBook {
    symbol: String,
    bids: BTreeMap<u64, VecDeque<Order>>,
    asks: BTreeMap<u64, VecDeque<Order>>,
    index: HashMap<u64, (Side, u64)>,
    trades: Vec<Trade>,
    next_id: u64,
    clock: u64,
}

impl OrderBook {
    fn new(symbol: &str) -> Self {
        OrderBook {
            symbol: symbol.to_string(),
            bids: BTreeMap::new(),
            asks: BTreeMap::new(),
            index: HashMap::new(),
            trades: Vec::new(),
            next_id: 0,
            clock: 0,
        }
    }

    fn limit(&mut self, trader: &str, side: Side, price: u64, qty: u64) -> Execution {
        self.execute(trader, side, Some(price), qty)
    }

    fn market(&mut self, trader: &str, side: Side, qty: u64) -> Execution {
        self.execute(trader, side, None, qty)
    }

    fn execute(&mut self, trader: &str, side: Side, limit: Option<u64>, qty: u64) -> Execution {
        self.next_id += 1;
        self.clock += 1;
        let id = self.next_id;
        let timestamp = self.clock;
        let mut remaining = qty;
        let mut trades = Vec::new();

        while remaining > 0 {
            let best = match side {
                Side::Buy => self.asks.keys().next().copied(),
                Side::Sell => self.bids.keys().next_back().copied(),
            };
            let level_price = match best {
                Some(p) => p,
                None => break,
            };
            let crosses = match (side, limit) {
                (_, None) => true,
                (Side::Buy, Some(l)) => level_price <= l,
                (Side::Sell, Some(l)) => level_price >= l,
            };
            if !crosses {
                break;
            }

            let book = match side {
                Side::Buy => &mut self.asks,
                Side::Sell => &mut self.bids,
            };
            let queue = book.get_mut(&level_price).expect("level exists");
            while remaining > 0 {
                let resting = match queue.front_mut() {
                    Some(o) => o,
                    None => break,
                };
                let fill = remaining.min(resting.qty);
                resting.qty -= fill;
                remaining -= fill;
                let (buy_order, sell_order, buyer, seller) = match side {
                    Side::Buy => (id, resting.id, trader.to_string(), resting.trader.clone()),
                    Side::Sell => (resting.id, id, resting.trader.clone(), trader.to_string()),
                };
                trades.push(Trade {
                    seq: (self.trades.len() + trades.len() + 1) as u64,
                    price: level_price, // trades happen at the resting order's price
                    qty: fill,
                    buy_order,
                    sell_order,
                    buyer,
                    seller,
                    aggressor: side,
                    timestamp,
                });
                if resting.qty == 0 {
                    let done = queue.pop_front().expect("front exists");
                    self.index.remove(&done.id);
                }
            }
            if queue.is_empty() {
                book.remove(&level_price);
            }
        }

        self.trades.extend(trades.iter().cloned());
        let filled = qty - remaining;
        let (resting, cancelled) = match limit {
            Some(price) if remaining > 0 => {
                let order = Order {
                    id,
                    trader: trader.to_string(),
                    side,
                    price,
                    qty: remaining,
                    timestamp,
                };
                let book = match side {
                    Side::Buy => &mut self.bids,
                    Side::Sell => &mut self.asks,
                };
                book.entry(price).or_default().push_back(order);
                self.index.insert(id, (side, price));
                (remaining, 0)
            }
            // market orders never rest: whatever is left is cancelled
            _ => (0, remaining),
        };
        Execution {
            order_id: id,
            filled,
            resting,
            cancelled,
            trades,
        }
    }

    fn cancel(&mut self, id: u64) -> Option<Order> {
        let (side, price) = self.index.remove(&id)?;
        let book = match side {
            Side::Buy => &mut self.bids,
            Side::Sell => &mut self.asks,
        };
        let queue = book.get_mut(&price)?;
        let pos = queue.iter().position(|o| o.id == id)?;
        let order = queue.remove(pos);
        if queue.is_empty() {
            book.remove(&price);
        }
        order
    }

    fn best_bid(&self) -> Option<u64> {
        self.bids.keys().next_back().copied()
    }

    fn best_ask(&self) -> Option<u64> {
        self.asks.keys().next().copied()
    }

    fn print_book(&self, depth: usize) {
        println!("  --- {} book ---", self.symbol);
        let asks: Vec<(&u64, &VecDeque<Order>)> = self.asks.iter().take(depth).collect();
        for (price, queue) in asks.into_iter().rev() {
            let total: u64 = queue.iter().map(|o| o.qty).sum();
            let owners: Vec<String> = queue.iter().map(|o| format!("{}#{}:{}", o.trader, o.id, o.qty)).collect();
            println!("  ASK {:>8} x {:>5}   {}", px(*price), total, owners.join(" "));
        }
        match (self.best_bid(), self.best_ask()) {
            (Some(b), Some(a)) => println!("  ----- spread {} -----", px(a - b)),
            _ => println!("  ----- (one side empty) -----"),
        }
        for (price, queue) in self.bids.iter().rev().take(depth) {
            let total: u64 = queue.iter().map(|o| o.qty).sum();
            let owners: Vec<String> = queue.iter().map(|o| format!("{}#{}:{}", o.trader, o.id, o.qty)).collect();
            println!("  BID {:>8} x {:>5}   {}", px(*price), total, owners.join(" "));
        }
    }
}

fn report(label: &str, exec: &Execution) {
    println!(
        "{:<34} -> order #{}: filled {}, resting {}, cancelled {}",
        label, exec.order_id, exec.filled, exec.resting, exec.cancelled
    );
    for t in &exec.trades {
        println!(
            "      trade {}: {} @ {} ({} buys from {})",
            t.seq,
            t.qty,
            px(t.price),
            t.buyer,
            t.seller
        );
    }
}

fn main() {
    let mut book = OrderBook::new("ACME");

    let steps: Vec<(&str, &str, Side, Option<u64>, u64)> = vec![
        ("alice sells 100 @ 101.00", "alice", Side::Sell, Some(10100), 100),
        ("bob sells 50 @ 100.50", "bob", Side::Sell, Some(10050), 50),
        ("carol sells 75 @ 101.00", "carol", Side::Sell, Some(10100), 75),
        ("dave buys 80 @ 99.50", "dave", Side::Buy, Some(9950), 80),
        ("erin buys 40 @ 99.75", "erin", Side::Buy, Some(9975), 40),
    ];
    let mut dave_order = 0;
    for (label, trader, side, price, qty) in steps {
        let exec = match price {
            Some(p) => book.limit(trader, side, p, qty),
            None => book.market(trader, side, qty),
        };
        if trader == "dave" {
            dave_order = exec.order_id;
        }
        report(label, &exec);
    }
    book.print_book(5);

    println!();
    report("frank buys 120 @ 101.00", &book.limit("frank", Side::Buy, 10100, 120));
    report("grace sells 60 @ 99.60", &book.limit("grace", Side::Sell, 9960, 60));
    book.print_book(5);

    println!();
    match book.cancel(dave_order) {
        Some(o) => println!("cancelled order #{} ({} {} {} @ {})", o.id, o.trader, o.side, o.qty, px(o.price)),
        None => println!("order #{} not found", dave_order),
    }
    match book.cancel(999) {
        Some(_) => println!("cancelled #999?"),
        None => println!("order #999 not found (nothing cancelled)"),
    }
    report("heidi market buy 100", &book.market("heidi", Side::Buy, 100));
    report("ivan market sell 10", &book.market("ivan", Side::Sell, 10));
    book.print_book(5);

    println!("\nTrade log:");
    println!("  {:>3} {:>4} {:>9} {:>5}  {:<6} {:<6} {:>5} {:>5}  aggressor", "seq", "time", "price", "qty", "buyer", "seller", "buy#", "sell#");
    for t in &book.trades {
        println!(
            "  {:>3} {:>4} {:>9} {:>5}  {:<6} {:<6} {:>5} {:>5}  {}",
            t.seq, t.timestamp, px(t.price), t.qty, t.buyer, t.seller, t.buy_order, t.sell_order, t.aggressor
        );
    }
    let volume: u64 = book.trades.iter().map(|t| t.qty).sum();
    let notional: u64 = book.trades.iter().map(|t| t.qty * t.price).sum();
    if volume > 0 {
        println!(
            "volume {} shares, VWAP {:.4}",
            volume,
            notional as f64 / volume as f64 / 100.0
        );
    }

    let mut positions: BTreeMap<&str, i64> = BTreeMap::new();
    for t in &book.trades {
        *positions.entry(t.buyer.as_str()).or_insert(0) += t.qty as i64;
        *positions.entry(t.seller.as_str()).or_insert(0) -= t.qty as i64;
    }
    println!("net positions: {:?}", positions);
}
