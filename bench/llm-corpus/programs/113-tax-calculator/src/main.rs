//! tax-calculator: a progressive income tax calculator with brackets,
//! standard/itemised deductions and credits for several filing statuses.
//! Each tax return is a tree: the return node owns its members (filers and
//! dependents) through Rc<RefCell<..>>; members point back to their return
//! with a Weak reference, which dependents use to find who claims them.
//!
//! Figures are modelled on 2024 US federal rules, simplified for illustration.

use std::cell::RefCell;
use std::fmt;
use std::rc::{Rc, Weak};

#[derive(Debug, Clone, Copy, PartialEq)]
enum FilingStatus {
    Single,
    MarriedJoint,
    MarriedSeparate,
    HeadOfHousehold,
}

impl FilingStatus {
    /// (upper bound of bracket, rate); the last bracket is unbounded.
    fn brackets(self) -> [(f64, f64); 7] {
        let bounds: [f64; 6] = match self {
            FilingStatus::Single => [11_600.0, 47_150.0, 100_525.0, 191_950.0, 243_725.0, 609_350.0],
            FilingStatus::MarriedJoint => [23_200.0, 94_300.0, 201_050.0, 383_900.0, 487_450.0, 731_200.0],
            FilingStatus::MarriedSeparate => [11_600.0, 47_150.0, 100_525.0, 191_950.0, 243_725.0, 365_600.0],
            FilingStatus::HeadOfHousehold => [16_550.0, 63_100.0, 100_500.0, 191_950.0, 243_700.0, 609_350.0],
        };
        let rates = [0.10, 0.12, 0.22, 0.24, 0.32, 0.35, 0.37];
        let mut out = [(f64::INFINITY, 0.37); 7];
        for i in 0..7 {
            out[i] = (if i < 6 { bounds[i] } else { f64::INFINITY }, rates[i]);
        }
        out
    }

    fn standard_deduction(self) -> f64 {
        match self {
            FilingStatus::Single | FilingStatus::MarriedSeparate => 14_600.0,
            FilingStatus::MarriedJoint => 29_200.0,
            FilingStatus::HeadOfHousehold => 21_900.0,
        }
    }

    fn ctc_phaseout_start(self) -> f64 {
        if self == FilingStatus::MarriedJoint { 400_000.0 } else { 200_000.0 }
    }
}

#[derive(Debug)]
enum Role {
    Filer { wages: f64, interest: f64, withheld: f64 },
    Dependent { age: u32, student: bool },
}

#[derive(Debug)]
enum NodeKind {
    Return { label: String, status: FilingStatus, itemized: Vec<(String, f64)> },
    Person { name: String, role: Role },
}

type NodeRef = Rc<RefCell<TaxNode>>;

#[derive(Debug)]
struct TaxNode {
    kind: NodeKind,
    parent: Weak<RefCell<TaxNode>>,
    children: Vec<NodeRef>,
}

fn new_return(label: &str, status: FilingStatus, itemized: Vec<(&str, f64)>) -> NodeRef {
    Rc::new(RefCell::new(TaxNode {
        kind: NodeKind::Return {
            label: label.to_string(),
            status,
            itemized: itemized.into_iter().map(|(n, a)| (n.to_string(), a)).collect(),
        },
        parent: Weak::new(),
        children: Vec::new(),
    }))
}

fn add_person(ret: &NodeRef, name: &str, role: Role) -> NodeRef {
    let node = Rc::new(RefCell::new(TaxNode {
        kind: NodeKind::Person { name: name.to_string(), role },
        parent: Rc::downgrade(ret),
        children: Vec::new(),
    }));
    ret.borrow_mut().children.push(Rc::clone(&node));
    node
}

/// A dependent looks up who claims them through the Weak parent link.
fn claimed_by(person: &NodeRef) -> Option<String> {
    let parent = person.borrow().parent.upgrade()?;
    let p = parent.borrow();
    match &p.kind {
        NodeKind::Return { label, status, .. } => Some(format!("{label} ({status:?})")),
        NodeKind::Person { .. } => None,
    }
}

