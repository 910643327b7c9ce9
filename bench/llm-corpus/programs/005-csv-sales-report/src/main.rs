use anyhow::{Context, Result};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::env;

const SAMPLE_CSV: &str = "date,region,product,units,price
2024-01-05,North,Widget,10,2.50
2024-01-12,South,Gadget,3,19.99
2024-01-20,East,Widget,25,2.50
2024-01-28,West,Gizmo,7,8.75
2024-02-02,North,Gadget,5,19.99
2024-02-14,South,Widget,40,2.45
2024-02-18,East,Gizmo,12,8.75
2024-02-25,West,Gadget,2,21.00
2024-03-03,North,Gizmo,9,8.50
2024-03-09,South,Gadget,6,19.99
2024-03-15,East,Widget,30,2.40
2024-03-22,West,Widget,15,2.50
2024-03-30,North,Widget,18,2.50
";

#[derive(Debug, Deserialize)]
struct Sale {
    date: String,
    region: String,
    product: String,
    units: u32,
    price: f64,
}

impl Sale {
    fn revenue(&self) -> f64 {
        self.units as f64 * self.price
    }
}

fn load_sales<R: std::io::Read>(reader: R) -> Result<Vec<Sale>> {
    let mut rdr = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(reader);
    let mut sales = Vec::new();
    for (i, rec) in rdr.deserialize().enumerate() {
        let sale: Sale = rec.with_context(|| format!("bad record at line {}", i + 2))?;
        sales.push(sale);
    }
    Ok(sales)
}

fn main() -> Result<()> {
    let sales = match env::args().nth(1) {
        Some(path) => {
            let file = std::fs::File::open(&path).with_context(|| format!("opening {}", path))?;
            load_sales(file)?
        }
        None => {
            println!("(no CSV path given, using built-in sample data)\n");
            load_sales(SAMPLE_CSV.as_bytes())?
        }
    };

    let mut by_region: HashMap<String, (f64, u32)> = HashMap::new();
    let mut by_month: BTreeMap<(i32, u32), f64> = BTreeMap::new();
    let mut by_product: HashMap<String, u32> = HashMap::new();
    let mut skipped = 0;

    for s in &sales {
        let date = match NaiveDate::parse_from_str(&s.date, "%Y-%m-%d") {
            Ok(d) => d,
            Err(_) => {
                eprintln!("warning: skipping row with bad date '{}'", s.date);
                skipped += 1;
                continue;
            }
        };
        let rev = s.revenue();
        let r = by_region.entry(s.region.clone()).or_insert((0.0, 0));
        r.0 += rev;
        r.1 += s.units;
        *by_month.entry((date.year(), date.month())).or_insert(0.0) += rev;
        *by_product.entry(s.product.clone()).or_insert(0) += s.units;
    }

    let total: f64 = by_region.values().map(|(r, _)| r).sum();

    println!("Revenue by region (highest first)");
    println!("{:<10} {:>8} {:>12} {:>8}", "Region", "Units", "Revenue", "Share");
    let mut regions: Vec<_> = by_region.iter().collect();
    regions.sort_by(|a, b| b.1 .0.partial_cmp(&a.1 .0).unwrap_or(std::cmp::Ordering::Equal));
    for (region, (rev, units)) in &regions {
        let share = if total > 0.0 { rev / total * 100.0 } else { 0.0 };
        println!("{:<10} {:>8} {:>12.2} {:>7.1}%", region, units, rev, share);
    }

    println!("\nRevenue by month (chronological)");
    println!("{:<10} {:>12}  {}", "Month", "Revenue", "");
    let max_month = by_month.values().cloned().fold(0.0, f64::max);
    for ((y, m), rev) in &by_month {
        let bar_len = if max_month > 0.0 { (rev / max_month * 30.0).round() as usize } else { 0 };
        println!("{:<10} {:>12.2}  {}", format!("{}-{:02}", y, m), rev, "#".repeat(bar_len));
    }

    println!("\nUnits by product");
    let mut products: Vec<_> = by_product.into_iter().collect();
    products.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for (p, u) in products {
        println!("  {:<10} {:>6}", p, u);
    }

    println!("\nTotal revenue: {:.2} from {} rows ({} skipped)", total, sales.len(), skipped);
    Ok(())
}
