use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;
use std::fmt;
use thiserror::Error;

#[derive(Debug, Error)]
enum LedgerError {
    #[error("account {0} not found")]
    AccountNotFound(u32),
    #[error("insufficient funds in account {account}: balance {balance}, requested {requested}, overdraft limit {limit}")]
    Overdraft { account: u32, balance: Money, requested: Money, limit: Money },
    #[error("amount must be positive, got {0}")]
    InvalidAmount(Money),
    #[error("cannot transfer to the same account {0}")]
    SameAccount(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Money(i64); // cents

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.abs();
        write!(f, "{}${}.{:02}", sign, abs / 100, abs % 100)
    }
}

#[derive(Debug, Clone)]
enum Kind {
    Deposit,
    Withdrawal,
    TransferIn(u32),
    TransferOut(u32),
}

#[derive(Debug, Clone)]
struct Entry {
    date: NaiveDate,
    kind: Kind,
    amount: Money,
    balance_after: Money,
    memo: String,
}

#[derive(Debug)]
struct Account {
    id: u32,
    owner: String,
    balance: Money,
    overdraft_limit: Money,
    entries: Vec<Entry>,
}

#[derive(Default)]
struct Bank {
    accounts: HashMap<u32, Account>,
    next_id: u32,
}

impl Bank {
    fn open(&mut self, owner: &str, overdraft_limit: i64) -> u32 {
        self.next_id += 1;
        let id = 1000 + self.next_id;
        self.accounts.insert(
            id,
            Account {
                id,
                owner: owner.to_string(),
                balance: Money(0),
                overdraft_limit: Money(overdraft_limit),
                entries: Vec::new(),
            },
        );
        id
    }

    fn account_mut(&mut self, id: u32) -> Result<&mut Account, LedgerError> {
        self.accounts.get_mut(&id).ok_or(LedgerError::AccountNotFound(id))
    }

    fn deposit(&mut self, id: u32, cents: i64, date: NaiveDate, memo: &str) -> Result<(), LedgerError> {
        if cents <= 0 {
            return Err(LedgerError::InvalidAmount(Money(cents)));
        }
        let acct = self.account_mut(id)?;
        acct.balance = Money(acct.balance.0 + cents);
        let balance_after = acct.balance;
        acct.entries.push(Entry { date, kind: Kind::Deposit, amount: Money(cents), balance_after, memo: memo.into() });
        Ok(())
    }

    fn check_funds(acct: &Account, cents: i64) -> Result<(), LedgerError> {
        if acct.balance.0 - cents < -acct.overdraft_limit.0 {
            return Err(LedgerError::Overdraft {
                account: acct.id,
                balance: acct.balance,
                requested: Money(cents),
                limit: acct.overdraft_limit,
            });
        }
        Ok(())
    }

    fn withdraw(&mut self, id: u32, cents: i64, date: NaiveDate, memo: &str) -> Result<(), LedgerError> {
        if cents <= 0 {
            return Err(LedgerError::InvalidAmount(Money(cents)));
        }
        let acct = self.account_mut(id)?;
        Self::check_funds(acct, cents)?;
        acct.balance = Money(acct.balance.0 - cents);
        let balance_after = acct.balance;
        acct.entries.push(Entry { date, kind: Kind::Withdrawal, amount: Money(cents), balance_after, memo: memo.into() });
        Ok(())
    }

    fn transfer(&mut self, from: u32, to: u32, cents: i64, date: NaiveDate, memo: &str) -> Result<(), LedgerError> {
        if from == to {
            return Err(LedgerError::SameAccount(from));
        }
        if cents <= 0 {
            return Err(LedgerError::InvalidAmount(Money(cents)));
        }
        if !self.accounts.contains_key(&to) {
            return Err(LedgerError::AccountNotFound(to));
        }
        {
            let src = self.account_mut(from)?;
            Self::check_funds(src, cents)?;
            src.balance = Money(src.balance.0 - cents);
            let balance_after = src.balance;
            src.entries.push(Entry { date, kind: Kind::TransferOut(to), amount: Money(cents), balance_after, memo: memo.into() });
        }
        let dst = self.account_mut(to)?;
        dst.balance = Money(dst.balance.0 + cents);
        let balance_after = dst.balance;
        dst.entries.push(Entry { date, kind: Kind::TransferIn(from), amount: Money(cents), balance_after, memo: memo.into() });
        Ok(())
    }

