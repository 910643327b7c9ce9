use rand::Rng;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

#[derive(Debug)]
struct Account {
    id: usize,
    owner: String,
    balance: u64, // cents
    transfers_in: u64,
    transfers_out: u64,
}

#[derive(Debug, PartialEq)]
enum TransferError {
    SameAccount,
    ZeroAmount,
    UnknownAccount(usize),
    InsufficientFunds { available: u64, requested: u64 },
}

impl fmt::Display for TransferError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransferError::SameAccount => write!(f, "cannot transfer to the same account"),
            TransferError::ZeroAmount => write!(f, "amount must be positive"),
            TransferError::UnknownAccount(id) => write!(f, "account {} does not exist", id),
            TransferError::InsufficientFunds {
                available,
                requested,
            } => write!(f, "insufficient funds: {} available, {} requested", available, requested),
        }
    }
}

struct Bank {
    accounts: Vec<Mutex<Account>>,
    completed: AtomicU64,
    rejected: AtomicU64,
    volume: AtomicU64,
}

impl Bank {
    fn new(owners: &[(&str, u64)]) -> Self {
        let accounts = owners
            .iter()
            .enumerate()
            .map(|(id, (owner, balance))| {
                Mutex::new(Account {
                    id,
                    owner: owner.to_string(),
                    balance: *balance,
                    transfers_in: 0,
                    transfers_out: 0,
                })
            })
            .collect();
        Bank {
            accounts,
            completed: AtomicU64::new(0),
            rejected: AtomicU64::new(0),
            volume: AtomicU64::new(0),
        }
    }

    /// Moves money between two accounts atomically. Locks are always taken in
    /// ascending index order, so two opposite transfers can never deadlock.
    fn transfer(&self, from: usize, to: usize, amount: u64) -> Result<(), TransferError> {
        if from == to {
            return Err(TransferError::SameAccount);
        }
        if amount == 0 {
            return Err(TransferError::ZeroAmount);
        }
        for id in [from, to] {
            if id >= self.accounts.len() {
                return Err(TransferError::UnknownAccount(id));
            }
        }

        let (low, high) = if from < to { (from, to) } else { (to, from) };
        let mut first = self.accounts[low].lock().expect("lock poisoned");
        let mut second = self.accounts[high].lock().expect("lock poisoned");
        let (source, target) = if from < to {
            (&mut *first, &mut *second)
        } else {
            (&mut *second, &mut *first)
        };

        if source.balance < amount {
            self.rejected.fetch_add(1, Ordering::Relaxed);
            return Err(TransferError::InsufficientFunds {
                available: source.balance,
                requested: amount,
            });
        }
        source.balance -= amount;
        source.transfers_out += 1;
        target.balance += amount;
        target.transfers_in += 1;
        self.completed.fetch_add(1, Ordering::Relaxed);
        self.volume.fetch_add(amount, Ordering::Relaxed);
        Ok(())
    }

    /// Consistent snapshot: hold every lock (in order) while summing.
    fn total(&self) -> u64 {
        let guards: Vec<_> = self
            .accounts
            .iter()
            .map(|a| a.lock().expect("lock poisoned"))
            .collect();
        guards.iter().map(|g| g.balance).sum()
    }
}

fn dollars(cents: u64) -> String {
    format!("${}.{:02}", cents / 100, cents % 100)
}

fn main() {
    let bank = Arc::new(Bank::new(&[
        ("Alice", 500_000),
        ("Bob", 250_000),
        ("Carol", 120_000),
        ("Dave", 80_000),
        ("Erin", 40_000),
        ("Frank", 10_000),
    ]));
    let expected_total = bank.total();
    println!("Initial total: {}", dollars(expected_total));

    // Error cases first.
    for (from, to, amount) in [(0, 0, 100), (0, 1, 0), (0, 9, 100), (5, 0, 1_000_000)] {
        if let Err(e) = bank.transfer(from, to, amount) {
            println!("  transfer {} -> {} of {}: {}", from, to, dollars(amount), e);
        }
    }

    let workers = 8;
    let transfers_per_worker = 20_000;
    let running = Arc::new(AtomicBool::new(true));

    let auditor = {
        let bank = Arc::clone(&bank);
        let running = Arc::clone(&running);
        thread::spawn(move || {
            let (mut audits, mut violations) = (0u64, 0u64);
            while running.load(Ordering::Acquire) {
                if bank.total() != expected_total {
                    violations += 1;
                }
                audits += 1;
                thread::sleep(Duration::from_millis(1));
            }
            (audits, violations)
        })
    };

    let started = Instant::now();
    let handles: Vec<_> = (0..workers)
        .map(|worker| {
            let bank = Arc::clone(&bank);
            thread::spawn(move || {
                let mut rng = rand::thread_rng();
                let n = bank.accounts.len();
                let mut ok = 0u32;
                for _ in 0..transfers_per_worker {
                    let from = rng.gen_range(0..n);
                    let mut to = rng.gen_range(0..n - 1);
                    if to >= from {
                        to += 1; // any account except `from`
                    }
                    let amount = rng.gen_range(1..=5_000);
                    if bank.transfer(from, to, amount).is_ok() {
                        ok += 1;
                    }
                }
                (worker, ok)
            })
        })
        .collect();

    for handle in handles {
        let (worker, ok) = handle.join().expect("worker panicked");
        println!("  worker {} finished: {} successful transfers", worker, ok);
    }
    let elapsed = started.elapsed();
    running.store(false, Ordering::Release);
    let (audits, violations) = auditor.join().expect("auditor panicked");

    println!("\nFinal balances:");
    for account in &bank.accounts {
        let a = account.lock().expect("lock poisoned");
        println!(
            "  #{} {:<6} {:>12}  (in {:>6}, out {:>6})",
            a.id,
            a.owner,
            dollars(a.balance),
            a.transfers_in,
            a.transfers_out
        );
    }

    let final_total = bank.total();
    println!(
        "\n{} transfers completed, {} rejected for insufficient funds, volume {}",
        bank.completed.load(Ordering::Relaxed),
        bank.rejected.load(Ordering::Relaxed),
        dollars(bank.volume.load(Ordering::Relaxed))
    );
    println!(
        "elapsed {:?}; auditor took {} snapshots, {} inconsistent",
        elapsed, audits, violations
    );
    println!(
        "total before {} / after {} -> {}",
        dollars(expected_total),
        dollars(final_total),
        if final_total == expected_total { "preserved" } else { "BROKEN" }
    );
    assert_eq!(final_total, expected_total, "money was created or destroyed");
    assert_eq!(violations, 0);
}
