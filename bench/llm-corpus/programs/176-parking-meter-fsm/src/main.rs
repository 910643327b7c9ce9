//! A parking meter finite state machine driven by a scripted event list:
//! coins, card payments through a simulated processor, time purchase with a
//! maximum stay, faults/repairs, and receipts.
//!
//! Errors are a `thiserror` enum propagated with `?` from the card processor
//! through the payment and event layers; `main` uses `anyhow`.

use anyhow::{ensure, Context, Result};
use std::collections::HashMap;
use std::fmt;
use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq)]
pub enum PaymentError {
    #[error("card ending {0} fails the Luhn check")]
    InvalidNumber(String),
    #[error("card ending {0} is unknown to the processor")]
    UnknownCard(String),
    #[error("card ending {0} has expired")]
    Expired(String),
    #[error("insufficient funds on card ending {last4}: needed {needed}c, available {available}c")]
    InsufficientFunds { last4: String, needed: u32, available: u32 },
}

#[derive(Debug, Error, Clone, PartialEq)]
pub enum MeterError {
    #[error("invalid meter configuration: {0}")]
    Config(String),
    #[error("coin of {0}c rejected and returned")]
    RejectedCoin(u32),
    #[error("'{event}' is not allowed while {state}")]
    InvalidTransition { state: String, event: String },
    #[error("{requested} min would exceed the {max} min limit ({remaining} min already paid)")]
    ExceedsMaxTime { requested: u32, remaining: u32, max: u32 },
    #[error("{minutes} min is below the minimum purchase of {minimum} min")]
    BelowMinimum { minutes: u32, minimum: u32 },
    #[error("meter is out of order ({0})")]
    OutOfOrder(String),
    #[error("no receipt has been issued yet")]
    NoReceipt,
    #[error("card payment failed")]
    Payment(#[from] PaymentError),
}

fn last4(number: &str) -> String {
    let digits: Vec<char> = number.chars().filter(|c| c.is_ascii_digit()).collect();
    digits[digits.len().saturating_sub(4)..].iter().collect()
}

fn luhn_valid(number: &str) -> bool {
    let digits: Option<Vec<u32>> = number.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_digit(10)).collect();
    let Some(digits) = digits else { return false };
    if digits.len() < 12 {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

fn hhmm(minutes: u32) -> String {
    format!("{:02}:{:02}", (minutes / 60) % 24, minutes % 60)
}

#[derive(Debug, Clone)]
struct CardAccount {
    balance: u32,
    expired: bool,
}

#[derive(Debug, Clone, Default)]
pub struct CardProcessor {
    accounts: HashMap<String, CardAccount>,
    next_auth: u32,
}

impl CardProcessor {
    pub fn with_account(mut self, number: &str, balance: u32, expired: bool) -> Self {
        self.accounts.insert(number.to_string(), CardAccount { balance, expired });
        self
    }

    fn authorize(&mut self, number: &str, amount: u32) -> Result<String, PaymentError> {
        let last4 = last4(number);
        if !luhn_valid(number) {
            return Err(PaymentError::InvalidNumber(last4));
        }
        let account = self.accounts.get_mut(number).ok_or_else(|| PaymentError::UnknownCard(last4.clone()))?;
        if account.expired {
            return Err(PaymentError::Expired(last4));
        }
        if account.balance < amount {
            return Err(PaymentError::InsufficientFunds { last4, needed: amount, available: account.balance });
        }
        account.balance -= amount;
        self.next_auth += 1;
        Ok(format!("AUTH{:05}", self.next_auth))
    }
}

#[derive(Debug, Clone, PartialEq)]
enum State {
    Idle,
    CollectingCoins { credit: u32 },
    CardInserted { number: String },
    OutOfOrder { reason: String },
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            State::Idle => write!(f, "idle"),
            State::CollectingCoins { credit } => write!(f, "collecting coins ({credit}c credit)"),
            State::CardInserted { number } => write!(f, "card ending {} is inserted", last4(number)),
            State::OutOfOrder { reason } => write!(f, "out of order ({reason})"),
        }
    }
}

#[derive(Debug, Clone)]
enum Event {
    InsertCoin(u32),
    InsertCard(&'static str),
    SelectMinutes(u32),
    Confirm,
    Cancel,
    Tick(u32),
    Fault(&'static str),
    Repair,
    PrintReceipt,
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::InsertCoin(c) => write!(f, "insert coin {c}c"),
            Event::InsertCard(n) => write!(f, "insert card *{}", last4(n)),
            Event::SelectMinutes(m) => write!(f, "select {m} min"),
            Event::Confirm => write!(f, "confirm"),
            Event::Cancel => write!(f, "cancel"),
            Event::Tick(m) => write!(f, "wait {m} min"),
            Event::Fault(r) => write!(f, "fault: {r}"),
            Event::Repair => write!(f, "repair"),
            Event::PrintReceipt => write!(f, "print receipt"),
        }
    }
}

