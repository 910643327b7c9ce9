use chrono::{Duration, NaiveDate};
use std::collections::{BTreeMap, HashMap};
use std::fmt;

const WIDTH: usize = 81;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Category {
    Food,
    Books,
    Clothing,
    Electronics,
    Services,
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Category::Food => "Food",
            Category::Books => "Books",
            Category::Clothing => "Clothing",
            Category::Electronics => "Electronics",
            Category::Services => "Services",
        };
        f.pad(name)
    }
}

#[derive(Debug, Clone)]
struct LineItem {
    sku: &'static str,
    description: &'static str,
    category: Category,
    unit_price: i64, // cents
    quantity: u32,
}

#[derive(Debug, Clone, Copy)]
enum Discount {
    None,
    Percent(f64),
    Fixed(i64),
}

#[derive(Debug, Clone)]
struct Order {
    id: u32,
    customer: &'static str,
    address: &'static str,
    date: NaiveDate,
    items: Vec<LineItem>,
    discount: Discount,
}

struct TaxTable {
    rates: HashMap<Category, f64>,
    default_rate: f64,
}

impl TaxTable {
    fn standard() -> Self {
        let rates = HashMap::from([
            (Category::Food, 0.05),
            (Category::Books, 0.0),
            (Category::Clothing, 0.12),
            (Category::Electronics, 0.20),
        ]);
        TaxTable {
            rates,
            default_rate: 0.15,
        }
    }

    fn rate_for(&self, category: Category) -> f64 {
        self.rates.get(&category).copied().unwrap_or(self.default_rate)
    }
}

struct InvoiceLine {
    sku: String,
    description: String,
    category: Category,
    quantity: u32,
    unit_price: i64,
    amount: i64,
    tax_rate: f64,
}

struct Invoice {
    number: String,
    order_id: u32,
    customer: String,
    address: String,
    issue_date: NaiveDate,
    due_date: NaiveDate,
    lines: Vec<InvoiceLine>,
    subtotal: i64,
    discount_label: String,
    discount: i64,
    taxes: BTreeMap<Category, (f64, i64)>,
    tax_total: i64,
    total: i64,
}

fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.abs();
    let digits = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{}${}.{:02}", sign, grouped, abs % 100)
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut short: String = text.chars().take(max - 1).collect();
        short.push('…');
        short
    }
}

fn generate_invoice(order: &Order, taxes: &TaxTable, sequence: u32) -> Invoice {
    let lines: Vec<InvoiceLine> = order
        .items
        .iter()
        .map(|item| InvoiceLine {
            sku: item.sku.to_string(),
            description: item.description.to_string(),
            category: item.category,
            quantity: item.quantity,
            unit_price: item.unit_price,
            amount: item.unit_price * i64::from(item.quantity),
            tax_rate: taxes.rate_for(item.category),
        })
        .collect();

    let subtotal: i64 = lines.iter().map(|l| l.amount).sum();
    let (discount, discount_label) = match order.discount {
        Discount::None => (0, String::new()),
        Discount::Percent(p) => (
            (subtotal as f64 * p / 100.0).round() as i64,
            format!("Discount ({}%)", p),
        ),
        Discount::Fixed(amount) => (amount.min(subtotal), format!("Coupon ({})", money(amount))),
    };

    // The discount is spread proportionally over all lines before tax is applied.
    let factor = if subtotal > 0 {
        (subtotal - discount) as f64 / subtotal as f64
    } else {
        0.0
    };
    let mut taxes_by_category: BTreeMap<Category, (f64, i64)> = BTreeMap::new();
    for line in &lines {
        let taxable = line.amount as f64 * factor;
        let tax = (taxable * line.tax_rate).round() as i64;
        let entry = taxes_by_category
            .entry(line.category)
            .or_insert((line.tax_rate, 0));
        entry.1 += tax;
    }
    let tax_total: i64 = taxes_by_category.values().map(|(_, t)| *t).sum();

    Invoice {
        number: format!("INV-{}-{:04}", order.date.format("%Y"), sequence),
        order_id: order.id,
        customer: order.customer.to_string(),
        address: order.address.to_string(),
        issue_date: order.date,
        due_date: order.date + Duration::days(30),
        lines,
        subtotal,
        discount_label,
        discount,
        taxes: taxes_by_category,
        tax_total,
        total: subtotal - discount + tax_total,
    }
}

