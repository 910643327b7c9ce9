//! Grouped sales report built with itertools (`sorted_by`, `group_by`, `join`).
//!
//! The report is a tree (company -> region -> store -> category). Parents own
//! their children through `Rc<RefCell<ReportNode>>`; children point back to
//! their parent with `Weak`, which is used to roll totals up, to compute each
//! node's share of its parent and to print full paths.

use itertools::Itertools;
use std::cell::RefCell;
use std::rc::{Rc, Weak};

#[derive(Debug, Clone)]
struct Sale {
    region: &'static str,
    store: &'static str,
    category: &'static str,
    product: &'static str,
    month: u32,
    units: u32,
    unit_price_cents: u64,
}

impl Sale {
    fn revenue(&self) -> u64 {
        self.units as u64 * self.unit_price_cents
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Level {
    Company,
    Region,
    Store,
    Category,
}

#[derive(Debug)]
struct ReportNode {
    name: String,
    level: Level,
    revenue: u64,
    units: u64,
    children: Vec<Rc<RefCell<ReportNode>>>,
    parent: Weak<RefCell<ReportNode>>,
}

type NodeRef = Rc<RefCell<ReportNode>>;

fn new_node(name: &str, level: Level, parent: Option<&NodeRef>) -> NodeRef {
    let node = Rc::new(RefCell::new(ReportNode {
        name: name.to_string(),
        level,
        revenue: 0,
        units: 0,
        children: Vec::new(),
        parent: parent.map(Rc::downgrade).unwrap_or_default(),
    }));
    if let Some(p) = parent {
        p.borrow_mut().children.push(Rc::clone(&node));
    }
    node
}

/// Adds the totals to every ancestor by walking the Weak parent links.
fn propagate(node: &NodeRef, units: u64, revenue: u64) {
    let mut current = node.borrow().parent.upgrade();
    while let Some(p) = current {
        {
            let mut pm = p.borrow_mut();
            pm.units += units;
            pm.revenue += revenue;
        }
        current = p.borrow().parent.upgrade();
    }
}

fn path_of(node: &NodeRef) -> String {
    let mut parts = vec![node.borrow().name.clone()];
    let mut current = node.borrow().parent.upgrade();
    while let Some(p) = current {
        parts.push(p.borrow().name.clone());
        current = p.borrow().parent.upgrade();
    }
    parts.iter().rev().join(" > ")
}

fn money(cents: u64) -> String {
    let dollars = (cents / 100).to_string();
    let grouped = dollars
        .chars()
        .rev()
        .chunks(3)
        .into_iter()
        .map(|c| c.collect::<String>())
        .join(",")
        .chars()
        .rev()
        .collect::<String>();
    format!("${}.{:02}", grouped, cents % 100)
}

fn build_tree(sales: &[Sale]) -> NodeRef {
    let root = new_node("ACME Retail", Level::Company, None);
    let sorted: Vec<&Sale> = sales
        .iter()
        .sorted_by(|a, b| (a.region, a.store, a.category).cmp(&(b.region, b.store, b.category)))
        .collect();

    for (region, region_sales) in &sorted.iter().group_by(|s| s.region) {
        let region_node = new_node(region, Level::Region, Some(&root));
        let region_sales: Vec<&Sale> = region_sales.copied().collect();
        for (store, store_sales) in &region_sales.iter().group_by(|s| s.store) {
            let store_node = new_node(store, Level::Store, Some(&region_node));
            let store_sales: Vec<&Sale> = store_sales.copied().collect();
            for (category, cat_sales) in &store_sales.iter().group_by(|s| s.category) {
                let (units, revenue) =
                    cat_sales.fold((0u64, 0u64), |(u, r), s| (u + s.units as u64, r + s.revenue()));
                let cat_node = new_node(category, Level::Category, Some(&store_node));
                {
                    let mut c = cat_node.borrow_mut();
                    c.units = units;
                    c.revenue = revenue;
                }
                propagate(&cat_node, units, revenue);
            }
        }
    }
    root
}

fn print_node(node: &NodeRef, depth: usize) {
    let n = node.borrow();
    let share = match n.parent.upgrade() {
        Some(p) => {
            let parent_revenue = p.borrow().revenue;
            let pct = if parent_revenue == 0 { 0.0 } else { n.revenue as f64 * 100.0 / parent_revenue as f64 };
            format!("{pct:5.1}% of {}", p.borrow().name)
        }
        None => "company total".to_string(),
    };
    let marker = match n.level {
        Level::Company => "#",
        Level::Region => "+",
        Level::Store => "-",
        Level::Category => ".",
    };
    println!(
        "{:indent$}{} {:<width$} {:>14} {:>6} units   {}",
        "",
        marker,
        n.name,
        money(n.revenue),
        n.units,
        share,
        indent = depth * 2,
        width = 24 - depth * 2
    );
    for child in &n.children {
        print_node(child, depth + 1);
    }
}

fn collect_leaves(node: &NodeRef, out: &mut Vec<NodeRef>) {
    let n = node.borrow();
    if n.children.is_empty() {
        out.push(Rc::clone(node));
    }
    for child in &n.children {
        collect_leaves(child, out);
    }
}

const REGIONS: [(&str, [&str; 2]); 3] = [
    ("North", ["Oslo Mall", "Bergen Harbour"]),
    ("South", ["Seville Centro", "Malaga Port"]),
    ("West", ["Lisbon Baixa", "Porto Ribeira"]),
];

const CATALOG: [(&str, [(&str, u64); 2]); 3] = [
    ("Electronics", [("Headphones", 8_999), ("Smart Speaker", 12_999)]),
    ("Garden", [("Hose Reel", 3_499), ("Seed Kit", 1_299)]),
    ("Kitchen", [("Chef Knife", 5_999), ("Espresso Maker", 18_999)]),
];

fn generate_sales() -> Vec<Sale> {
    let mut sales = Vec::new();
    for (r, (region, stores)) in REGIONS.iter().enumerate() {
        for (s, store) in stores.iter().enumerate() {
            for (c, (category, products)) in CATALOG.iter().enumerate() {
                for (p, (product, price)) in products.iter().enumerate() {
                    for month in 1..=3u32 {
                        let units = ((r * 7 + s * 5 + c * 3 + p * 11 + month as usize * 13) % 17 + 2) as u32;
                        sales.push(Sale {
                            region: *region,
                            store: *store,
                            category: *category,
                            product: *product,
                            month,
                            units,
                            unit_price_cents: *price,
                        });
                    }
                }
            }
        }
    }
    sales
}

fn month_name(m: u32) -> &'static str {
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][(m as usize - 1) % 12]
}