#[derive(Debug, Default)]
struct Assessment {
    gross_income: f64,
    deduction: f64,
    deduction_kind: &'static str,
    taxable: f64,
    bracket_tax: Vec<(f64, f64, f64)>, // (rate, amount in bracket, tax)
    tax_before_credits: f64,
    child_credit: f64,
    other_dependent_credit: f64,
    tax_after_credits: f64,
    withheld: f64,
    marginal_rate: f64,
}

impl Assessment {
    fn effective_rate(&self) -> f64 {
        if self.gross_income > 0.0 { self.tax_after_credits / self.gross_income } else { 0.0 }
    }
    fn balance(&self) -> f64 {
        self.tax_after_credits - self.withheld
    }
}

fn progressive_tax(taxable: f64, status: FilingStatus, out: &mut Assessment) -> f64 {
    let mut lower = 0.0;
    let mut total = 0.0;
    for (upper, rate) in status.brackets() {
        if taxable <= lower {
            break;
        }
        let amount = taxable.min(upper) - lower;
        let tax = amount * rate;
        out.bracket_tax.push((rate, amount, tax));
        out.marginal_rate = rate;
        total += tax;
        lower = upper;
    }
    total
}

fn assess(ret: &NodeRef) -> Result<Assessment, String> {
    let node = ret.borrow();
    let NodeKind::Return { status, itemized, .. } = &node.kind else {
        return Err("not a return node".into());
    };
    let status = *status;
    let mut a = Assessment::default();
    let mut qualifying_children = 0;
    let mut other_dependents = 0;
    let mut filers = 0;

    for child in &node.children {
        let c = child.borrow();
        if let NodeKind::Person { role, name } = &c.kind {
            match role {
                Role::Filer { wages, interest, withheld } => {
                    filers += 1;
                    a.gross_income += wages + interest;
                    a.withheld += withheld;
                }
                Role::Dependent { age, student } => {
                    if *age < 17 {
                        qualifying_children += 1;
                    } else if *age < 19 || (*student && *age < 24) {
                        other_dependents += 1;
                    } else {
                        return Err(format!("{name} (age {age}) does not qualify as a dependent"));
                    }
                }
            }
        }
    }
    match (status, filers) {
        (FilingStatus::MarriedJoint, 2) | (FilingStatus::Single | FilingStatus::MarriedSeparate | FilingStatus::HeadOfHousehold, 1) => {}
        (s, n) => return Err(format!("{s:?} return cannot have {n} filer(s)")),
    }
    if status == FilingStatus::HeadOfHousehold && qualifying_children + other_dependents == 0 {
        return Err("head of household requires a dependent".into());
    }

    let itemized_total: f64 = itemized.iter().map(|(_, v)| v).sum();
    let standard = status.standard_deduction();
    (a.deduction, a.deduction_kind) = if itemized_total > standard { (itemized_total, "itemized") } else { (standard, "standard") };
    a.taxable = (a.gross_income - a.deduction).max(0.0);
    a.tax_before_credits = progressive_tax(a.taxable, status, &mut a);

    // Child tax credit: $2,000 per child, reduced by $50 per $1,000 over the threshold.
    let excess = (a.gross_income - status.ctc_phaseout_start()).max(0.0);
    let reduction = (excess / 1000.0).ceil() * 50.0;
    let ctc = (qualifying_children as f64 * 2000.0 - reduction).max(0.0);
    let odc = (other_dependents as f64 * 500.0 - (reduction - qualifying_children as f64 * 2000.0).max(0.0)).max(0.0);
    a.child_credit = ctc.min(a.tax_before_credits);
    a.other_dependent_credit = odc.min(a.tax_before_credits - a.child_credit);
    a.tax_after_credits = a.tax_before_credits - a.child_credit - a.other_dependent_credit;
    Ok(a)
}

struct Money(f64);

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cents = (self.0 * 100.0).round() as i64;
        let sign = if cents < 0 { "-" } else { "" };
        let whole = (cents.abs() / 100).to_string();
        let mut grouped = String::new();
        for (i, ch) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        let s = format!("{sign}${grouped}.{:02}", cents.abs() % 100);
        f.pad(&s)
    }
}

