//! Multi-currency wallet ledger.
//!
//! Accounts form a tree: each node owns its children through
//! `Rc<RefCell<Account>>` and points back to its parent through a `Weak`
//! reference. Amounts are integers in minor units; conversions go through a
//! USD-based rate table using exact integer arithmetic and explicit rounding
//! rules (banker's rounding for conversions, always-up for fees).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::rc::{Rc, Weak};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Currency {
    Usd,
    Eur,
    Gbp,
    Jpy,
    Chf,
}

impl Currency {
    fn decimals(self) -> u32 {
        match self {
            Currency::Jpy => 0,
            _ => 2,
        }
    }

    fn code(self) -> &'static str {
        match self {
            Currency::Usd => "USD",
            Currency::Eur => "EUR",
            Currency::Gbp => "GBP",
            Currency::Jpy => "JPY",
            Currency::Chf => "CHF",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rounding {
    HalfEven,
    HalfUp,
    Up,
    Down,
}

/// Divides and rounds according to `mode` (den must be positive).
fn div_round(num: i128, den: i128, mode: Rounding) -> i128 {
    assert!(den > 0, "denominator must be positive");
    let q = num.div_euclid(den);
    let r = num.rem_euclid(den);
    if r == 0 {
        return q;
    }
    match mode {
        Rounding::Down => q,
        Rounding::Up => q + 1,
        Rounding::HalfUp => {
            if 2 * r >= den {
                q + 1
            } else {
                q
            }
        }
        Rounding::HalfEven => {
            if 2 * r > den || (2 * r == den && q % 2 != 0) {
                q + 1
            } else {
                q
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Money {
    minor: i64,
    currency: Currency,
}

impl Money {
    fn new(minor: i64, currency: Currency) -> Self {
        Money { minor, currency }
    }

    /// Parses a decimal string like "12.5" exactly into minor units.
    fn parse(text: &str, currency: Currency) -> Money {
        let d = currency.decimals() as usize;
        let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
        assert!(frac.len() <= d, "too many decimals for {}", currency.code());
        let mut frac = frac.to_string();
        while frac.len() < d {
            frac.push('0');
        }
        let whole: i64 = whole.parse().expect("valid whole amount");
        let frac: i64 = if frac.is_empty() { 0 } else { frac.parse().expect("valid fraction") };
        Money { minor: whole * 10i64.pow(d as u32) + frac, currency }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.currency.decimals();
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        if d == 0 {
            write!(f, "{}{} {}", sign, abs, self.currency.code())
        } else {
            let p = 10u64.pow(d);
            write!(f, "{}{}.{:0w$} {}", sign, abs / p, abs % p, self.currency.code(), w = d as usize)
        }
    }
}

#[derive(Debug, Clone)]
enum LedgerError {
    InsufficientFunds { account: String, needed: Money, available: Money },
    SameAccount(String),
    UnknownRate(Currency),
}

impl fmt::Display for LedgerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LedgerError::InsufficientFunds { account, needed, available } => {
                write!(f, "insufficient funds in '{account}': need {needed}, have {available}")
            }
            LedgerError::SameAccount(a) => write!(f, "cannot transfer from '{a}' to itself"),
            LedgerError::UnknownRate(c) => write!(f, "no exchange rate for {}", c.code()),
        }
    }
}

impl std::error::Error for LedgerError {}

struct RateTable {
    /// Units of each currency per 1 USD, scaled by 1_000_000.
    per_usd_micro: BTreeMap<Currency, i128>,
    fee_bps: i128,
}

impl RateTable {
    fn rate(&self, c: Currency) -> Result<i128, LedgerError> {
        self.per_usd_micro.get(&c).copied().ok_or(LedgerError::UnknownRate(c))
    }

    fn convert(&self, amount: Money, to: Currency, mode: Rounding) -> Result<Money, LedgerError> {
        if amount.currency == to {
            return Ok(amount);
        }
        let from = amount.currency;
        let num = amount.minor as i128 * self.rate(to)? * 10i128.pow(to.decimals());
        let den = self.rate(from)? * 10i128.pow(from.decimals());
        Ok(Money::new(div_round(num, den, mode) as i64, to))
    }
}

#[derive(Debug, Clone)]
enum TxKind {
    Deposit(Money),
    Withdrawal(Money),
    Exchange { sold: Money, bought: Money, fee: Money },
    TransferOut { amount: Money, to: String },
    TransferIn { amount: Money, from: String },
}

#[derive(Debug, Clone)]
struct Transaction {
    seq: u32,
    kind: TxKind,
    memo: String,
}

impl fmt::Display for Transaction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:<3} ", self.seq)?;
        match &self.kind {
            TxKind::Deposit(m) => write!(f, "deposit     +{m}")?,
            TxKind::Withdrawal(m) => write!(f, "withdrawal  -{m}")?,
            TxKind::Exchange { sold, bought, fee } => write!(f, "exchange    -{sold} -> +{bought} (fee {fee})")?,
            TxKind::TransferOut { amount, to } => write!(f, "transfer    -{amount} to {to}")?,
            TxKind::TransferIn { amount, from } => write!(f, "transfer    +{amount} from {from}")?,
        }
        write!(f, "  [{}]", self.memo)
    }
}