fn main() {
    let sales = generate_sales();
    println!("{} sales records loaded\n", sales.len());

    let root = build_tree(&sales);
    println!("=== Revenue by region / store / category ===");
    print_node(&root, 0);

    let expected: u64 = sales.iter().map(Sale::revenue).sum();
    let rolled_up = root.borrow().revenue;
    println!("\nroll-up check: tree {} vs records {} -> {}", money(rolled_up), money(expected), if rolled_up == expected { "OK" } else { "MISMATCH" });

    println!("\n=== Monthly totals ===");
    let monthly = sales
        .iter()
        .sorted_by_key(|s| s.month)
        .group_by(|s| s.month)
        .into_iter()
        .map(|(m, group)| format!("{}: {}", month_name(m), money(group.map(|s| s.revenue()).sum::<u64>())))
        .join(" | ");
    println!("{monthly}");

    println!("\n=== Top 3 products per region ===");
    for (region, group) in &sales.iter().sorted_by_key(|s| s.region).group_by(|s| s.region) {
        let top = group
            .sorted_by_key(|s| s.product)
            .group_by(|s| s.product)
            .into_iter()
            .map(|(product, items)| (product, items.map(|s| s.revenue()).sum::<u64>()))
            .sorted_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)))
            .take(3)
            .map(|(product, revenue)| format!("{product} ({})", money(revenue)))
            .join(", ");
        println!("  {region:<6} {top}");
    }

    println!("\n=== Category mix per region (units) ===");
    for (region, group) in &sales.iter().sorted_by(|a, b| (a.region, a.category).cmp(&(b.region, b.category))).group_by(|s| s.region) {
        let mix = group
            .group_by(|s| s.category)
            .into_iter()
            .map(|(cat, items)| format!("{cat}={}", items.map(|s| s.units).sum::<u32>()))
            .join(" ");
        println!("  {region:<6} {mix}");
    }

    let mut leaves = Vec::new();
    collect_leaves(&root, &mut leaves);
    let best = leaves.iter().max_by_key(|n| n.borrow().revenue);
    let worst = leaves.iter().min_by_key(|n| n.borrow().revenue);
    println!("\n=== Extremes (paths via Weak parent links) ===");
    if let Some(b) = best {
        println!("  best category-in-store : {} ({})", path_of(b), money(b.borrow().revenue));
    }
    if let Some(w) = worst {
        println!("  weakest category-in-store: {} ({})", path_of(w), money(w.borrow().revenue));
    }

    let first_region = Rc::clone(&root.borrow().children[0]);
    println!(
        "\n'{}' strong refs = {} (root's child list + local), weak refs = {} (its stores' parent links)",
        first_region.borrow().name,
        Rc::strong_count(&first_region),
        Rc::weak_count(&first_region)
    );
}