#[derive(Debug, Clone)]
enum PaymentMethod {
    Coins,
    Card { last4: String, auth: String },
}

#[derive(Debug, Clone)]
struct Receipt {
    number: u32,
    meter_id: String,
    issued_at: u32,
    method: PaymentMethod,
    amount: u32,
    minutes: u32,
    valid_until: u32,
}

impl fmt::Display for Receipt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let method = match &self.method {
            PaymentMethod::Coins => "coins".to_string(),
            PaymentMethod::Card { last4, auth } => format!("card *{last4} ({auth})"),
        };
        write!(
            f,
            "receipt #{} | meter {} | issued {} | {} min for ${}.{:02} by {} | valid until {}",
            self.number,
            self.meter_id,
            hhmm(self.issued_at),
            self.minutes,
            self.amount / 100,
            self.amount % 100,
            method,
            hhmm(self.valid_until)
        )
    }
}

#[derive(Default)]
pub struct MeterBuilder {
    id: Option<String>,
    rate_per_hour: Option<u32>,
    max_minutes: Option<u32>,
    min_minutes: u32,
    coins: Vec<u32>,
    min_card_charge: u32,
    opens_at: Option<(u32, u32)>,
    processor: CardProcessor,
}

impl MeterBuilder {
    pub fn id(mut self, id: &str) -> Self {
        self.id = Some(id.to_string());
        self
    }
    pub fn rate_per_hour(mut self, cents: u32) -> Self {
        self.rate_per_hour = Some(cents);
        self
    }
    pub fn max_minutes(mut self, minutes: u32) -> Self {
        self.max_minutes = Some(minutes);
        self
    }
    pub fn min_minutes(mut self, minutes: u32) -> Self {
        self.min_minutes = minutes;
        self
    }
    pub fn accept_coins(mut self, coins: &[u32]) -> Self {
        self.coins = coins.to_vec();
        self
    }
    pub fn min_card_charge(mut self, cents: u32) -> Self {
        self.min_card_charge = cents;
        self
    }
    pub fn opens_at(mut self, hour: u32, minute: u32) -> Self {
        self.opens_at = Some((hour, minute));
        self
    }
    pub fn processor(mut self, processor: CardProcessor) -> Self {
        self.processor = processor;
        self
    }

    pub fn build(self) -> Result<ParkingMeter, MeterError> {
        let id = self
            .id
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| MeterError::Config("a meter id is required".into()))?;
        let rate = self.rate_per_hour.ok_or_else(|| MeterError::Config("an hourly rate is required".into()))?;
        if rate == 0 {
            return Err(MeterError::Config("the hourly rate must be positive".into()));
        }
        let max_minutes = self.max_minutes.unwrap_or(120);
        if max_minutes == 0 || max_minutes < self.min_minutes {
            return Err(MeterError::Config(format!("max stay {max_minutes} min is below the minimum {} min", self.min_minutes)));
        }
        if self.coins.is_empty() || self.coins.contains(&0) {
            return Err(MeterError::Config("at least one positive coin value must be accepted".into()));
        }
        let (h, m) = self.opens_at.unwrap_or((8, 0));
        if h > 23 || m > 59 {
            return Err(MeterError::Config(format!("invalid opening time {h}:{m}")));
        }
        Ok(ParkingMeter {
            id,
            rate_per_hour: rate,
            max_minutes,
            min_minutes: self.min_minutes,
            accepted_coins: self.coins,
            min_card_charge: self.min_card_charge,
            clock: h * 60 + m,
            paid_until: 0,
            state: State::Idle,
            processor: self.processor,
            receipts: Vec::new(),
            coin_revenue: 0,
            card_revenue: 0,
            refunded: 0,
        })
    }
}

pub struct ParkingMeter {
    id: String,
    rate_per_hour: u32,
    max_minutes: u32,
    min_minutes: u32,
    accepted_coins: Vec<u32>,
    min_card_charge: u32,
    clock: u32,
    paid_until: u32,
    state: State,
    processor: CardProcessor,
    receipts: Vec<Receipt>,
    coin_revenue: u32,
    card_revenue: u32,
    refunded: u32,
}

impl ParkingMeter {
    pub fn builder() -> MeterBuilder {
        MeterBuilder::default()
    }

    fn remaining(&self) -> u32 {
        self.paid_until.saturating_sub(self.clock)
    }

