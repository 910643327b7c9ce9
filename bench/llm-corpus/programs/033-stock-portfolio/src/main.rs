use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};
use thiserror::Error;

#[derive(Debug, Error)]
enum PortfolioError {
    #[error("cannot sell {requested} shares of {symbol}: only {held} held")]
    InsufficientShares { symbol: String, held: f64, requested: f64 },
    #[error("quantity and price must be positive")]
    InvalidTrade,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Side {
    Buy,
    Sell,
}

#[derive(Debug, Clone)]
struct Transaction {
    date: NaiveDate,
    symbol: String,
    side: Side,
    quantity: f64,
    price: f64,
    fee: f64,
}

#[derive(Debug, Default, Clone)]
struct Position {
    shares: f64,
    cost_basis: f64, // total cost of shares held (average cost method)
    realised: f64,
}

impl Position {
    fn avg_cost(&self) -> f64 {
        if self.shares > 0.0 { self.cost_basis / self.shares } else { 0.0 }
    }
}

#[derive(Default)]
struct Portfolio {
    positions: BTreeMap<String, Position>,
    history: Vec<Transaction>,
    cash: f64,
}

impl Portfolio {
    fn with_cash(cash: f64) -> Self {
        Portfolio { cash, ..Default::default() }
    }

    fn apply(&mut self, tx: Transaction) -> Result<(), PortfolioError> {
        if tx.quantity <= 0.0 || tx.price <= 0.0 {
            return Err(PortfolioError::InvalidTrade);
        }
        let pos = self.positions.entry(tx.symbol.clone()).or_default();
        match tx.side {
            Side::Buy => {
                pos.shares += tx.quantity;
                pos.cost_basis += tx.quantity * tx.price + tx.fee;
                self.cash -= tx.quantity * tx.price + tx.fee;
            }
            Side::Sell => {
                if tx.quantity > pos.shares + 1e-9 {
                    return Err(PortfolioError::InsufficientShares {
                        symbol: tx.symbol.clone(),
                        held: pos.shares,
                        requested: tx.quantity,
                    });
                }
                let avg = pos.avg_cost();
                let proceeds = tx.quantity * tx.price - tx.fee;
                pos.realised += proceeds - avg * tx.quantity;
                pos.cost_basis -= avg * tx.quantity;
                pos.shares -= tx.quantity;
                if pos.shares.abs() < 1e-9 {
                    pos.shares = 0.0;
                    pos.cost_basis = 0.0;
                }
                self.cash += proceeds;
            }
        }
        self.history.push(tx);
        Ok(())
    }

    fn summary(&self, prices: &HashMap<&str, f64>) {
        println!(
            "{:<6} {:>8} {:>10} {:>10} {:>12} {:>12} {:>11} {:>8}",
            "Symbol", "Shares", "Avg cost", "Price", "Mkt value", "Unrealised", "Realised", "Return"
        );
        let (mut tot_value, mut tot_unreal, mut tot_real, mut tot_cost) = (0.0, 0.0, 0.0, 0.0);
        for (sym, pos) in &self.positions {
            let price = prices.get(sym.as_str()).copied();
            let value = price.map(|p| p * pos.shares).unwrap_or(0.0);
            let unreal = if price.is_some() { value - pos.cost_basis } else { 0.0 };
            let ret = if pos.cost_basis > 0.0 { unreal / pos.cost_basis * 100.0 } else { 0.0 };
            println!(
                "{:<6} {:>8.2} {:>10.2} {:>10} {:>12.2} {:>+12.2} {:>+11.2} {:>+7.1}%",
                sym,
                pos.shares,
                pos.avg_cost(),
                price.map(|p| format!("{:.2}", p)).unwrap_or_else(|| "n/a".into()),
                value,
                unreal,
                pos.realised,
                ret
            );
            tot_value += value;
            tot_unreal += unreal;
            tot_real += pos.realised;
            tot_cost += pos.cost_basis;
        }
        println!("{}", "-".repeat(86));
        println!(
            "{:<6} {:>8} {:>10} {:>10} {:>12.2} {:>+12.2} {:>+11.2} {:>+7.1}%",
            "TOTAL", "", "", "", tot_value, tot_unreal, tot_real,
            if tot_cost > 0.0 { tot_unreal / tot_cost * 100.0 } else { 0.0 }
        );
        println!("\nCash: {:.2}   Net worth: {:.2}", self.cash, self.cash + tot_value);
    }
}

fn tx(date: &str, symbol: &str, side: Side, quantity: f64, price: f64) -> Transaction {
    Transaction {
        date: NaiveDate::parse_from_str(date, "%Y-%m-%d").expect("valid date"),
        symbol: symbol.to_string(),
        side,
        quantity,
        price,
        fee: 1.0,
    }
}

fn main() {
    let mut pf = Portfolio::with_cash(50_000.0);
    use Side::*;
    let trades = vec![
        tx("2024-01-03", "AAPL", Buy, 50.0, 185.20),
        tx("2024-01-10", "MSFT", Buy, 30.0, 375.00),
        tx("2024-02-01", "AAPL", Buy, 25.0, 188.90),
        tx("2024-02-15", "NVDA", Buy, 20.0, 720.50),
        tx("2024-03-05", "AAPL", Sell, 40.0, 170.10),
        tx("2024-03-20", "NVDA", Sell, 10.0, 905.00),
        tx("2024-04-02", "TSLA", Buy, 15.0, 168.40),
        tx("2024-04-10", "MSFT", Sell, 50.0, 420.00),
        tx("2024-04-11", "AMZN", Buy, 0.0, 180.00),
        tx("2024-05-01", "TSLA", Sell, 15.0, 181.20),
    ];

    for t in trades {
        let desc = format!("{} {:?} {} {} @ {:.2}", t.date, t.side, t.quantity, t.symbol, t.price);
        match pf.apply(t) {
            Ok(()) => println!("ok      {}", desc),
            Err(e) => println!("REJECT  {} -> {}", desc, e),
        }
    }

    let prices: HashMap<&str, f64> = [("AAPL", 192.35), ("MSFT", 415.10), ("NVDA", 1064.69)].into_iter().collect();
    println!("\nPortfolio summary (current prices):\n");
    pf.summary(&prices);
    println!("\n{} transactions recorded", pf.history.len());
}
