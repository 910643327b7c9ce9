//! Payroll for hourly and salaried employees (bi-weekly periods).
//!
//! Hourly staff earn 1.5x after 40 h and 2x after 60 h per week; deductions
//! cover a pre-tax retirement contribution, health insurance, progressive
//! income tax, social security (capped by a year-to-date wage base) and
//! medicare. Worker tasks are spawned with `tokio::spawn`; they read the tax
//! rules and employee records through `Arc<RwLock<..>>`, update year-to-date
//! wages through a write lock and append payslips to an `Arc<Mutex<Ledger>>`.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use tokio::sync::{Mutex, RwLock};

#[derive(Debug, Clone)]
enum PayKind {
    Hourly { rate_cents: i64, weekly_hours: [f64; 2] },
    Salaried { annual_cents: i64 },
}

#[derive(Debug, Clone)]
struct Employee {
    id: u32,
    name: String,
    kind: PayKind,
    retirement_pct: f64,
    health_cents: i64,
    allowances: u32,
    ytd_gross_cents: i64,
}

#[derive(Debug, Clone)]
struct TaxRules {
    /// (upper bound of the bracket per period in cents, marginal rate)
    brackets: Vec<(i64, f64)>,
    allowance_cents: i64,
    ss_rate: f64,
    ss_wage_base_cents: i64,
    medicare_rate: f64,
    overtime_after: f64,
    double_time_after: f64,
    periods_per_year: i64,
}

impl TaxRules {
    fn standard() -> Self {
        TaxRules {
            brackets: vec![(45_000, 0.10), (175_000, 0.12), (400_000, 0.22), (800_000, 0.24), (i64::MAX, 0.32)],
            allowance_cents: 16_500,
            ss_rate: 0.062,
            ss_wage_base_cents: 16_860_000,
            medicare_rate: 0.0145,
            overtime_after: 40.0,
            double_time_after: 60.0,
            periods_per_year: 26,
        }
    }
}

#[derive(Debug, Clone)]
struct Payslip {
    period: u32,
    employee_id: u32,
    name: String,
    regular_hours: f64,
    overtime_hours: f64,
    double_hours: f64,
    gross: i64,
    retirement: i64,
    health: i64,
    income_tax: i64,
    social_security: i64,
    medicare: i64,
    net: i64,
    worker: usize,
}

impl Payslip {
    fn deductions(&self) -> i64 {
        self.retirement + self.health + self.income_tax + self.social_security + self.medicare
    }
}

fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let dollars = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in dollars.chars().enumerate() {
        if i > 0 && (dollars.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{sign}${grouped}.{:02}", abs % 100)
}

impl fmt::Display for Payslip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "+-- Payslip P{}-{:03} | {} (worker {}) ",
            self.period, self.employee_id, self.name, self.worker
        )?;
        writeln!(
            f,
            "|  hours: regular {:.1}, overtime {:.1}, double {:.1}",
            self.regular_hours, self.overtime_hours, self.double_hours
        )?;
        let rows = [
            ("Gross pay", self.gross),
            ("- Retirement (pre-tax)", -self.retirement),
            ("- Health insurance", -self.health),
            ("- Income tax", -self.income_tax),
            ("- Social security", -self.social_security),
            ("- Medicare", -self.medicare),
        ];
        for (label, amount) in rows {
            writeln!(f, "|  {:<26}{:>14}", label, money(amount))?;
        }
        write!(f, "+= {:<26}{:>14}", "NET PAY", money(self.net))
    }
}

fn progressive_tax(amount: i64, brackets: &[(i64, f64)]) -> i64 {
    let mut tax = 0.0;
    let mut lower = 0i64;
    for &(upper, rate) in brackets {
        if amount <= lower {
            break;
        }
        let portion = amount.min(upper) - lower;
        tax += portion as f64 * rate;
        lower = upper;
    }
    tax.round() as i64
}