fn print_return(ret: &NodeRef) {
    let node = ret.borrow();
    let NodeKind::Return { label, status, .. } = &node.kind else { return };
    println!("\n=== {label} — {status:?} ===");
    for child in &node.children {
        if let NodeKind::Person { name, role } = &child.borrow().kind {
            match role {
                Role::Filer { wages, interest, .. } => println!("  filer     {name:<10} wages {} interest {}", Money(*wages), Money(*interest)),
                Role::Dependent { age, .. } => println!("  dependent {name:<10} age {age:<3} claimed by {}", claimed_by(child).unwrap_or_default()),
            }
        }
    }
    match assess(ret) {
        Ok(a) => {
            println!("  gross income         {:>14}", Money(a.gross_income));
            println!("  {:<20} {:>14}", format!("{} deduction", a.deduction_kind), Money(-a.deduction));
            println!("  taxable income       {:>14}", Money(a.taxable));
            for (rate, amount, tax) in &a.bracket_tax {
                println!("    {:>4.0}% on {:>14} = {:>12}", rate * 100.0, Money(*amount), Money(*tax));
            }
            println!("  tax before credits   {:>14}", Money(a.tax_before_credits));
            if a.child_credit > 0.0 {
                println!("  child tax credit     {:>14}", Money(-a.child_credit));
            }
            if a.other_dependent_credit > 0.0 {
                println!("  other dependents     {:>14}", Money(-a.other_dependent_credit));
            }
            println!("  total tax            {:>14}", Money(a.tax_after_credits));
            println!("  withheld             {:>14}", Money(a.withheld));
            let bal = a.balance();
            println!("  {:<20} {:>14}", if bal >= 0.0 { "amount owed" } else { "refund" }, Money(bal.abs()));
            println!("  marginal {:.0}%, effective {:.2}%", a.marginal_rate * 100.0, a.effective_rate() * 100.0);
        }
        Err(e) => println!("  cannot assess: {e}"),
    }
}

fn main() {
    let single = new_return("Sam", FilingStatus::Single, vec![]);
    add_person(&single, "Sam", Role::Filer { wages: 72_000.0, interest: 850.0, withheld: 8_900.0 });

    let family = new_return("The Garcias", FilingStatus::MarriedJoint, vec![("mortgage interest", 18_500.0), ("state taxes", 10_000.0), ("charity", 3_200.0)]);
    add_person(&family, "Maria", Role::Filer { wages: 118_000.0, interest: 1_200.0, withheld: 14_000.0 });
    add_person(&family, "Luis", Role::Filer { wages: 64_000.0, interest: 0.0, withheld: 6_100.0 });
    add_person(&family, "Sofia", Role::Dependent { age: 9, student: false });
    add_person(&family, "Mateo", Role::Dependent { age: 14, student: false });
    add_person(&family, "Elena", Role::Dependent { age: 20, student: true });

    let hoh = new_return("Pat", FilingStatus::HeadOfHousehold, vec![]);
    add_person(&hoh, "Pat", Role::Filer { wages: 48_000.0, interest: 0.0, withheld: 3_000.0 });
    add_person(&hoh, "Robin", Role::Dependent { age: 5, student: false });

    let high = new_return("Alex", FilingStatus::MarriedSeparate, vec![("charity", 40_000.0)]);
    add_person(&high, "Alex", Role::Filer { wages: 520_000.0, interest: 35_000.0, withheld: 150_000.0 });
    add_person(&high, "Jamie", Role::Dependent { age: 12, student: false });

    let invalid = new_return("Broken", FilingStatus::HeadOfHousehold, vec![]);
    add_person(&invalid, "Kim", Role::Filer { wages: 30_000.0, interest: 0.0, withheld: 0.0 });

    for ret in [&single, &family, &hoh, &high, &invalid] {
        print_return(ret);
    }

    // The Weak links do not keep returns alive.
    let orphan = add_person(&new_return("Temp", FilingStatus::Single, vec![]), "Ghost", Role::Dependent { age: 3, student: false });
    println!("\nA dependent whose return was dropped is claimed by: {:?}", claimed_by(&orphan));
}
