use anyhow::{Context, Result};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
enum Category {
    Groceries,
    Rent,
    Transport,
    Dining,
    Entertainment,
    Utilities,
    Other,
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Expense {
    date: NaiveDate,
    category: Category,
    amount_cents: i64,
    note: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Tracker {
    expenses: Vec<Expense>,
    /// Monthly budget per category, in cents.
    budgets: BTreeMap<Category, i64>,
}

#[derive(Debug)]
struct Warning {
    category: Category,
    spent: i64,
    budget: i64,
}

fn money(cents: i64) -> String {
    format!("${}.{:02}", cents / 100, (cents % 100).abs())
}

impl Tracker {
    fn set_budget(&mut self, category: Category, cents: i64) {
        self.budgets.insert(category, cents);
    }

    /// Adds an expense and returns a warning if the category's monthly budget is now exceeded.
    fn add(&mut self, date: NaiveDate, category: Category, amount_cents: i64, note: &str) -> Option<Warning> {
        self.expenses.push(Expense { date, category, amount_cents, note: note.to_string() });
        let spent = self.spent_in(date.year(), date.month(), category);
        match self.budgets.get(&category) {
            Some(&budget) if spent > budget => Some(Warning { category, spent, budget }),
            _ => None,
        }
    }

    fn spent_in(&self, year: i32, month: u32, category: Category) -> i64 {
        self.expenses
            .iter()
            .filter(|e| e.date.year() == year && e.date.month() == month && e.category == category)
            .map(|e| e.amount_cents)
            .sum()
    }

    fn months(&self) -> Vec<(i32, u32)> {
        let mut m: Vec<(i32, u32)> = self.expenses.iter().map(|e| (e.date.year(), e.date.month())).collect();
        m.sort();
        m.dedup();
        m
    }

    fn monthly_report(&self, year: i32, month: u32) {
        println!("\n=== {}-{:02} ===", year, month);
        let mut by_cat: BTreeMap<Category, i64> = BTreeMap::new();
        for e in self.expenses.iter().filter(|e| e.date.year() == year && e.date.month() == month) {
            *by_cat.entry(e.category).or_insert(0) += e.amount_cents;
        }
        println!("{:<14} {:>10} {:>10} {:>8}", "Category", "Spent", "Budget", "Used");
        let mut total = 0;
        for (cat, spent) in &by_cat {
            total += spent;
            match self.budgets.get(cat) {
                Some(&b) => {
                    let pct = *spent as f64 * 100.0 / b as f64;
                    let flag = if *spent > b { "  OVER" } else if pct >= 80.0 { "  near" } else { "" };
                    println!("{:<14} {:>10} {:>10} {:>7.0}%{}", cat.to_string(), money(*spent), money(b), pct, flag);
                }
                None => println!("{:<14} {:>10} {:>10} {:>8}", cat.to_string(), money(*spent), "-", "-"),
            }
        }
        println!("{:<14} {:>10}", "TOTAL", money(total));
    }

    fn save(&self, path: &Path) -> Result<()> {
        fs::write(path, serde_json::to_string_pretty(self)?).with_context(|| format!("saving to {}", path.display()))
    }

    fn load(path: &Path) -> Result<Self> {
        let text = fs::read_to_string(path).with_context(|| format!("loading {}", path.display()))?;
        Ok(serde_json::from_str(&text)?)
    }
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

fn main() -> Result<()> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "expenses.json".to_string());
    let path = Path::new(&path);

    let mut tracker = if path.exists() {
        println!("Loading existing data from {}", path.display());
        Tracker::load(path)?
    } else {
        Tracker::default()
    };

    if tracker.expenses.is_empty() {
        use Category::*;
        tracker.set_budget(Groceries, 400_00);
        tracker.set_budget(Dining, 150_00);
        tracker.set_budget(Transport, 100_00);
        tracker.set_budget(Entertainment, 80_00);
        tracker.set_budget(Rent, 1200_00);

        let sample = [
            (d(2024, 5, 1), Rent, 1200_00, "May rent"),
            (d(2024, 5, 3), Groceries, 86_45, "Weekly shop"),
            (d(2024, 5, 5), Dining, 42_00, "Pizza night"),
            (d(2024, 5, 9), Transport, 60_00, "Monthly pass"),
            (d(2024, 5, 10), Groceries, 112_30, "Weekly shop"),
            (d(2024, 5, 14), Dining, 68_50, "Birthday dinner"),
            (d(2024, 5, 17), Entertainment, 55_00, "Concert"),
            (d(2024, 5, 18), Dining, 47_25, "Brunch"),
            (d(2024, 5, 22), Entertainment, 30_00, "Cinema"),
            (d(2024, 5, 24), Utilities, 74_10, "Electricity"),
            (d(2024, 5, 28), Groceries, 95_80, "Weekly shop"),
            (d(2024, 6, 1), Rent, 1200_00, "June rent"),
            (d(2024, 6, 2), Groceries, 64_00, "Weekly shop"),
            (d(2024, 6, 4), Transport, 120_00, "Train tickets"),
            (d(2024, 6, 6), Other, 19_99, "Phone case"),
        ];
        for (date, cat, amount, note) in sample {
            if let Some(w) = tracker.add(date, cat, amount, note) {
                println!(
                    "WARNING {}: {} over budget ({} spent of {}) after '{}'",
                    date,
                    w.category,
                    money(w.spent - w.budget),
                    money(w.spent),
                    money(w.budget).to_string() + "'s budget; note: " + note
                );
            }
        }
    }

    for (y, m) in tracker.months() {
        tracker.monthly_report(y, m);
    }

    tracker.save(path)?;
    let reloaded = Tracker::load(path)?;
    println!(
        "\nSaved {} expenses and {} budgets to {} (reload check: {} expenses)",
        tracker.expenses.len(),
        tracker.budgets.len(),
        path.display(),
        reloaded.expenses.len()
    );
    Ok(())
}
