//! Customer loyalty program: tiers with earning multipliers, points batches
//! that expire 12 months after they are earned, FIFO redemption, and tier
//! upgrades with bonus points. The program is a collection with its own
//! iterator type and an `IntoIterator` impl for `&Program`.

use chrono::{Months, NaiveDate};
use std::collections::HashMap;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Tier {
    Bronze,
    Silver,
    Gold,
    Platinum,
}

impl Tier {
    const ALL: [Tier; 4] = [Tier::Bronze, Tier::Silver, Tier::Gold, Tier::Platinum];

    fn multiplier(self) -> f64 {
        match self {
            Tier::Bronze => 1.0,
            Tier::Silver => 1.25,
            Tier::Gold => 1.5,
            Tier::Platinum => 2.0,
        }
    }

    fn threshold(self) -> u64 {
        match self {
            Tier::Bronze => 0,
            Tier::Silver => 1_000,
            Tier::Gold => 5_000,
            Tier::Platinum => 12_000,
        }
    }

    fn upgrade_bonus(self) -> u64 {
        match self {
            Tier::Bronze => 0,
            Tier::Silver => 100,
            Tier::Gold => 500,
            Tier::Platinum => 1_500,
        }
    }

    fn for_points(points: u64) -> Tier {
        Tier::ALL.into_iter().rev().find(|t| points >= t.threshold()).unwrap_or(Tier::Bronze)
    }
}

#[derive(Debug, Clone)]
struct PointBatch {
    earned_on: NaiveDate,
    expires_on: NaiveDate,
    remaining: u64,
    source: String,
}

#[derive(Debug, Clone)]
enum Activity {
    Earned { date: NaiveDate, points: u64, amount_cents: u64 },
    Bonus { date: NaiveDate, points: u64, reason: String },
    Redeemed { date: NaiveDate, points: u64, reward: String },
    Expired { date: NaiveDate, points: u64 },
    Upgraded { date: NaiveDate, from: Tier, to: Tier },
}

impl fmt::Display for Activity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Activity::Earned { date, points, amount_cents } => {
                write!(f, "{date}  +{points:<6} purchase of ${}.{:02}", amount_cents / 100, amount_cents % 100)
            }
            Activity::Bonus { date, points, reason } => write!(f, "{date}  +{points:<6} bonus: {reason}"),
            Activity::Redeemed { date, points, reward } => write!(f, "{date}  -{points:<6} redeemed for {reward}"),
            Activity::Expired { date, points } => write!(f, "{date}  -{points:<6} expired"),
            Activity::Upgraded { date, from, to } => write!(f, "{date}   tier upgrade {from:?} -> {to:?}"),
        }
    }
}

#[derive(Debug)]
enum LoyaltyError {
    UnknownCustomer(u32),
    InsufficientPoints { customer: String, requested: u64, available: u64 },
    InvalidDate(NaiveDate),
}

impl fmt::Display for LoyaltyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoyaltyError::UnknownCustomer(id) => write!(f, "no customer with id {id}"),
            LoyaltyError::InsufficientPoints { customer, requested, available } => {
                write!(f, "{customer} wants to redeem {requested} points but only has {available}")
            }
            LoyaltyError::InvalidDate(d) => write!(f, "cannot compute expiry for {d}"),
        }
    }
}

#[derive(Debug, Clone)]
struct Customer {
    id: u32,
    name: String,
    tier: Tier,
    qualifying_points: u64,
    batches: Vec<PointBatch>,
    activity: Vec<Activity>,
}

impl Customer {
    fn balance(&self, on: NaiveDate) -> u64 {
        self.batches.iter().filter(|b| b.expires_on > on).map(|b| b.remaining).sum()
    }

    fn add_batch(&mut self, date: NaiveDate, points: u64, source: &str, validity: Months) -> Result<(), LoyaltyError> {
        let expires_on = date.checked_add_months(validity).ok_or(LoyaltyError::InvalidDate(date))?;
        self.batches.push(PointBatch { earned_on: date, expires_on, remaining: points, source: source.to_string() });
        Ok(())
    }

    fn earn(&mut self, date: NaiveDate, amount_cents: u64, validity: Months) -> Result<u64, LoyaltyError> {
        let points = (amount_cents as f64 / 100.0 * self.tier.multiplier()).floor() as u64;
        self.add_batch(date, points, "purchase", validity)?;
        self.qualifying_points += points;
        self.activity.push(Activity::Earned { date, points, amount_cents });
        self.check_upgrade(date, validity)?;
        Ok(points)
    }