fn compute_payslip(emp: &Employee, rules: &TaxRules, period: u32, worker: usize) -> Result<Payslip, String> {
    let (regular_hours, overtime_hours, double_hours, gross) = match &emp.kind {
        PayKind::Hourly { rate_cents, weekly_hours } => {
            let (mut reg, mut ot, mut dbl) = (0.0, 0.0, 0.0);
            for &h in weekly_hours {
                if !(0.0..=100.0).contains(&h) {
                    return Err(format!("{} (id {}): implausible weekly hours {h}", emp.name, emp.id));
                }
                reg += h.min(rules.overtime_after);
                ot += (h.min(rules.double_time_after) - rules.overtime_after).max(0.0);
                dbl += (h - rules.double_time_after).max(0.0);
            }
            let rate = *rate_cents as f64;
            let gross = (reg * rate + ot * rate * 1.5 + dbl * rate * 2.0).round() as i64;
            (reg, ot, dbl, gross)
        }
        PayKind::Salaried { annual_cents } => (80.0, 0.0, 0.0, annual_cents / rules.periods_per_year),
    };

    let retirement = (gross as f64 * emp.retirement_pct / 100.0).round() as i64;
    let health = emp.health_cents.min(gross - retirement).max(0);
    let taxable = (gross - retirement - health).max(0);
    let after_allowances = (taxable - emp.allowances as i64 * rules.allowance_cents).max(0);
    let income_tax = progressive_tax(after_allowances, &rules.brackets);
    let ss_room = (rules.ss_wage_base_cents - emp.ytd_gross_cents).max(0);
    let social_security = (gross.min(ss_room) as f64 * rules.ss_rate).round() as i64;
    let medicare = (gross as f64 * rules.medicare_rate).round() as i64;
    let net = gross - retirement - health - income_tax - social_security - medicare;

    Ok(Payslip {
        period,
        employee_id: emp.id,
        name: emp.name.clone(),
        regular_hours,
        overtime_hours,
        double_hours,
        gross,
        retirement,
        health,
        income_tax,
        social_security,
        medicare,
        net,
        worker,
    })
}

#[derive(Debug, Default)]
struct Totals {
    gross: i64,
    net: i64,
    income_tax: i64,
    social_security: i64,
    medicare: i64,
    retirement: i64,
    health: i64,
}

#[derive(Debug, Default)]
struct Ledger {
    payslips: Vec<Payslip>,
    errors: Vec<String>,
    totals: Totals,
    per_worker: HashMap<usize, usize>,
}

impl Ledger {
    fn record(&mut self, slip: Payslip) {
        self.totals.gross += slip.gross;
        self.totals.net += slip.net;
        self.totals.income_tax += slip.income_tax;
        self.totals.social_security += slip.social_security;
        self.totals.medicare += slip.medicare;
        self.totals.retirement += slip.retirement;
        self.totals.health += slip.health;
        *self.per_worker.entry(slip.worker).or_insert(0) += 1;
        self.payslips.push(slip);
    }
}

async fn run_period(
    period: u32,
    workers: usize,
    rules: Arc<RwLock<TaxRules>>,
    employees: Arc<RwLock<HashMap<u32, Employee>>>,
    ledger: Arc<Mutex<Ledger>>,
) {
    let mut ids: Vec<u32> = employees.read().await.keys().copied().collect();
    ids.sort_unstable();
    let chunk_size = ((ids.len() + workers - 1) / workers).max(1);
    let mut handles = Vec::new();
    for (worker, chunk) in ids.chunks(chunk_size).map(|c| c.to_vec()).enumerate() {
        let rules = Arc::clone(&rules);
        let employees = Arc::clone(&employees);
        let ledger = Arc::clone(&ledger);
        handles.push(tokio::spawn(async move {
            let mut processed = 0usize;
            for id in chunk {
                let employee = employees.read().await.get(&id).cloned();
                let Some(employee) = employee else { continue };
                let result = {
                    let rules = rules.read().await;
                    compute_payslip(&employee, &rules, period, worker)
                };
                match result {
                    Ok(slip) => {
                        if let Some(e) = employees.write().await.get_mut(&id) {
                            e.ytd_gross_cents += slip.gross;
                        }
                        ledger.lock().await.record(slip);
                        processed += 1;
                    }
                    Err(e) => ledger.lock().await.errors.push(format!("period {period}: {e}")),
                }
                tokio::task::yield_now().await;
            }
            (worker, processed)
        }));
    }
    for handle in handles {
        match handle.await {
            Ok((worker, processed)) => println!("  period {period}: worker {worker} processed {processed} employee(s)"),
            Err(e) => eprintln!("  worker failed: {e}"),
        }
    }
}

