use chrono::NaiveDate;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy)]
enum Schedule {
    Monthly,
    Yearly(u32),      // once a year in the given month
    Once(i32, u32),   // a single (year, month)
    From(i32, u32),   // monthly starting at (year, month)
}

impl Schedule {
    fn applies(&self, year: i32, month: u32) -> bool {
        match *self {
            Schedule::Monthly => true,
            Schedule::Yearly(m) => m == month,
            Schedule::Once(y, m) => y == year && m == month,
            Schedule::From(y, m) => (year, month) >= (y, m),
        }
    }
}

#[derive(Debug, Clone)]
struct Item {
    name: &'static str,
    category: &'static str,
    amount: f64,
    schedule: Schedule,
}

impl Item {
    fn new(name: &'static str, category: &'static str, amount: f64, schedule: Schedule) -> Self {
        Item {
            name,
            category,
            amount,
            schedule,
        }
    }
}

/// Spending that varies through the year (heating, holidays, ...).
#[derive(Debug, Clone)]
struct VariableExpense {
    name: &'static str,
    category: &'static str,
    base: f64,
    seasonal: [f64; 12],
}

#[derive(Debug, Clone)]
struct SavingsGoal {
    name: &'static str,
    target: f64,
    saved: f64,
    priority: u8,
    monthly_cap: f64,
}

impl SavingsGoal {
    fn new(name: &'static str, target: f64, priority: u8, monthly_cap: f64) -> Self {
        SavingsGoal {
            name,
            target,
            saved: 0.0,
            priority,
            monthly_cap,
        }
    }
}

struct MonthRow {
    label: String,
    income: f64,
    fixed: f64,
    variable: f64,
    net: f64,
    to_goals: f64,
    balance: f64,
    warning: Option<String>,
}

struct Budget {
    start: (i32, u32),
    opening_balance: f64,
    buffer: f64, // keep at least this much in checking before saving
    incomes: Vec<Item>,
    fixed: Vec<Item>,
    variable: Vec<VariableExpense>,
    goals: Vec<SavingsGoal>,
}

struct Projection {
    rows: Vec<MonthRow>,
    by_category: BTreeMap<&'static str, f64>,
    completed: Vec<Option<String>>,
}

impl Budget {
    fn project(&mut self, months: usize) -> Projection {
        let mut balance = self.opening_balance;
        let (mut year, mut month) = self.start;
        let mut rows = Vec::with_capacity(months);
        let mut by_category: BTreeMap<&'static str, f64> = BTreeMap::new();
        let mut completed: Vec<Option<String>> = vec![None; self.goals.len()];
        let mut order: Vec<usize> = (0..self.goals.len()).collect();
        order.sort_by_key(|&i| self.goals[i].priority);

        for _ in 0..months {
            let label = NaiveDate::from_ymd_opt(year, month, 1)
                .map(|d| d.format("%b %Y").to_string())
                .unwrap_or_default();

            let income: f64 = self
                .incomes
                .iter()
                .filter(|i| i.schedule.applies(year, month))
                .map(|i| i.amount)
                .sum();
            let mut fixed = 0.0;
            for e in self.fixed.iter().filter(|e| e.schedule.applies(year, month)) {
                fixed += e.amount;
                *by_category.entry(e.category).or_insert(0.0) += e.amount;
            }
            let mut variable = 0.0;
            for v in &self.variable {
                let amount = v.base * v.seasonal[(month - 1) as usize];
                variable += amount;
                *by_category.entry(v.category).or_insert(0.0) += amount;
            }

            let net = income - fixed - variable;
            balance += net;

            // Surplus above the buffer goes to goals in priority order.
            let mut available = (balance - self.buffer).max(0.0);
            let mut to_goals = 0.0;
            for &gi in &order {
                let goal = &mut self.goals[gi];
                let remaining = goal.target - goal.saved;
                if remaining <= 0.0 || available <= 0.0 {
                    continue;
                }
                let amount = remaining.min(goal.monthly_cap).min(available);
                goal.saved += amount;
                available -= amount;
                to_goals += amount;
                if goal.saved >= goal.target - 1e-9 && completed[gi].is_none() {
                    completed[gi] = Some(label.clone());
                }
            }
            balance -= to_goals;

            let warning = if balance < 0.0 {
                Some(format!("overdrawn by {:.2}", -balance))
            } else if balance < self.buffer {
                Some(format!("below buffer by {:.2}", self.buffer - balance))
            } else {
                None
            };
            rows.push(MonthRow {
                label,
                income,
                fixed,
                variable,
                net,
                to_goals,
                balance,
                warning,
            });

            month += 1;
            if month > 12 {
                month = 1;
                year += 1;
            }
        }
        Projection {
            rows,
            by_category,
            completed,
        }
    }
}

fn bar(fraction: f64, width: usize) -> String {
    let filled = (fraction.clamp(0.0, 1.0) * width as f64).round() as usize;
    format!("[{}{}]", "#".repeat(filled), "-".repeat(width - filled))
}