#[derive(Debug)]
struct Account {
    name: String,
    balances: BTreeMap<Currency, i64>,
    history: Vec<Transaction>,
    children: Vec<Rc<RefCell<Account>>>,
    parent: Weak<RefCell<Account>>,
}

type Node = Rc<RefCell<Account>>;

impl Account {
    fn new_root(name: &str) -> Node {
        Rc::new(RefCell::new(Account {
            name: name.to_string(),
            balances: BTreeMap::new(),
            history: Vec::new(),
            children: Vec::new(),
            parent: Weak::new(),
        }))
    }

    fn add_child(parent: &Node, name: &str) -> Node {
        let child = Rc::new(RefCell::new(Account {
            name: name.to_string(),
            balances: BTreeMap::new(),
            history: Vec::new(),
            children: Vec::new(),
            parent: Rc::downgrade(parent),
        }));
        parent.borrow_mut().children.push(Rc::clone(&child));
        child
    }

    fn balance(&self, c: Currency) -> i64 {
        self.balances.get(&c).copied().unwrap_or(0)
    }
}

/// Full path computed by walking the Weak parent links.
fn path(node: &Node) -> String {
    let mut parts = vec![node.borrow().name.clone()];
    let mut current = node.borrow().parent.upgrade();
    while let Some(p) = current {
        parts.push(p.borrow().name.clone());
        current = p.borrow().parent.upgrade();
    }
    parts.reverse();
    parts.join("/")
}

fn credit(node: &Node, amount: Money) {
    *node.borrow_mut().balances.entry(amount.currency).or_insert(0) += amount.minor;
}

struct Ledger {
    root: Node,
    rates: RateTable,
    base: Currency,
    next_seq: u32,
}

impl Ledger {
    fn record(&mut self, node: &Node, kind: TxKind, memo: &str) {
        self.next_seq += 1;
        node.borrow_mut().history.push(Transaction { seq: self.next_seq, kind, memo: memo.to_string() });
    }

    fn debit(node: &Node, amount: Money) -> Result<(), LedgerError> {
        let account_path = path(node);
        let mut acct = node.borrow_mut();
        let available = acct.balance(amount.currency);
        if available < amount.minor {
            return Err(LedgerError::InsufficientFunds {
                account: account_path,
                needed: amount,
                available: Money::new(available, amount.currency),
            });
        }
        *acct.balances.entry(amount.currency).or_insert(0) -= amount.minor;
        Ok(())
    }

    fn deposit(&mut self, node: &Node, amount: Money, memo: &str) {
        credit(node, amount);
        self.record(node, TxKind::Deposit(amount), memo);
    }

    fn withdraw(&mut self, node: &Node, amount: Money, memo: &str) -> Result<(), LedgerError> {
        Self::debit(node, amount)?;
        self.record(node, TxKind::Withdrawal(amount), memo);
        Ok(())
    }

    /// Sells `amount`, charging a fee (rounded up) in the source currency and
    /// converting the remainder with banker's rounding.
    fn exchange(&mut self, node: &Node, amount: Money, to: Currency, memo: &str) -> Result<Money, LedgerError> {
        let fee_minor = div_round(amount.minor as i128 * self.rates.fee_bps, 10_000, Rounding::Up) as i64;
        let fee = Money::new(fee_minor, amount.currency);
        let net = Money::new(amount.minor - fee_minor, amount.currency);
        let bought = self.rates.convert(net, to, Rounding::HalfEven)?;
        Self::debit(node, amount)?;
        credit(node, bought);
        self.record(node, TxKind::Exchange { sold: amount, bought, fee }, memo);
        Ok(bought)
    }

    fn transfer(&mut self, from: &Node, to: &Node, amount: Money, memo: &str) -> Result<(), LedgerError> {
        if Rc::ptr_eq(from, to) {
            return Err(LedgerError::SameAccount(path(from)));
        }
        Self::debit(from, amount)?;
        credit(to, amount);
        let (from_path, to_path) = (path(from), path(to));
        self.record(from, TxKind::TransferOut { amount, to: to_path }, memo);
        self.record(to, TxKind::TransferIn { amount, from: from_path }, memo);
        Ok(())
    }

    /// Value of an account and all its descendants in `target` currency.
    fn subtree_value(&self, node: &Node, target: Currency) -> Result<Money, LedgerError> {
        let acct = node.borrow();
        let mut total = 0i64;
        for (&cur, &minor) in &acct.balances {
            total += self.rates.convert(Money::new(minor, cur), target, Rounding::HalfEven)?.minor;
        }
        for child in &acct.children {
            total += self.subtree_value(child, target)?.minor;
        }
        Ok(Money::new(total, target))
    }

