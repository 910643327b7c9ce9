//! ledger-double-entry: a double-entry bookkeeping ledger. Journal entries
//! must balance before they are posted; the ledger can be iterated directly
//! (`for entry in &ledger`) and produces a trial balance.

use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum AccountType {
    Asset,
    Liability,
    Equity,
    Revenue,
    Expense,
}

impl AccountType {
    /// Assets and expenses increase with debits; the rest with credits.
    fn debit_normal(self) -> bool {
        matches!(self, AccountType::Asset | AccountType::Expense)
    }
}

#[derive(Debug, Clone)]
struct Account {
    code: u32,
    name: String,
    kind: AccountType,
}

#[derive(Debug, Clone)]
struct Line {
    account: u32,
    debit: i64, // cents
    credit: i64,
}

#[derive(Debug, Clone)]
struct JournalEntry {
    id: usize,
    date: NaiveDate,
    memo: String,
    lines: Vec<Line>,
}

impl JournalEntry {
    fn total_debits(&self) -> i64 {
        self.lines.iter().map(|l| l.debit).sum()
    }
    fn total_credits(&self) -> i64 {
        self.lines.iter().map(|l| l.credit).sum()
    }
}

#[derive(Debug)]
enum LedgerError {
    Unbalanced { debits: i64, credits: i64 },
    UnknownAccount(u32),
    TooFewLines,
    InvalidLine { account: u32, reason: &'static str },
    DuplicateAccount(u32),
}

impl fmt::Display for LedgerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LedgerError::Unbalanced { debits, credits } => {
                write!(f, "entry does not balance: debits {} != credits {}", money(*debits), money(*credits))
            }
            LedgerError::UnknownAccount(c) => write!(f, "unknown account {c}"),
            LedgerError::TooFewLines => write!(f, "an entry needs at least two lines"),
            LedgerError::InvalidLine { account, reason } => write!(f, "invalid line for account {account}: {reason}"),
            LedgerError::DuplicateAccount(c) => write!(f, "account {c} already exists"),
        }
    }
}

impl std::error::Error for LedgerError {}

#[derive(Debug, Default)]
struct Ledger {
    accounts: BTreeMap<u32, Account>,
    entries: Vec<JournalEntry>,
}

/// Iterator over posted journal entries, yielding references.
struct Entries<'a> {
    inner: std::slice::Iter<'a, JournalEntry>,
}

impl<'a> Iterator for Entries<'a> {
    type Item = &'a JournalEntry;

    fn next(&mut self) -> Option<Self::Item> {
        self.inner.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl<'a> DoubleEndedIterator for Entries<'a> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.inner.next_back()
    }
}

impl<'a> ExactSizeIterator for Entries<'a> {}

impl<'a> IntoIterator for &'a Ledger {
    type Item = &'a JournalEntry;
    type IntoIter = Entries<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl Ledger {
    fn iter(&self) -> Entries<'_> {
        Entries { inner: self.entries.iter() }
    }

    fn open_account(&mut self, code: u32, name: &str, kind: AccountType) -> Result<(), LedgerError> {
        if self.accounts.contains_key(&code) {
            return Err(LedgerError::DuplicateAccount(code));
        }
        self.accounts.insert(code, Account { code, name: name.to_string(), kind });
        Ok(())
    }

    /// Validate and post an entry. `lines` are (account, debit, credit) in cents.
    fn post(&mut self, date: NaiveDate, memo: &str, lines: &[(u32, i64, i64)]) -> Result<usize, LedgerError> {
        if lines.len() < 2 {
            return Err(LedgerError::TooFewLines);
        }
        for &(account, debit, credit) in lines {
            if !self.accounts.contains_key(&account) {
                return Err(LedgerError::UnknownAccount(account));
            }
            if debit < 0 || credit < 0 {
                return Err(LedgerError::InvalidLine { account, reason: "negative amount" });
            }
            if (debit > 0) == (credit > 0) {
                return Err(LedgerError::InvalidLine { account, reason: "exactly one of debit/credit must be set" });
            }
        }
        let entry = JournalEntry {
            id: self.entries.len() + 1,
            date,
            memo: memo.to_string(),
            lines: lines.iter().map(|&(account, debit, credit)| Line { account, debit, credit }).collect(),
        };
        let (debits, credits) = (entry.total_debits(), entry.total_credits());
        if debits != credits {
            return Err(LedgerError::Unbalanced { debits, credits });
        }
        self.entries.push(entry);
        Ok(self.entries.len())
    }

    /// (debits, credits) per account across all posted entries.
    fn totals(&self) -> BTreeMap<u32, (i64, i64)> {
        let mut totals: BTreeMap<u32, (i64, i64)> = self.accounts.keys().map(|&c| (c, (0, 0))).collect();
        for entry in self {
            for line in &entry.lines {
                let t = totals.entry(line.account).or_default();
                t.0 += line.debit;
                t.1 += line.credit;
            }
        }
        totals
    }

    fn balance(&self, code: u32) -> i64 {
        let acct = &self.accounts[&code];
        let (d, c) = self.totals().get(&code).copied().unwrap_or((0, 0));
        if acct.kind.debit_normal() { d - c } else { c - d }
    }