    fn statement(&self, id: u32, year: i32, month: u32) -> Result<(), LedgerError> {
        let acct = self.accounts.get(&id).ok_or(LedgerError::AccountNotFound(id))?;
        let in_month: Vec<&Entry> = acct.entries.iter().filter(|e| e.date.year() == year && e.date.month() == month).collect();
        let opening = acct
            .entries
            .iter()
            .filter(|e| (e.date.year(), e.date.month()) < (year, month))
            .last()
            .map(|e| e.balance_after)
            .unwrap_or(Money(0));
        println!("==================================================================");
        println!("Statement for account {} ({}) — {}-{:02}", acct.id, acct.owner, year, month);
        println!("Opening balance: {}", opening);
        println!("{:<12} {:<22} {:>12} {:>12}  {}", "Date", "Type", "Amount", "Balance", "Memo");
        let (mut credits, mut debits) = (0i64, 0i64);
        for e in &in_month {
            let (label, signed) = match &e.kind {
                Kind::Deposit => ("Deposit".to_string(), e.amount.0),
                Kind::Withdrawal => ("Withdrawal".to_string(), -e.amount.0),
                Kind::TransferIn(f) => (format!("Transfer from {}", f), e.amount.0),
                Kind::TransferOut(t) => (format!("Transfer to {}", t), -e.amount.0),
            };
            if signed >= 0 { credits += signed } else { debits += -signed }
            println!("{:<12} {:<22} {:>12} {:>12}  {}", e.date, label, Money(signed).to_string(), e.balance_after.to_string(), e.memo);
        }
        let closing = in_month.last().map(|e| e.balance_after).unwrap_or(opening);
        println!("Total credits: {}   Total debits: {}", Money(credits), Money(debits));
        println!("Closing balance: {}", closing);
        Ok(())
    }
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

fn main() {
    let mut bank = Bank::default();
    let alice = bank.open("Alice", 0);
    let bob = bank.open("Bob", 20_000);

    let ops: Vec<(&str, Result<(), LedgerError>)> = vec![
        ("deposit alice", bank.deposit(alice, 250_000, d(2024, 2, 28), "Opening deposit")),
        ("deposit bob", bank.deposit(bob, 50_000, d(2024, 3, 1), "Salary")),
        ("alice rent", bank.withdraw(alice, 120_000, d(2024, 3, 2), "Rent")),
        ("alice->bob", bank.transfer(alice, bob, 15_000, d(2024, 3, 5), "Dinner split")),
        ("bob groceries", bank.withdraw(bob, 80_000, d(2024, 3, 9), "Groceries + TV")),
        ("bob overdraft", bank.withdraw(bob, 10_000, d(2024, 3, 12), "Concert tickets")),
        ("alice too much", bank.withdraw(alice, 500_000, d(2024, 3, 15), "Car")),
        ("negative", bank.deposit(alice, -5, d(2024, 3, 16), "Oops")),
        ("unknown acct", bank.transfer(alice, 9999, 100, d(2024, 3, 17), "Typo")),
        ("bob->alice", bank.transfer(bob, alice, 5_000, d(2024, 3, 20), "Repay")),
        ("alice april", bank.deposit(alice, 10_000, d(2024, 4, 1), "Refund")),
    ];

    for (name, result) in &ops {
        match result {
            Ok(()) => println!("[ok]    {}", name),
            Err(e) => println!("[error] {}: {}", name, e),
        }
    }
    println!();
    for id in [alice, bob] {
        if let Err(e) = bank.statement(id, 2024, 3) {
            println!("statement error: {}", e);
        }
    }
}