fn sample_employees() -> Vec<Employee> {
    let hourly = |id: u32, name: &str, rate: i64, hours: [f64; 2], ret: f64, health: i64, allow: u32| Employee {
        id,
        name: name.to_string(),
        kind: PayKind::Hourly { rate_cents: rate, weekly_hours: hours },
        retirement_pct: ret,
        health_cents: health,
        allowances: allow,
        ytd_gross_cents: 0,
    };
    let salaried = |id: u32, name: &str, annual: i64, ret: f64, health: i64, allow: u32, ytd: i64| Employee {
        id,
        name: name.to_string(),
        kind: PayKind::Salaried { annual_cents: annual },
        retirement_pct: ret,
        health_cents: health,
        allowances: allow,
        ytd_gross_cents: ytd,
    };
    vec![
        hourly(1, "Maria Lopez", 2_450, [38.0, 45.0], 4.0, 8_500, 1),
        salaried(2, "James Chen", 7_800_000, 6.0, 12_000, 2, 0),
        hourly(3, "Aisha Khan", 3_100, [52.0, 64.0], 3.0, 8_500, 0),
        hourly(4, "Tom Becker", 1_875, [20.0, 24.0], 0.0, 0, 0),
        salaried(5, "Priya Nair", 18_500_000, 10.0, 15_000, 1, 16_700_000),
        hourly(6, "Leo Martin", 2_200, [-5.0, 40.0], 2.0, 8_500, 1),
        salaried(7, "Sofia Rossi", 5_200_000, 5.0, 8_500, 3, 0),
        hourly(8, "Daniel Okafor", 2_725, [40.0, 40.0], 5.0, 12_000, 2),
    ]
}

#[tokio::main]
async fn main() {
    let rules = Arc::new(RwLock::new(TaxRules::standard()));
    let employees: Arc<RwLock<HashMap<u32, Employee>>> =
        Arc::new(RwLock::new(sample_employees().into_iter().map(|e| (e.id, e)).collect()));
    let ledger = Arc::new(Mutex::new(Ledger::default()));

    for period in 1..=2u32 {
        if period == 2 {
            // New timesheets arrive; Leo's corrected hours make him payable.
            let mut staff = employees.write().await;
            for emp in staff.values_mut() {
                if let PayKind::Hourly { weekly_hours, .. } = &mut emp.kind {
                    *weekly_hours = match emp.id {
                        1 => [40.0, 41.5],
                        3 => [48.0, 70.0],
                        4 => [16.0, 30.0],
                        6 => [35.0, 44.0],
                        _ => [40.0, 40.0],
                    };
                }
            }
        }
        println!("Running pay period {period}...");
        run_period(period, 3, Arc::clone(&rules), Arc::clone(&employees), Arc::clone(&ledger)).await;
    }

    let ledger = ledger.lock().await;
    let mut slips: Vec<&Payslip> = ledger.payslips.iter().collect();
    slips.sort_by_key(|s| (s.period, s.employee_id));
    for slip in &slips {
        println!("\n{slip}");
    }

    println!("\n=== Errors ===");
    for e in &ledger.errors {
        println!("  {e}");
    }

    let t = &ledger.totals;
    println!("\n=== Totals over {} payslips ===", ledger.payslips.len());
    println!("  gross            {:>16}", money(t.gross));
    println!("  retirement       {:>16}", money(t.retirement));
    println!("  health           {:>16}", money(t.health));
    println!("  income tax       {:>16}", money(t.income_tax));
    println!("  social security  {:>16}", money(t.social_security));
    println!("  medicare         {:>16}", money(t.medicare));
    println!("  net              {:>16}", money(t.net));
    let mut workers: Vec<_> = ledger.per_worker.iter().collect();
    workers.sort();
    println!("  payslips per worker: {:?}", workers);

    let consistent = slips.iter().all(|s| s.gross - s.deductions() == s.net)
        && slips.iter().map(|s| s.net).sum::<i64>() == t.net;
    println!("  consistency check: {}", if consistent { "OK" } else { "FAILED" });

    let staff = employees.read().await;
    let mut ids: Vec<&u32> = staff.keys().collect();
    ids.sort();
    println!("\n=== Year-to-date gross after two periods ===");
    for id in ids {
        let e = &staff[id];
        println!("  {:<14} {:>16}", e.name, money(e.ytd_gross_cents));
    }
}