    fn check_upgrade(&mut self, date: NaiveDate, validity: Months) -> Result<(), LoyaltyError> {
        let new_tier = Tier::for_points(self.qualifying_points);
        if new_tier > self.tier {
            let from = self.tier;
            self.tier = new_tier;
            self.activity.push(Activity::Upgraded { date, from, to: new_tier });
            let bonus = new_tier.upgrade_bonus();
            if bonus > 0 {
                self.add_batch(date, bonus, "upgrade bonus", validity)?;
                self.activity.push(Activity::Bonus { date, points: bonus, reason: format!("welcome to {new_tier:?}") });
            }
        }
        Ok(())
    }

    fn expire(&mut self, date: NaiveDate) -> u64 {
        let expired: u64 = self.batches.iter().filter(|b| b.expires_on <= date).map(|b| b.remaining).sum();
        self.batches.retain(|b| b.expires_on > date && b.remaining > 0);
        if expired > 0 {
            self.activity.push(Activity::Expired { date, points: expired });
        }
        expired
    }

    /// Redeems points, consuming the batches closest to expiry first.
    fn redeem(&mut self, date: NaiveDate, points: u64, reward: &str) -> Result<(), LoyaltyError> {
        self.expire(date);
        let available = self.balance(date);
        if available < points {
            return Err(LoyaltyError::InsufficientPoints { customer: self.name.clone(), requested: points, available });
        }
        self.batches.sort_by_key(|b| (b.expires_on, b.earned_on));
        let mut left = points;
        for batch in self.batches.iter_mut() {
            let take = batch.remaining.min(left);
            batch.remaining -= take;
            left -= take;
            if left == 0 {
                break;
            }
        }
        self.batches.retain(|b| b.remaining > 0);
        self.activity.push(Activity::Redeemed { date, points, reward: reward.to_string() });
        Ok(())
    }
}

enum Event {
    Purchase { date: NaiveDate, customer: u32, amount_cents: u64 },
    Redeem { date: NaiveDate, customer: u32, points: u64, reward: &'static str },
    ExpiryRun { date: NaiveDate },
}

struct Program {
    name: String,
    validity: Months,
    customers: Vec<Customer>,
    index: HashMap<u32, usize>,
    next_id: u32,
}

impl Program {
    fn new(name: &str, validity_months: u32) -> Self {
        Program { name: name.to_string(), validity: Months::new(validity_months), customers: Vec::new(), index: HashMap::new(), next_id: 1001 }
    }

    fn enroll(&mut self, name: &str) -> u32 {
        let id = self.next_id;
        self.next_id += 1;
        self.index.insert(id, self.customers.len());
        self.customers.push(Customer { id, name: name.to_string(), tier: Tier::Bronze, qualifying_points: 0, batches: Vec::new(), activity: Vec::new() });
        id
    }

    fn customer_mut(&mut self, id: u32) -> Result<&mut Customer, LoyaltyError> {
        let idx = *self.index.get(&id).ok_or(LoyaltyError::UnknownCustomer(id))?;
        Ok(&mut self.customers[idx])
    }

    fn apply(&mut self, event: &Event) -> Result<String, LoyaltyError> {
        let validity = self.validity;
        match *event {
            Event::Purchase { date, customer, amount_cents } => {
                let c = self.customer_mut(customer)?;
                let before = c.tier;
                let points = c.earn(date, amount_cents, validity)?;
                let upgrade = if c.tier != before { format!(" and reached {:?}", c.tier) } else { String::new() };
                Ok(format!("{} earned {points} points{upgrade}", c.name))
            }
            Event::Redeem { date, customer, points, reward } => {
                let c = self.customer_mut(customer)?;
                c.redeem(date, points, reward)?;
                Ok(format!("{} redeemed {points} points for {reward}, {} left", c.name, c.balance(date)))
            }
            Event::ExpiryRun { date } => {
                let expired: Vec<String> = self
                    .customers
                    .iter_mut()
                    .filter_map(|c| {
                        let n = c.expire(date);
                        (n > 0).then(|| format!("{} lost {n}", c.name))
                    })
                    .collect();
                Ok(if expired.is_empty() { "expiry run: nothing expired".into() } else { format!("expiry run: {}", expired.join(", ")) })
            }
        }
    }