    fn minutes_for(&self, cents: u32) -> u32 {
        cents * 60 / self.rate_per_hour
    }

    fn price_for(&self, minutes: u32) -> u32 {
        ((minutes * self.rate_per_hour + 59) / 60).max(self.min_card_charge)
    }

    fn invalid(&self, event: &Event) -> MeterError {
        MeterError::InvalidTransition { state: self.state.to_string(), event: event.to_string() }
    }

    fn validate_coin(&self, coin: u32) -> Result<(), MeterError> {
        if self.accepted_coins.contains(&coin) {
            Ok(())
        } else {
            Err(MeterError::RejectedCoin(coin))
        }
    }

    fn check_limits(&self, minutes: u32) -> Result<(), MeterError> {
        if minutes < self.min_minutes {
            return Err(MeterError::BelowMinimum { minutes, minimum: self.min_minutes });
        }
        let remaining = self.remaining();
        if remaining + minutes > self.max_minutes {
            return Err(MeterError::ExceedsMaxTime { requested: minutes, remaining, max: self.max_minutes });
        }
        Ok(())
    }

    fn issue_receipt(&mut self, method: PaymentMethod, amount: u32, minutes: u32) -> Receipt {
        let start = self.paid_until.max(self.clock);
        self.paid_until = start + minutes;
        let receipt = Receipt {
            number: self.receipts.len() as u32 + 1,
            meter_id: self.id.clone(),
            issued_at: self.clock,
            method,
            amount,
            minutes,
            valid_until: self.paid_until,
        };
        self.receipts.push(receipt.clone());
        receipt
    }

    pub fn handle(&mut self, event: &Event) -> Result<String, MeterError> {
        if let State::OutOfOrder { reason } = &self.state {
            if !matches!(event, Event::Repair | Event::Tick(_) | Event::PrintReceipt) {
                return Err(MeterError::OutOfOrder(reason.clone()));
            }
        }
        match (self.state.clone(), event) {
            (_, Event::Tick(minutes)) => Ok(self.tick(*minutes)),
            (_, Event::PrintReceipt) => self.receipts.last().map(|r| r.to_string()).ok_or(MeterError::NoReceipt),
            (State::OutOfOrder { .. }, Event::Repair) => {
                self.state = State::Idle;
                Ok("meter repaired, back in service".into())
            }
            (state, Event::Fault(reason)) => {
                let refund = if let State::CollectingCoins { credit } = state { credit } else { 0 };
                self.refunded += refund;
                self.state = State::OutOfOrder { reason: reason.to_string() };
                Ok(format!("meter out of order, {refund}c refunded"))
            }
            (State::Idle, Event::InsertCoin(coin)) => self.insert_coin(0, *coin),
            (State::CollectingCoins { credit }, Event::InsertCoin(coin)) => self.insert_coin(credit, *coin),
            (State::CollectingCoins { credit }, Event::Confirm) => self.confirm_coins(credit),
            (State::CollectingCoins { credit }, Event::Cancel) => {
                self.state = State::Idle;
                self.refunded += credit;
                Ok(format!("cancelled, {credit}c returned"))
            }
            (State::Idle, Event::InsertCard(number)) => {
                self.state = State::CardInserted { number: number.to_string() };
                Ok(format!("card ending {} read, choose the duration", last4(number)))
            }
            (State::CardInserted { number }, Event::SelectMinutes(minutes)) => self.pay_by_card(&number, *minutes),
            (State::CardInserted { .. }, Event::Cancel) => {
                self.state = State::Idle;
                Ok("card returned".into())
            }
            _ => Err(self.invalid(event)),
        }
    }

    fn tick(&mut self, minutes: u32) -> String {
        let before = self.remaining();
        self.clock += minutes;
        if before > 0 && self.remaining() == 0 {
            format!("paid time expired at {}", hhmm(self.paid_until))
        } else if self.remaining() > 0 {
            format!("{} min of paid time left", self.remaining())
        } else {
            "no paid time".to_string()
        }
    }

    fn insert_coin(&mut self, credit: u32, coin: u32) -> Result<String, MeterError> {
        self.validate_coin(coin)?;
        let new_credit = credit + coin;
        let minutes = self.minutes_for(new_credit);
        if self.remaining() + minutes > self.max_minutes {
            return Err(MeterError::ExceedsMaxTime { requested: minutes, remaining: self.remaining(), max: self.max_minutes });
        }
        self.state = State::CollectingCoins { credit: new_credit };
        Ok(format!("credit {new_credit}c buys {minutes} min"))
    }

