//! library-fines: compute overdue fines from a CSV of loans using a tiered
//! daily rate, a grace period and per-item caps, then summarise per member.
//!
//! Usage: library-fines [LOANS.csv] [AS_OF yyyy-mm-dd]

use anyhow::{Context, Result};
use chrono::NaiveDate;
use itertools::Itertools;
use serde::Deserialize;

const SAMPLE: &str = "\
loan_id,member,title,item_type,borrowed,due,returned
L001,alice,The Rust Programming Language,book,2024-01-02,2024-01-23,2024-01-22
L002,alice,Dune,book,2024-01-05,2024-01-26,2024-02-10
L003,bob,Planet Earth II,dvd,2024-01-10,2024-01-17,2024-01-30
L004,bob,National Geographic Jan,magazine,2024-01-10,2024-01-17,
L005,carol,Designing Data-Intensive Applications,book,2023-11-01,2023-11-22,2024-02-15
L006,carol,Arduino Starter Kit,equipment,2024-02-01,2024-02-08,2024-02-09
L007,dave,The Hobbit,book,2024-02-01,2024-02-22,
L008,alice,Inception,dvd,2024-02-20,2024-02-27,2024-02-28
L009,erin,Clean Code,book,2024-01-15,2024-02-05,2024-02-06
L010,bob,Raspberry Pi 5,equipment,2024-01-20,2024-01-27,2024-03-01
";

#[derive(Debug, Clone, Deserialize)]
struct Loan {
    loan_id: String,
    member: String,
    title: String,
    item_type: String,
    borrowed: NaiveDate,
    due: NaiveDate,
    returned: Option<NaiveDate>,
}

/// Daily rates in cents by overdue-day tier: (first day of tier, cents/day).
const TIERS: [(i64, i64); 3] = [(1, 25), (8, 50), (31, 100)];
const GRACE_DAYS: i64 = 2;

fn item_multiplier(item_type: &str) -> i64 {
    match item_type {
        "dvd" => 2,
        "equipment" => 4,
        "magazine" => 1,
        _ => 1,
    }
}

fn item_cap_cents(item_type: &str) -> i64 {
    match item_type {
        "book" => 2_000,
        "dvd" => 3_000,
        "magazine" => 500,
        "equipment" => 10_000,
        _ => 2_500,
    }
}

#[derive(Debug, Clone)]
struct Fine<'a> {
    loan: &'a Loan,
    days_late: i64,
    amount: i64,
    capped: bool,
    still_out: bool,
}

/// Fine for `days` late: each day is charged at the rate of the tier it falls in.
fn tiered_amount(days: i64) -> i64 {
    (1..=days)
        .map(|d| TIERS.iter().rev().find(|(start, _)| d >= *start).map_or(0, |(_, rate)| *rate))
        .sum()
}

fn fines<'a>(loans: &'a [Loan], as_of: NaiveDate) -> impl Iterator<Item = Fine<'a>> + 'a {
    loans.iter().filter_map(move |loan| {
        let end = loan.returned.unwrap_or(as_of);
        let days_late = (end - loan.due).num_days();
        if days_late <= GRACE_DAYS {
            return None;
        }
        let raw = tiered_amount(days_late) * item_multiplier(&loan.item_type);
        let cap = item_cap_cents(&loan.item_type);
        Some(Fine { loan, days_late, amount: raw.min(cap), capped: raw > cap, still_out: loan.returned.is_none() })
    })
}

fn money(cents: i64) -> String {
    format!("${}.{:02}", cents / 100, cents % 100)
}

fn load(args: &[String]) -> Result<(Vec<Loan>, NaiveDate)> {
    let data = match args.first() {
        Some(path) => std::fs::read_to_string(path).with_context(|| format!("reading {path}"))?,
        None => SAMPLE.to_string(),
    };
    let as_of = match args.get(1) {
        Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d").with_context(|| format!("bad date {d}"))?,
        None => NaiveDate::from_ymd_opt(2024, 3, 15).context("invalid default date")?,
    };
    let mut reader = csv::Reader::from_reader(data.as_bytes());
    let loans = reader
        .deserialize::<Loan>()
        .enumerate()
        .map(|(i, r)| r.with_context(|| format!("CSV record {}", i + 1)))
        .collect::<Result<Vec<_>>>()?;
    Ok((loans, as_of))
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (loans, as_of) = load(&args)?;
    println!("{} loans, fines computed as of {} (grace {} days)\n", loans.len(), as_of, GRACE_DAYS);

    let invalid: Vec<&Loan> = loans.iter().filter(|l| l.due < l.borrowed || l.returned.map_or(false, |r| r < l.borrowed)).collect();
    for l in &invalid {
        eprintln!("warning: loan {} has inconsistent dates", l.loan_id);
    }

    let all: Vec<Fine> = fines(&loans, as_of).collect();

    println!("{:<5} {:<8} {:<38} {:<10} {:>5} {:>9}", "loan", "member", "title", "type", "late", "fine");
    for f in all.iter().sorted_by(|a, b| b.amount.cmp(&a.amount).then(a.loan.loan_id.cmp(&b.loan.loan_id))) {
        let flags = [(f.capped, "capped"), (f.still_out, "still out")].iter().filter(|(on, _)| *on).map(|(_, s)| *s).join(", ");
        println!(
            "{:<5} {:<8} {:<38} {:<10} {:>5} {:>9} {}",
            f.loan.loan_id,
            f.loan.member,
            f.loan.title.chars().take(38).collect::<String>(),
            f.loan.item_type,
            f.days_late,
            money(f.amount),
            if flags.is_empty() { String::new() } else { format!("({flags})") }
        );
    }

    println!("\nPer member:");
    let grouped = all.iter().sorted_by_key(|f| f.loan.member.as_str()).group_by(|f| f.loan.member.as_str());
    let mut members: Vec<(&str, usize, i64, i64)> = grouped
        .into_iter()
        .map(|(member, fs)| {
            fs.fold((member, 0usize, 0i64, 0i64), |(m, n, total, worst), f| (m, n + 1, total + f.amount, worst.max(f.days_late)))
        })
        .collect();
    members.sort_by(|a, b| b.2.cmp(&a.2));
    for (member, n, total, worst) in &members {
        let status = if *total >= 1_000 { "BLOCKED" } else { "ok" };
        println!("  {member:<8} {n} fine(s) {:>9}  worst {worst:>3} days late  [{status}]", money(*total));
    }

    let clean: Vec<&str> = loans.iter().map(|l| l.member.as_str()).unique().filter(|m| !members.iter().any(|(x, ..)| x == m)).sorted().collect();
    println!("  no fines: {}", if clean.is_empty() { "-".to_string() } else { clean.join(", ") });

    let by_type = all.iter().into_group_map_by(|f| f.loan.item_type.as_str());
    println!("\nBy item type:");
    for (ty, fs) in by_type.iter().sorted_by_key(|(t, _)| **t) {
        println!("  {ty:<10} {:>2} fine(s) {:>9}", fs.len(), money(fs.iter().map(|f| f.amount).sum()));
    }
    let total: i64 = all.iter().map(|f| f.amount).sum();
    println!("\nTotal outstanding fines: {}", money(total));
    Ok(())
}