impl fmt::Display for Invoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let heavy = "=".repeat(WIDTH);
        let light = "-".repeat(WIDTH);
        let lw = WIDTH - 16;
        writeln!(f, "{}", heavy)?;
        writeln!(f, "{:^w$}", "ACME TRADING CO. - INVOICE", w = WIDTH)?;
        writeln!(f, "{}", heavy)?;
        writeln!(f, "Invoice no. : {:<28} Issue date : {}", self.number, self.issue_date)?;
        writeln!(f, "Order no.   : {:<28} Due date   : {}", self.order_id, self.due_date)?;
        writeln!(f, "Bill to     : {}", self.customer)?;
        writeln!(f, "              {}", self.address)?;
        writeln!(f, "{}", light)?;
        writeln!(
            f,
            "{:<8} {:<26} {:<12} {:>4} {:>10} {:>5} {:>10}",
            "SKU", "Description", "Category", "Qty", "Unit", "Tax", "Amount"
        )?;
        writeln!(f, "{}", light)?;
        for line in &self.lines {
            writeln!(
                f,
                "{:<8} {:<26} {:<12} {:>4} {:>10} {:>4.0}% {:>10}",
                line.sku,
                truncate(&line.description, 26),
                line.category,
                line.quantity,
                money(line.unit_price),
                line.tax_rate * 100.0,
                money(line.amount)
            )?;
        }
        writeln!(f, "{}", light)?;
        writeln!(f, "{:>w$} {:>15}", "Subtotal:", money(self.subtotal), w = lw)?;
        if self.discount > 0 {
            writeln!(
                f,
                "{:>w$} {:>15}",
                format!("{}:", self.discount_label),
                money(-self.discount),
                w = lw
            )?;
            writeln!(
                f,
                "{:>w$} {:>15}",
                "Net:",
                money(self.subtotal - self.discount),
                w = lw
            )?;
        }
        for (category, (rate, amount)) in &self.taxes {
            writeln!(
                f,
                "{:>w$} {:>15}",
                format!("Tax {} @ {:.0}%:", category, rate * 100.0),
                money(*amount),
                w = lw
            )?;
        }
        writeln!(f, "{:>w$} {:>15}", "Total tax:", money(self.tax_total), w = lw)?;
        writeln!(f, "{}", heavy)?;
        writeln!(f, "{:>w$} {:>15}", "TOTAL DUE:", money(self.total), w = lw)?;
        writeln!(f, "{}", heavy)?;
        write!(
            f,
            "Payment terms: net 30 days. Please quote {} with your payment.",
            self.number
        )
    }
}

fn item(
    sku: &'static str,
    description: &'static str,
    category: Category,
    unit_price: i64,
    quantity: u32,
) -> LineItem {
    LineItem {
        sku,
        description,
        category,
        unit_price,
        quantity,
    }
}

fn main() {
    let taxes = TaxTable::standard();
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("valid date");

    let orders = vec![
        Order {
            id: 1001,
            customer: "Jane Doe",
            address: "12 Elm Street, Springfield",
            date: date(2024, 3, 4),
            items: vec![
                item("FD-101", "Single-origin coffee beans 1kg", Category::Food, 1299, 2),
                item("BK-220", "Rust in Action", Category::Books, 4499, 1),
                item("EL-305", "USB-C charger 65W", Category::Electronics, 2999, 1),
            ],
            discount: Discount::Percent(10.0),
        },
        Order {
            id: 1002,
            customer: "Globex Corporation",
            address: "500 Industrial Way, Shelbyville",
            date: date(2024, 3, 6),
            items: vec![
                item("EL-410", "Aluminium laptop stand", Category::Electronics, 5900, 3),
                item("SV-001", "On-site setup service", Category::Services, 15000, 1),
                item("CL-077", "Branded polo shirt", Category::Clothing, 2450, 6),
            ],
            discount: Discount::Fixed(5000),
        },
        Order {
            id: 1003,
            customer: "Sam Lee",
            address: "88 Harbour Road, Capital City",
            date: date(2024, 3, 9),
            items: vec![
                item("FD-230", "Loose-leaf tea sampler", Category::Food, 1850, 1),
                item("BK-014", "Dotted notebook (pack of 3)", Category::Books, 899, 4),
            ],
            discount: Discount::None,
        },
    ];

    let mut invoices = Vec::new();
    for (i, order) in orders.iter().enumerate() {
        let invoice = generate_invoice(order, &taxes, i as u32 + 1);
        println!("{}\n", invoice);
        invoices.push(invoice);
    }

    let net: i64 = invoices.iter().map(|i| i.subtotal - i.discount).sum();
    let tax: i64 = invoices.iter().map(|i| i.tax_total).sum();
    let gross: i64 = invoices.iter().map(|i| i.total).sum();
    let mut tax_by_category: BTreeMap<Category, i64> = BTreeMap::new();
    for invoice in &invoices {
        for (category, (_, amount)) in &invoice.taxes {
            *tax_by_category.entry(*category).or_insert(0) += amount;
        }
    }

    println!("BATCH SUMMARY ({} invoices)", invoices.len());
    println!("  Net revenue   {:>14}", money(net));
    println!("  Tax collected {:>14}", money(tax));
    println!("  Gross total   {:>14}", money(gross));
    for (category, amount) in &tax_by_category {
        println!("    tax on {:<12} {:>10}", category, money(*amount));
    }
}