    fn print_tree(&self, node: &Node, depth: usize) {
        let acct = node.borrow();
        let balances = if acct.balances.is_empty() {
            "(empty)".to_string()
        } else {
            acct.balances
                .iter()
                .map(|(&c, &m)| Money::new(m, c).to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let total = self
            .subtree_value(node, self.base)
            .map(|m| m.to_string())
            .unwrap_or_else(|e| format!("n/a ({e})"));
        println!("{}{:<12} [{}]  subtree = {}", "    ".repeat(depth), acct.name, balances, total);
        for child in &acct.children {
            self.print_tree(child, depth + 1);
        }
    }
}

fn report<T>(label: &str, result: Result<T, LedgerError>) -> Option<T> {
    match result {
        Ok(v) => Some(v),
        Err(e) => {
            println!("  ! {label} rejected: {e}");
            None
        }
    }
}

fn main() -> Result<(), LedgerError> {
    let rates = RateTable {
        per_usd_micro: [
            (Currency::Usd, 1_000_000),
            (Currency::Eur, 920_000),
            (Currency::Gbp, 790_000),
            (Currency::Jpy, 151_250_000),
            (Currency::Chf, 880_000),
        ]
        .into_iter()
        .collect(),
        fee_bps: 50, // 0.5 %
    };

    println!("Rounding rules (value = numerator / denominator):");
    println!("{:>8} {:>9} {:>7} {:>4} {:>5}", "value", "HalfEven", "HalfUp", "Up", "Down");
    for (n, d) in [(5, 2), (7, 2), (-5, 2), (10, 3), (29, 10)] {
        println!(
            "{:>8.2} {:>9} {:>7} {:>4} {:>5}",
            n as f64 / d as f64,
            div_round(n, d, Rounding::HalfEven),
            div_round(n, d, Rounding::HalfUp),
            div_round(n, d, Rounding::Up),
            div_round(n, d, Rounding::Down)
        );
    }
    let sample = Money::parse("1.23", Currency::Eur);
    for to in [Currency::Jpy, Currency::Gbp, Currency::Chf] {
        println!(
            "  {sample} -> {} (half-even) / {} (down)",
            rates.convert(sample, to, Rounding::HalfEven)?,
            rates.convert(sample, to, Rounding::Down)?
        );
    }

    let root = Account::new_root("Household");
    let alice = Account::add_child(&root, "Alice");
    let bob = Account::add_child(&root, "Bob");
    let trip = Account::add_child(&alice, "Japan trip");
    let savings = Account::add_child(&bob, "Savings");
    let mut ledger = Ledger { root: Rc::clone(&root), rates, base: Currency::Usd, next_seq: 0 };

    println!("\nPosting transactions...");
    ledger.deposit(&alice, Money::parse("2500.00", Currency::Usd), "salary");
    ledger.deposit(&bob, Money::parse("1800.00", Currency::Eur), "salary");
    let yen = ledger.exchange(&alice, Money::parse("1000.00", Currency::Usd), Currency::Jpy, "yen for the trip")?;
    println!("  Alice bought {yen}");
    ledger.transfer(&alice, &trip, yen, "fund the trip")?;
    ledger.withdraw(&trip, Money::parse("45800", Currency::Jpy), "ryokan, two nights")?;
    ledger.withdraw(&trip, Money::parse("12345", Currency::Jpy), "rail pass")?;
    let pounds = ledger.exchange(&bob, Money::parse("500.00", Currency::Eur), Currency::Gbp, "London weekend")?;
    println!("  Bob bought {pounds}");
    ledger.transfer(&bob, &savings, Money::parse("300.00", Currency::Eur), "monthly saving")?;
    ledger.exchange(&savings, Money::parse("100.00", Currency::Eur), Currency::Chf, "diversify")?;

    println!("\nExpected failures:");
    report("withdrawal", ledger.withdraw(&savings, Money::parse("1000.00", Currency::Eur), "new bike"));
    report("transfer", ledger.transfer(&bob, &bob, Money::parse("1.00", Currency::Eur), "loop"));
    report("exchange", ledger.exchange(&trip, Money::parse("999999", Currency::Jpy), Currency::Usd, "too much"));

    println!("\nAccount tree (subtree totals in {}):", ledger.base.code());
    let root_node = Rc::clone(&ledger.root);
    ledger.print_tree(&root_node, 0);

    for node in [&alice, &trip, &bob, &savings] {
        println!("\nHistory of {}:", path(node));
        for tx in &node.borrow().history {
            println!("  {tx}");
        }
    }

    let parent_name = trip.borrow().parent.upgrade().map(|p| p.borrow().name.clone());
    println!("\n'Japan trip' parent via Weak: {:?}", parent_name);
    println!(
        "Alice: strong refs = {} (variable + parent's child list), weak refs = {} (child's back-link)",
        Rc::strong_count(&alice),
        Rc::weak_count(&alice)
    );
    for c in [Currency::Usd, Currency::Eur, Currency::Jpy] {
        println!("Household total in {}: {}", c.code(), ledger.subtree_value(&root, c)?);
    }
    Ok(())
}