    fn print_trial_balance(&self, as_of: NaiveDate) {
        println!("\nTRIAL BALANCE as of {}", as_of.format("%B %-d, %Y"));
        println!("{:<6} {:<26} {:>14} {:>14}", "Code", "Account", "Debit", "Credit");
        println!("{}", "-".repeat(63));
        let (mut total_dr, mut total_cr) = (0, 0);
        for (code, (d, c)) in self.totals() {
            let acct = &self.accounts[&code];
            let net = d - c;
            if net == 0 {
                continue;
            }
            let (dr, cr) = if net > 0 { (money(net), String::new()) } else { (String::new(), money(-net)) };
            total_dr += net.max(0);
            total_cr += (-net).max(0);
            println!("{:<6} {:<26} {:>14} {:>14}", code, acct.name, dr, cr);
        }
        println!("{}", "-".repeat(63));
        println!("{:<33} {:>14} {:>14}", "Totals", money(total_dr), money(total_cr));
        println!("{}", if total_dr == total_cr { "Ledger is in balance." } else { "*** LEDGER OUT OF BALANCE ***" });
    }

    fn print_income_summary(&self) {
        let sum_kind = |kind: AccountType| -> i64 {
            self.accounts.values().filter(|a| a.kind == kind).map(|a| self.balance(a.code)).sum()
        };
        let revenue = sum_kind(AccountType::Revenue);
        let expenses = sum_kind(AccountType::Expense);
        println!("\nIncome summary: revenue {} - expenses {} = net income {}", money(revenue), money(expenses), money(revenue - expenses));
    }
}

fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.abs();
    let whole = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{sign}{grouped}.{:02}", abs % 100)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn main() {
    let mut ledger = Ledger::default();
    let chart = [
        (1000, "Cash", AccountType::Asset),
        (1100, "Accounts Receivable", AccountType::Asset),
        (1500, "Equipment", AccountType::Asset),
        (2000, "Accounts Payable", AccountType::Liability),
        (2100, "Loan Payable", AccountType::Liability),
        (3000, "Owner's Capital", AccountType::Equity),
        (4000, "Consulting Revenue", AccountType::Revenue),
        (5000, "Rent Expense", AccountType::Expense),
        (5100, "Salaries Expense", AccountType::Expense),
        (5200, "Supplies Expense", AccountType::Expense),
    ];
    for (code, name, kind) in chart {
        ledger.open_account(code, name, kind).expect("fresh chart of accounts");
    }

    let postings: Vec<(NaiveDate, &str, Vec<(u32, i64, i64)>)> = vec![
        (date(2024, 1, 2), "Owner investment", vec![(1000, 5_000_000, 0), (3000, 0, 5_000_000)]),
        (date(2024, 1, 3), "Bank loan", vec![(1000, 2_000_000, 0), (2100, 0, 2_000_000)]),
        (date(2024, 1, 5), "Buy laptops, half on credit", vec![(1500, 480_000, 0), (1000, 0, 240_000), (2000, 0, 240_000)]),
        (date(2024, 1, 10), "January rent", vec![(5000, 150_000, 0), (1000, 0, 150_000)]),
        (date(2024, 1, 15), "Invoice client A", vec![(1100, 900_000, 0), (4000, 0, 900_000)]),
        (date(2024, 1, 20), "Cash consulting job", vec![(1000, 125_050, 0), (4000, 0, 125_050)]),
        (date(2024, 1, 25), "Office supplies", vec![(5200, 8_999, 0), (1000, 0, 8_999)]),
        (date(2024, 1, 28), "Client A pays half", vec![(1000, 450_000, 0), (1100, 0, 450_000)]),
        (date(2024, 1, 31), "Payroll", vec![(5100, 600_000, 0), (1000, 0, 600_000)]),
        // Invalid entries that must be rejected:
        (date(2024, 1, 31), "Typo: unbalanced", vec![(5000, 10_000, 0), (1000, 0, 1_000)]),
        (date(2024, 1, 31), "Unknown account", vec![(9999, 10_000, 0), (1000, 0, 10_000)]),
        (date(2024, 1, 31), "Single line", vec![(1000, 10_000, 0)]),
        (date(2024, 1, 31), "Both sides on a line", vec![(1000, 500, 500), (2000, 0, 0)]),
    ];

    for (d, memo, lines) in &postings {
        match ledger.post(*d, memo, lines) {
            Ok(id) => println!("posted   #{id:<3} {d} {memo}"),
            Err(e) => println!("REJECTED      {d} {memo}: {e}"),
        }
    }

    println!("\nGENERAL JOURNAL");
    for entry in &ledger {
        println!("#{:<3} {}  {}", entry.id, entry.date, entry.memo);
        for line in &entry.lines {
            let name = &ledger.accounts[&line.account].name;
            if line.debit > 0 {
                println!("       {:<28} {:>12}", name, money(line.debit));
            } else {
                println!("           {:<24} {:>12} {:>12}", name, "", money(line.credit));
            }
        }
    }

    let biggest = ledger.iter().max_by_key(|e| e.total_debits());
    if let Some(e) = biggest {
        println!("\nLargest entry: #{} {} ({})", e.id, e.memo, money(e.total_debits()));
    }
    let last = ledger.iter().next_back().map(|e| e.date).unwrap_or(date(2024, 1, 31));
    println!("Posted entries: {}", ledger.iter().len());
    println!("Cash balance: {}", money(ledger.balance(1000)));

    ledger.print_trial_balance(last);
    ledger.print_income_summary();
}