    fn confirm_coins(&mut self, credit: u32) -> Result<String, MeterError> {
        let minutes = self.minutes_for(credit);
        self.check_limits(minutes)?;
        self.state = State::Idle;
        self.coin_revenue += credit;
        let receipt = self.issue_receipt(PaymentMethod::Coins, credit, minutes);
        Ok(format!("paid {credit}c, parked until {} (receipt #{})", hhmm(receipt.valid_until), receipt.number))
    }

    fn pay_by_card(&mut self, number: &str, minutes: u32) -> Result<String, MeterError> {
        self.check_limits(minutes)?; // card stays inserted so a shorter stay can be chosen
        let amount = self.price_for(minutes);
        self.state = State::Idle; // from here on the card is ejected whatever happens
        let auth = self.processor.authorize(number, amount)?;
        self.card_revenue += amount;
        let receipt = self.issue_receipt(PaymentMethod::Card { last4: last4(number), auth }, amount, minutes);
        Ok(format!("charged {amount}c, parked until {} (receipt #{})", hhmm(receipt.valid_until), receipt.number))
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}

#[derive(Debug, Default)]
struct ScriptSummary {
    handled: usize,
    rejected: usize,
}

fn run_script(meter: &mut ParkingMeter, events: &[Event]) -> Result<ScriptSummary, MeterError> {
    let mut summary = ScriptSummary::default();
    for (i, event) in events.iter().enumerate() {
        let at = hhmm(meter.clock);
        match meter.handle(event) {
            Ok(message) => {
                summary.handled += 1;
                println!("{:>2}. [{at}] {:<22} -> {message}", i + 1, event.to_string());
            }
            Err(e @ MeterError::Config(_)) => return Err(e),
            Err(e) => {
                summary.rejected += 1;
                println!("{:>2}. [{at}] {:<22} !! {}", i + 1, event.to_string(), error_chain(&e));
            }
        }
    }
    Ok(summary)
}

fn main() -> Result<()> {
    let processor = CardProcessor::default()
        .with_account("4111111111111111", 5_000, false)
        .with_account("5555555555554444", 50, false)
        .with_account("378282246310005", 10_000, true);

    let mut meter = ParkingMeter::builder()
        .id("MTR-0042 Main St")
        .rate_per_hour(200)
        .max_minutes(120)
        .min_minutes(5)
        .accept_coins(&[5, 10, 25, 100])
        .min_card_charge(50)
        .opens_at(9, 0)
        .processor(processor)
        .build()
        .context("failed to configure the parking meter")?;

    use Event::*;
    let events = vec![
        Confirm,
        InsertCoin(25),
        InsertCoin(100),
        InsertCoin(3),
        Confirm,
        Tick(20),
        InsertCard("4111111111111111"),
        SelectMinutes(150),
        SelectMinutes(60),
        Tick(90),
        InsertCard("5555555555554444"),
        SelectMinutes(30),
        InsertCard("378282246310005"),
        SelectMinutes(15),
        InsertCard("4111111111111112"),
        SelectMinutes(30),
        InsertCoin(100),
        Cancel,
        InsertCoin(25),
        Fault("coin jam"),
        InsertCoin(25),
        Repair,
        InsertCoin(10),
        Confirm,
        InsertCoin(25),
        Confirm,
        Tick(15),
        PrintReceipt,
    ];

    println!("Meter {} opens at {}, {}c/hour, max stay {} min\n", meter.id, hhmm(meter.clock), meter.rate_per_hour, meter.max_minutes);
    let summary = run_script(&mut meter, &events).context("event script aborted")?;

    println!("\n{} event(s) handled, {} rejected", summary.handled, summary.rejected);
    println!("Receipts issued:");
    for r in &meter.receipts {
        println!("  {r}");
    }
    let receipts_total: u32 = meter.receipts.iter().map(|r| r.amount).sum();
    println!(
        "Revenue: coins {}c + card {}c = {}c; refunded {}c",
        meter.coin_revenue,
        meter.card_revenue,
        meter.coin_revenue + meter.card_revenue,
        meter.refunded
    );
    ensure!(
        receipts_total == meter.coin_revenue + meter.card_revenue,
        "revenue {} does not match receipts {}",
        meter.coin_revenue + meter.card_revenue,
        receipts_total
    );

    // Misconfiguration surfaces as an error with context.
    let broken = ParkingMeter::builder().id("MTR-0043").rate_per_hour(0).accept_coins(&[25]).build();
    match broken.context("configuring meter MTR-0043") {
        Ok(_) => println!("\nunexpectedly configured MTR-0043"),
        Err(e) => println!("\nexpected configuration failure: {e:#}"),
    }
    Ok(())
}