fn main() {
    use Schedule::*;
    let mut budget = Budget {
        start: (2024, 1),
        opening_balance: 2500.0,
        buffer: 1500.0,
        incomes: vec![
            Item::new("Salary (Alex)", "Salary", 3800.0, Monthly),
            Item::new("Salary (Sam)", "Salary", 2900.0, Monthly),
            Item::new("Raise (Alex)", "Salary", 250.0, From(2024, 7)),
            Item::new("Annual bonus", "Bonus", 3000.0, Yearly(12)),
            Item::new("Tax refund", "Other", 850.0, Once(2024, 4)),
        ],
        fixed: vec![
            Item::new("Rent", "Housing", 2100.0, Monthly),
            Item::new("Internet & phone", "Utilities", 95.0, Monthly),
            Item::new("Car loan", "Transport", 320.0, Monthly),
            Item::new("Car insurance", "Insurance", 640.0, Yearly(3)),
            Item::new("Home insurance", "Insurance", 45.0, Monthly),
            Item::new("Streaming", "Leisure", 28.0, Monthly),
            Item::new("Childcare", "Family", 900.0, Monthly),
            Item::new("Summer vacation", "Leisure", 2400.0, Once(2024, 8)),
        ],
        variable: vec![
            VariableExpense {
                name: "Groceries",
                category: "Food",
                base: 850.0,
                seasonal: [1.0, 0.95, 1.0, 1.0, 1.0, 1.05, 1.1, 1.1, 1.0, 1.0, 1.05, 1.3],
            },
            VariableExpense {
                name: "Energy",
                category: "Utilities",
                base: 160.0,
                seasonal: [1.6, 1.5, 1.2, 1.0, 0.8, 0.7, 0.7, 0.7, 0.8, 1.0, 1.3, 1.6],
            },
            VariableExpense {
                name: "Fuel",
                category: "Transport",
                base: 180.0,
                seasonal: [1.0; 12],
            },
            VariableExpense {
                name: "Dining out",
                category: "Leisure",
                base: 250.0,
                seasonal: [0.8, 0.8, 1.0, 1.0, 1.1, 1.2, 1.3, 1.2, 1.0, 1.0, 1.0, 1.5],
            },
            VariableExpense {
                name: "Gifts",
                category: "Family",
                base: 60.0,
                seasonal: [0.5, 0.5, 0.5, 0.5, 1.0, 0.5, 0.5, 0.5, 0.5, 0.5, 1.5, 6.0],
            },
        ],
        goals: vec![
            SavingsGoal::new("Emergency fund", 6000.0, 1, 700.0),
            SavingsGoal::new("Car down payment", 5000.0, 2, 500.0),
            SavingsGoal::new("Holiday 2025", 3000.0, 3, 300.0),
            SavingsGoal::new("Retirement top-up", 12000.0, 4, 1000.0),
        ],
    };

    println!("Household budget: 12-month projection");
    println!(
        "opening balance {:.2}, buffer {:.2}, {} income sources, {} fixed and {} variable expenses\n",
        budget.opening_balance,
        budget.buffer,
        budget.incomes.len(),
        budget.fixed.len(),
        budget.variable.len()
    );
    for v in &budget.variable {
        let yearly: f64 = v.seasonal.iter().map(|f| f * v.base).sum();
        println!("  variable: {:<11} ~{:>8.2}/month on average", v.name, yearly / 12.0);
    }
    println!();

    let projection = budget.project(12);

    println!(
        "{:<9} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}",
        "month", "income", "fixed", "variable", "net", "to goals", "checking"
    );
    println!("{}", "-".repeat(75));
    for r in &projection.rows {
        println!(
            "{:<9} {:>10.2} {:>10.2} {:>10.2} {:>10.2} {:>10.2} {:>10.2}{}",
            r.label,
            r.income,
            r.fixed,
            r.variable,
            r.net,
            r.to_goals,
            r.balance,
            r.warning
                .as_ref()
                .map(|w| format!("  ! {}", w))
                .unwrap_or_default()
        );
    }

    let income: f64 = projection.rows.iter().map(|r| r.income).sum();
    let spent: f64 = projection.rows.iter().map(|r| r.fixed + r.variable).sum();
    let saved: f64 = projection.rows.iter().map(|r| r.to_goals).sum();
    println!("{}", "-".repeat(75));
    println!(
        "year: income {:.2}, expenses {:.2}, saved to goals {:.2} (savings rate {:.1}%)",
        income,
        spent,
        saved,
        saved * 100.0 / income
    );

    println!("\nSavings goals (by priority):");
    let mut goals: Vec<(usize, &SavingsGoal)> = budget.goals.iter().enumerate().collect();
    goals.sort_by_key(|(_, g)| g.priority);
    for (i, g) in goals {
        let status = match &projection.completed[i] {
            Some(month) => format!("reached in {}", month),
            None => format!("{:.2} still to go", g.target - g.saved),
        };
        println!(
            "  {}. {:<18} {} {:>9.2} / {:>9.2}  {}",
            g.priority,
            g.name,
            bar(g.saved / g.target, 20),
            g.saved,
            g.target,
            status
        );
    }

    println!("\nSpending by category:");
    let mut categories: Vec<(&&str, &f64)> = projection.by_category.iter().collect();
    categories.sort_by(|a, b| b.1.partial_cmp(a.1).expect("finite amounts"));
    for (category, amount) in categories {
        println!(
            "  {:<10} {:>10.2}  {:>5.1}%  {}",
            category,
            amount,
            amount * 100.0 / spent,
            bar(amount / spent, 25)
        );
    }

    let final_balance = projection.rows.last().map(|r| r.balance).unwrap_or(0.0);
    let total_saved: f64 = budget.goals.iter().map(|g| g.saved).sum();
    println!(
        "\nnet worth change: checking {:.2} -> {:.2}, goals hold {:.2}",
        budget.opening_balance, final_balance, total_saved
    );
}