    fn iter(&self) -> Iter<'_> {
        Iter { customers: &self.customers, front: 0, back: self.customers.len() }
    }

    fn in_tier(&self, tier: Tier) -> impl Iterator<Item = &Customer> + '_ {
        self.iter().filter(move |c| c.tier == tier)
    }
}

/// Iterator over the customers of a program, yielding references.
struct Iter<'a> {
    customers: &'a [Customer],
    front: usize,
    back: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a Customer;

    fn next(&mut self) -> Option<Self::Item> {
        if self.front < self.back {
            let c = &self.customers[self.front];
            self.front += 1;
            Some(c)
        } else {
            None
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back - self.front;
        (n, Some(n))
    }
}

impl<'a> DoubleEndedIterator for Iter<'a> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front < self.back {
            self.back -= 1;
            Some(&self.customers[self.back])
        } else {
            None
        }
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a Program {
    type Item = &'a Customer;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

fn main() {
    let mut program = Program::new("Bean & Leaf Rewards", 12);
    let ana = program.enroll("Ana");
    let ben = program.enroll("Ben");
    let chloe = program.enroll("Chloe");
    let dev = program.enroll("Dev");

    let events = vec![
        Event::Purchase { date: d(2023, 1, 15), customer: ana, amount_cents: 25_000 },
        Event::Purchase { date: d(2023, 2, 3), customer: ben, amount_cents: 120_000 },
        Event::Purchase { date: d(2023, 3, 10), customer: ana, amount_cents: 60_000 },
        Event::Purchase { date: d(2023, 4, 22), customer: chloe, amount_cents: 550_000 },
        Event::Redeem { date: d(2023, 5, 5), customer: ana, points: 500, reward: "a coffee grinder" },
        Event::Purchase { date: d(2023, 6, 18), customer: ben, amount_cents: 80_000 },
        Event::Redeem { date: d(2023, 7, 1), customer: dev, points: 100, reward: "a free latte" },
        Event::Purchase { date: d(2023, 8, 9), customer: chloe, amount_cents: 400_000 },
        Event::Redeem { date: d(2023, 9, 30), customer: chloe, points: 3_000, reward: "a weekend getaway" },
        Event::Purchase { date: d(2023, 11, 20), customer: dev, amount_cents: 9_050 },
        Event::Purchase { date: d(2023, 12, 1), customer: 9999, amount_cents: 1_000 },
        Event::ExpiryRun { date: d(2024, 1, 31) },
        Event::Purchase { date: d(2024, 2, 14), customer: chloe, amount_cents: 70_000 },
        Event::ExpiryRun { date: d(2024, 3, 15) },
        Event::Redeem { date: d(2024, 4, 1), customer: ben, points: 1_500, reward: "a spa voucher" },
        Event::Redeem { date: d(2024, 4, 2), customer: ben, points: 800, reward: "a spa voucher" },
    ];

    println!("== {} ==", program.name);
    for event in &events {
        match program.apply(event) {
            Ok(msg) => println!("  ok    {msg}"),
            Err(e) => println!("  error {e}"),
        }
    }

    let today = d(2024, 4, 2);
    println!("\nStatements as of {today}:");
    for customer in &program {
        println!("\n{} (#{}), tier {:?}, qualifying {} pts, balance {} pts", customer.name, customer.id, customer.tier, customer.qualifying_points, customer.balance(today));
        for a in &customer.activity {
            println!("    {a}");
        }
        for b in &customer.batches {
            println!("    batch: {} pts from {} ({}), expires {}", b.remaining, b.earned_on, b.source, b.expires_on);
        }
    }

    println!("\nSummary:");
    for tier in Tier::ALL {
        let names: Vec<&str> = program.in_tier(tier).map(|c| c.name.as_str()).collect();
        println!("  {:<9} {} member(s) {:?}", format!("{tier:?}"), names.len(), names);
    }
    let outstanding: u64 = program.iter().map(|c| c.balance(today)).sum();
    let top = program.iter().max_by_key(|c| c.balance(today)).map(|c| c.name.as_str()).unwrap_or("-");
    println!("  outstanding points liability: {outstanding} (largest balance: {top})");
    let newest_first: Vec<&str> = program.iter().rev().map(|c| c.name.as_str()).collect();
    println!("  members, newest first ({} total): {:?}", program.iter().len(), newest_first);
}
