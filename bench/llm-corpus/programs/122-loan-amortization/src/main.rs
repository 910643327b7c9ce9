use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, Copy)]
struct Period {
    number: u32,
    payment: f64,
    interest: f64,
    principal: f64,
    balance: f64,
}

/// Level payment needed to pay off `balance` over `n` periods at rate `r` per period.
fn annuity(balance: f64, r: f64, n: u32) -> f64 {
    if n == 0 {
        return balance;
    }
    if r.abs() < 1e-12 {
        balance / n as f64
    } else {
        balance * r / (1.0 - (1.0 + r).powi(-(n as i32)))
    }
}

trait LoanProduct {
    fn name(&self) -> &str;
    fn description(&self) -> String;
    fn principal(&self) -> f64;
    fn annual_rate(&self) -> f64;
    fn term_months(&self) -> u32;
    /// Principal portion due in period `n` given the outstanding balance and the accrued interest.
    fn principal_due(&self, n: u32, balance: f64, interest: f64) -> f64;

    fn monthly_rate(&self) -> f64 {
        self.annual_rate() / 12.0
    }

    fn schedule(&self) -> Vec<Period> {
        let mut balance = self.principal();
        let mut out = Vec::new();
        for n in 1..=self.term_months() {
            if balance <= 0.0 {
                break;
            }
            let interest = balance * self.monthly_rate();
            let mut principal = self.principal_due(n, balance, interest).max(0.0);
            if n == self.term_months() || principal > balance {
                principal = balance;
            }
            balance -= principal;
            if balance.abs() < 1e-6 {
                balance = 0.0;
            }
            out.push(Period { number: n, payment: interest + principal, interest, principal, balance });
        }
        out
    }
}

/// Generic helpers available on every loan, including `dyn LoanProduct`.
trait LoanAnalytics: LoanProduct {
    fn sum_by<F>(&self, f: F) -> f64
    where
        F: Fn(&Period) -> f64,
    {
        self.schedule().iter().map(f).sum()
    }

    fn first_period_where<P>(&self, pred: P) -> Option<Period>
    where
        P: Fn(&Period) -> bool,
    {
        self.schedule().into_iter().find(|p| pred(p))
    }

    fn grouped_totals<K, F>(&self, key: F) -> BTreeMap<K, (f64, f64)>
    where
        K: Ord,
        F: Fn(&Period) -> K,
    {
        self.schedule().iter().fold(BTreeMap::new(), |mut acc, p| {
            let entry = acc.entry(key(p)).or_insert((0.0, 0.0));
            entry.0 += p.interest;
            entry.1 += p.principal;
            acc
        })
    }
}

impl<T: LoanProduct + ?Sized> LoanAnalytics for T {}

struct FixedRateLoan {
    name: String,
    principal: f64,
    rate: f64,
    months: u32,
}

impl LoanProduct for FixedRateLoan {
    fn name(&self) -> &str {
        &self.name
    }
    fn description(&self) -> String {
        format!("fixed-rate annuity, {:.2}% over {} months", self.rate * 100.0, self.months)
    }
    fn principal(&self) -> f64 {
        self.principal
    }
    fn annual_rate(&self) -> f64 {
        self.rate
    }
    fn term_months(&self) -> u32 {
        self.months
    }
    fn principal_due(&self, n: u32, balance: f64, interest: f64) -> f64 {
        annuity(balance, self.monthly_rate(), self.months - n + 1) - interest
    }
}

struct ConstantPrincipalLoan {
    name: String,
    principal: f64,
    rate: f64,
    months: u32,
}

impl LoanProduct for ConstantPrincipalLoan {
    fn name(&self) -> &str {
        &self.name
    }
    fn description(&self) -> String {
        format!("equal principal, {:.2}% over {} months", self.rate * 100.0, self.months)
    }
    fn principal(&self) -> f64 {
        self.principal
    }
    fn annual_rate(&self) -> f64 {
        self.rate
    }
    fn term_months(&self) -> u32 {
        self.months
    }
    fn principal_due(&self, _n: u32, _balance: f64, _interest: f64) -> f64 {
        self.principal / self.months as f64
    }
}

struct InterestOnlyLoan {
    name: String,
    principal: f64,
    rate: f64,
    months: u32,
    interest_only_months: u32,
}

impl LoanProduct for InterestOnlyLoan {
    fn name(&self) -> &str {
        &self.name
    }
    fn description(&self) -> String {
        format!(
            "{} months interest-only, then amortizing; {:.2}% over {} months",
            self.interest_only_months,
            self.rate * 100.0,
            self.months
        )
    }
    fn principal(&self) -> f64 {
        self.principal
    }
    fn annual_rate(&self) -> f64 {
        self.rate
    }
    fn term_months(&self) -> u32 {
        self.months
    }
    fn principal_due(&self, n: u32, balance: f64, interest: f64) -> f64 {
        if n <= self.interest_only_months {
            0.0
        } else {
            annuity(balance, self.monthly_rate(), self.months - n + 1) - interest
        }
    }
}

/// A fixed-rate loan where the borrower pays a constant extra amount each month.
struct ExtraPaymentLoan {
    base: FixedRateLoan,
    extra: f64,
}

impl LoanProduct for ExtraPaymentLoan {
    fn name(&self) -> &str {
        &self.base.name
    }
    fn description(&self) -> String {
        format!("{} plus {} extra per month", self.base.description(), money(self.extra))
    }
    fn principal(&self) -> f64 {
        self.base.principal
    }
    fn annual_rate(&self) -> f64 {
        self.base.rate
    }
    fn term_months(&self) -> u32 {
        self.base.months
    }
    fn principal_due(&self, _n: u32, _balance: f64, interest: f64) -> f64 {
        let scheduled = annuity(self.base.principal, self.monthly_rate(), self.base.months);
        scheduled - interest + self.extra
    }
}

