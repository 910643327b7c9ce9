//! point-of-sale: a checkout terminal. A product catalog and a scan script
//! are parsed without copying (records and commands borrow &str slices from
//! the input buffers); promotions are applied and a receipt is printed.
//!
//! Usage: point-of-sale [CATALOG_FILE] [SCRIPT_FILE]

use std::collections::HashMap;
use std::fmt;

const CATALOG: &str = "\
# barcode | name | price | promotion
4006381333931 | Stabilo pen          | 1.49 | buy 2 get 1
5000112637922 | Cola 330ml           | 0.99 | 3 for 2.50
8710398503968 | Coffee beans 1kg     | 12.99 | 10% off
7622210449283 | Chocolate bar        | 1.25 | buy 3 get 1
0012345678905 | Notebook A5          | 3.50 |
4902430735063 | AA batteries (4)     | 5.99 | 20% off
";

const SCRIPT: &str = "\
scan 4006381333931
scan 4006381333931
scan 4006381333931 x2
scan 5000112637922 x4
scan 8710398503968
scan 0000000000000
scan 7622210449283 x4
scan 0012345678905
void 0012345678905
scan 4902430735063
total
pay card 10.00
pay cash 40
";

#[derive(Debug, Clone, Copy, PartialEq)]
enum Promo {
    BuyXGetY { buy: u32, free: u32 },
    MultiBuy { qty: u32, price: u32 },
    PercentOff(u32),
}

impl fmt::Display for Promo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Promo::BuyXGetY { buy, free } => write!(f, "buy {buy} get {free} free"),
            Promo::MultiBuy { qty, price } => write!(f, "{qty} for {}", money(*price as i64)),
            Promo::PercentOff(p) => write!(f, "{p}% off"),
        }
    }
}

/// A catalog record borrowing from the catalog text.
#[derive(Debug, Clone, Copy)]
struct Product<'a> {
    barcode: &'a str,
    name: &'a str,
    price: u32,
    promo: Option<Promo>,
}

/// A terminal command borrowing from the script text.
#[derive(Debug, Clone, Copy)]
enum Command<'a> {
    Scan { barcode: &'a str, qty: u32 },
    Void { barcode: &'a str },
    Total,
    Pay { method: &'a str, amount: u32 },
}

#[derive(Debug)]
struct ParseError<'a> {
    line: usize,
    text: &'a str,
    reason: &'static str,
}

fn parse_cents(s: &str) -> Option<u32> {
    let s = s.trim();
    let (whole, frac) = s.split_once('.').unwrap_or((s, "0"));
    let whole: u32 = whole.parse().ok()?;
    let frac = match frac.len() {
        1 => frac.parse::<u32>().ok()? * 10,
        2 => frac.parse::<u32>().ok()?,
        _ => return None,
    };
    Some(whole * 100 + frac)
}

fn parse_promo(s: &str) -> Option<Promo> {
    let words: Vec<&str> = s.split_whitespace().collect();
    match words.as_slice() {
        ["buy", b, "get", f] => Some(Promo::BuyXGetY { buy: b.parse().ok()?, free: f.parse().ok()? }),
        [q, "for", p] => Some(Promo::MultiBuy { qty: q.parse().ok()?, price: parse_cents(p)? }),
        [p, "off"] => Some(Promo::PercentOff(p.strip_suffix('%')?.parse().ok()?)),
        _ => None,
    }
}

fn parse_catalog(text: &str) -> Result<HashMap<&str, Product<'_>>, ParseError<'_>> {
    let mut products = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let err = |reason| ParseError { line: i + 1, text: line, reason };
        let fields: Vec<&str> = line.split('|').map(str::trim).collect();
        let [barcode, name, price, promo] = fields[..] else { return Err(err("expected 4 '|'-separated fields")) };
        let price = parse_cents(price).ok_or_else(|| err("bad price"))?;
        let promo = if promo.is_empty() { None } else { Some(parse_promo(promo).ok_or_else(|| err("bad promotion"))?) };
        products.insert(barcode, Product { barcode, name, price, promo });
    }
    Ok(products)
}

fn parse_script(text: &str) -> Result<Vec<Command<'_>>, ParseError<'_>> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, line)| {
            let err = |reason| ParseError { line: i + 1, text: line, reason };
            let parts: Vec<&str> = line.split_whitespace().collect();
            match parts.as_slice() {
                ["scan", code] => Ok(Command::Scan { barcode: code, qty: 1 }),
                ["scan", code, qty] => {
                    let qty = qty.strip_prefix('x').and_then(|q| q.parse().ok()).ok_or_else(|| err("bad quantity"))?;
                    Ok(Command::Scan { barcode: code, qty })
                }
                ["void", code] => Ok(Command::Void { barcode: code }),
                ["total"] => Ok(Command::Total),
                ["pay", method, amount] => Ok(Command::Pay { method, amount: parse_cents(amount).ok_or_else(|| err("bad amount"))? }),
                _ => Err(err("unknown command")),
            }
        })
        .collect()
}

fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents.abs() / 100, cents.abs() % 100)
}

/// Discount in cents for `qty` units of `p`.
fn discount(p: &Product, qty: u32) -> i64 {
    let price = p.price as i64;
    match p.promo {
        Some(Promo::BuyXGetY { buy, free }) => (qty / (buy + free)) as i64 * free as i64 * price,
        Some(Promo::MultiBuy { qty: n, price: bundle }) => (qty / n) as i64 * (n as i64 * price - bundle as i64),
        Some(Promo::PercentOff(pct)) => (qty as i64 * price * pct as i64 + 50) / 100,
        None => 0,
    }
}

struct Basket<'a> {
    lines: Vec<(Product<'a>, u32)>,
}

impl<'a> Basket<'a> {
    fn add(&mut self, p: Product<'a>, qty: u32) {
        match self.lines.iter_mut().find(|(x, _)| x.barcode == p.barcode) {
            Some((_, q)) => *q += qty,
            None => self.lines.push((p, qty)),
        }
    }

    fn void(&mut self, barcode: &str) -> bool {
        match self.lines.iter().position(|(p, _)| p.barcode == barcode) {
            Some(i) => {
                let (_, q) = &mut self.lines[i];
                *q -= 1;
                if *q == 0 {
                    self.lines.remove(i);
                }
                true
            }
            None => false,
        }
    }

    fn subtotal(&self) -> i64 {
        self.lines.iter().map(|(p, q)| p.price as i64 * *q as i64).sum()
    }

    fn savings(&self) -> i64 {
        self.lines.iter().map(|(p, q)| discount(p, *q)).sum()
    }

    fn total(&self) -> i64 {
        self.subtotal() - self.savings()
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let catalog_text = args.first().and_then(|p| std::fs::read_to_string(p).ok()).unwrap_or_else(|| CATALOG.to_string());
    let script_text = args.get(1).and_then(|p| std::fs::read_to_string(p).ok()).unwrap_or_else(|| SCRIPT.to_string());

    let catalog = match parse_catalog(&catalog_text) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("catalog line {}: {} ({:?})", e.line, e.reason, e.text);
            std::process::exit(1);
        }
    };
    let commands = match parse_script(&script_text) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("script line {}: {} ({:?})", e.line, e.reason, e.text);
            std::process::exit(1);
        }
    };

    let mut basket = Basket { lines: Vec::new() };
    let mut paid: Vec<(&str, i64)> = Vec::new();
    let mut change = 0i64;

    for cmd in &commands {
        match *cmd {
            Command::Scan { barcode, qty } => match catalog.get(barcode) {
                Some(p) => {
                    basket.add(*p, qty);
                    println!("BEEP  {:<22} x{qty:<2} {:>8}", p.name, money(p.price as i64 * qty as i64));
                }
                None => println!("ERROR unknown barcode {barcode}"),
            },
            Command::Void { barcode } => {
                if basket.void(barcode) {
                    println!("VOID  one unit of {barcode}");
                } else {
                    println!("ERROR cannot void {barcode}: not in basket");
                }
            }
            Command::Total => println!("TOTAL due {}", money(basket.total())),
            Command::Pay { method, amount } => {
                let due = basket.total() - paid.iter().map(|(_, a)| a).sum::<i64>();
                if due <= 0 {
                    println!("NOTE  already paid in full, ignoring {method} payment");
                    continue;
                }
                let amount = amount as i64;
                let applied = if method == "cash" { amount } else { amount.min(due) };
                paid.push((method, applied));
                println!("PAY   {method:<5} {:>8}", money(applied));
                if applied > due {
                    change = applied - due;
                }
            }
        }
    }

    println!("\n{:=^40}", " RECEIPT ");
    let mut lines = basket.lines.clone();
    lines.sort_by_key(|(p, _)| p.name);
    for (p, q) in &lines {
        println!("{:<24} {:>3} x {:>6}", p.name, q, money(p.price as i64));
        let d = discount(p, *q);
        if d > 0 {
            if let Some(promo) = p.promo {
                println!("   promo: {:<22} -{:>6}", promo.to_string(), money(d));
            }
        }
    }
    println!("{}", "-".repeat(40));
    println!("{:<30} {:>9}", "Subtotal", money(basket.subtotal()));
    println!("{:<30} {:>9}", "You saved", money(basket.savings()));
    println!("{:<30} {:>9}", "TOTAL", money(basket.total()));
    for (method, amount) in &paid {
        println!("{:<30} {:>9}", format!("Paid ({method})"), money(*amount));
    }
    let outstanding = basket.total() - paid.iter().map(|(_, a)| a).sum::<i64>() + change;
    if outstanding > 0 {
        println!("{:<30} {:>9}", "STILL DUE", money(outstanding));
    } else {
        println!("{:<30} {:>9}", "Change", money(change));
    }
    println!("{:=^40}", " THANK YOU ");
}