#[derive(Default)]
struct LoanRegistry {
    loans: Vec<Box<dyn LoanProduct>>,
    by_name: HashMap<String, usize>,
}

impl LoanRegistry {
    fn register(&mut self, loan: Box<dyn LoanProduct>) -> Result<(), String> {
        let name = loan.name().to_string();
        if self.by_name.contains_key(&name) {
            return Err(format!("loan '{name}' already registered"));
        }
        self.by_name.insert(name, self.loans.len());
        self.loans.push(loan);
        Ok(())
    }

    fn get(&self, name: &str) -> Option<&dyn LoanProduct> {
        self.by_name.get(name).map(|&i| self.loans[i].as_ref())
    }

    fn iter(&self) -> impl Iterator<Item = &dyn LoanProduct> + '_ {
        self.loans.iter().map(|b| b.as_ref())
    }
}

fn money(x: f64) -> String {
    let s = format!("{:.2}", x.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{}${}.{}", if x < 0.0 { "-" } else { "" }, grouped, frac)
}

fn print_schedule(loan: &dyn LoanProduct, full: bool) {
    println!("\n== {} ({}) ==", loan.name(), loan.description());
    println!("Principal: {}", money(loan.principal()));
    println!("{:>6} {:>14} {:>14} {:>14} {:>16}", "Month", "Payment", "Interest", "Principal", "Balance");
    println!("{}", "-".repeat(68));
    let schedule = loan.schedule();
    for (i, p) in schedule.iter().enumerate() {
        if !full && i >= 6 && i + 3 < schedule.len() {
            if i == 6 {
                println!("{:>6}", "...");
            }
            continue;
        }
        println!(
            "{:>6} {:>14} {:>14} {:>14} {:>16}",
            p.number,
            money(p.payment),
            money(p.interest),
            money(p.principal),
            money(p.balance)
        );
    }
    println!("{}", "-".repeat(68));
    println!(
        "{:>6} {:>14} {:>14} {:>14}",
        "Total",
        money(loan.sum_by(|p| p.payment)),
        money(loan.sum_by(|p| p.interest)),
        money(loan.sum_by(|p| p.principal))
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut registry = LoanRegistry::default();

    let loans: Vec<Box<dyn LoanProduct>> = vec![
        Box::new(FixedRateLoan { name: "car".into(), principal: 18_000.0, rate: 0.059, months: 12 }),
        Box::new(FixedRateLoan { name: "mortgage".into(), principal: 320_000.0, rate: 0.045, months: 360 }),
        Box::new(ConstantPrincipalLoan { name: "equal-principal".into(), principal: 320_000.0, rate: 0.045, months: 360 }),
        Box::new(InterestOnlyLoan {
            name: "interest-only".into(),
            principal: 320_000.0,
            rate: 0.045,
            months: 360,
            interest_only_months: 60,
        }),
        Box::new(ExtraPaymentLoan {
            base: FixedRateLoan { name: "mortgage+extra".into(), principal: 320_000.0, rate: 0.045, months: 360 },
            extra: 300.0,
        }),
    ];
    for loan in loans {
        if let Err(e) = registry.register(loan) {
            eprintln!("warning: {e}");
        }
    }

    // Optional custom loan: principal annual-rate-percent years
    if args.len() >= 3 {
        let parsed = (args[0].parse::<f64>(), args[1].parse::<f64>(), args[2].parse::<u32>());
        match parsed {
            (Ok(p), Ok(r), Ok(y)) if p > 0.0 && r >= 0.0 && y > 0 => {
                let loan = FixedRateLoan { name: "custom".into(), principal: p, rate: r / 100.0, months: y * 12 };
                registry.register(Box::new(loan)).expect("custom name is unique");
            }
            _ => eprintln!("usage: loan-amortization <principal> <annual-rate-%> <years>"),
        }
    }

    if let Some(car) = registry.get("car") {
        print_schedule(car, true);
    }
    if let Some(custom) = registry.get("custom") {
        print_schedule(custom, false);
    }
    for name in ["mortgage", "interest-only"] {
        if let Some(loan) = registry.get(name) {
            print_schedule(loan, false);
        }
    }

    println!("\n== Comparison ==");
    println!(
        "{:<16} {:>14} {:>14} {:>8} {:>14}",
        "Loan", "First payment", "Total interest", "Months", "Half paid at"
    );
    for loan in registry.iter() {
        let first = loan.schedule().first().map(|p| p.payment).unwrap_or(0.0);
        let half = loan.principal() / 2.0;
        let half_month = loan
            .first_period_where(|p| p.balance <= half)
            .map(|p| format!("month {}", p.number))
            .unwrap_or_else(|| "-".into());
        println!(
            "{:<16} {:>14} {:>14} {:>8} {:>14}",
            loan.name(),
            money(first),
            money(loan.sum_by(|p| p.interest)),
            loan.schedule().len(),
            half_month
        );
    }

    if let Some(mortgage) = registry.get("mortgage") {
        println!("\n== Mortgage yearly totals (first 5 years and last year) ==");
        let yearly = mortgage.grouped_totals(|p| (p.number - 1) / 12 + 1);
        let last_year = yearly.keys().next_back().copied().unwrap_or(0);
        for (year, (interest, principal)) in yearly.iter().filter(|(y, _)| **y <= 5 || **y == last_year) {
            println!("  year {:>2}: interest {:>12}  principal {:>12}", year, money(*interest), money(*principal));
        }
    }
}
