use std::collections::{BTreeMap, HashMap};
use thiserror::Error;

#[derive(Debug, Error)]
enum InventoryError {
    #[error("unknown SKU {0}")]
    UnknownSku(String),
    #[error("duplicate SKU {0}")]
    DuplicateSku(String),
    #[error("unknown supplier {0}")]
    UnknownSupplier(u32),
    #[error("not enough stock for {sku}: have {available}, need {requested}")]
    InsufficientStock { sku: String, available: u32, requested: u32 },
}

#[derive(Debug, Clone)]
struct Supplier {
    id: u32,
    name: String,
    lead_time_days: u32,
}

#[derive(Debug, Clone)]
struct Item {
    sku: String,
    name: String,
    stock: u32,
    reorder_threshold: u32,
    reorder_quantity: u32,
    unit_cost: f64,
    supplier_id: u32,
}

#[derive(Default)]
struct Warehouse {
    items: BTreeMap<String, Item>,
    suppliers: HashMap<u32, Supplier>,
}

impl Warehouse {
    fn add_supplier(&mut self, id: u32, name: &str, lead_time_days: u32) {
        self.suppliers.insert(id, Supplier { id, name: name.to_string(), lead_time_days });
    }

    fn add_item(&mut self, item: Item) -> Result<(), InventoryError> {
        if !self.suppliers.contains_key(&item.supplier_id) {
            return Err(InventoryError::UnknownSupplier(item.supplier_id));
        }
        if self.items.contains_key(&item.sku) {
            return Err(InventoryError::DuplicateSku(item.sku));
        }
        self.items.insert(item.sku.clone(), item);
        Ok(())
    }

    fn receive(&mut self, sku: &str, qty: u32) -> Result<u32, InventoryError> {
        let item = self.items.get_mut(sku).ok_or_else(|| InventoryError::UnknownSku(sku.to_string()))?;
        item.stock += qty;
        Ok(item.stock)
    }

    fn ship(&mut self, sku: &str, qty: u32) -> Result<u32, InventoryError> {
        let item = self.items.get_mut(sku).ok_or_else(|| InventoryError::UnknownSku(sku.to_string()))?;
        if item.stock < qty {
            return Err(InventoryError::InsufficientStock { sku: sku.to_string(), available: item.stock, requested: qty });
        }
        item.stock -= qty;
        Ok(item.stock)
    }

    fn total_value(&self) -> f64 {
        self.items.values().map(|i| i.stock as f64 * i.unit_cost).sum()
    }

    fn print_stock(&self) {
        println!("{:<8} {:<22} {:>6} {:>9} {:>10}  {}", "SKU", "Name", "Stock", "Threshold", "Value", "Supplier");
        for item in self.items.values() {
            let supplier = self.suppliers.get(&item.supplier_id).map(|s| s.name.as_str()).unwrap_or("?");
            println!(
                "{:<8} {:<22} {:>6} {:>9} {:>10.2}  {}",
                item.sku,
                item.name,
                item.stock,
                item.reorder_threshold,
                item.stock as f64 * item.unit_cost,
                supplier
            );
        }
        println!("Total inventory value: {:.2}", self.total_value());
    }

    fn restock_report(&self) {
        let mut by_supplier: BTreeMap<u32, Vec<&Item>> = BTreeMap::new();
        for item in self.items.values().filter(|i| i.stock <= i.reorder_threshold) {
            by_supplier.entry(item.supplier_id).or_default().push(item);
        }
        println!("\n=== Restock report ===");
        if by_supplier.is_empty() {
            println!("All items are above their reorder thresholds.");
            return;
        }
        let mut grand_total = 0.0;
        for (sid, items) in by_supplier {
            let supplier = &self.suppliers[&sid];
            println!("Supplier #{} {} (lead time {} days)", supplier.id, supplier.name, supplier.lead_time_days);
            let mut subtotal = 0.0;
            for item in items {
                // Order enough to get back above the threshold, at least the standard reorder quantity.
                let shortfall = item.reorder_threshold.saturating_sub(item.stock);
                let qty = item.reorder_quantity.max(shortfall + 1);
                let cost = qty as f64 * item.unit_cost;
                subtotal += cost;
                let urgency = if item.stock == 0 { "OUT OF STOCK" } else { "low" };
                println!(
                    "  {:<8} {:<22} stock {:>4} / threshold {:>4} -> order {:>4} ({:>9.2}) [{}]",
                    item.sku, item.name, item.stock, item.reorder_threshold, qty, cost, urgency
                );
            }
            println!("  Subtotal: {:.2}", subtotal);
            grand_total += subtotal;
        }
        println!("Estimated total restock cost: {:.2}", grand_total);
    }
}

fn item(sku: &str, name: &str, stock: u32, threshold: u32, reorder: u32, cost: f64, supplier: u32) -> Item {
    Item {
        sku: sku.to_string(),
        name: name.to_string(),
        stock,
        reorder_threshold: threshold,
        reorder_quantity: reorder,
        unit_cost: cost,
        supplier_id: supplier,
    }
}

fn main() {
    let mut wh = Warehouse::default();
    wh.add_supplier(1, "Acme Fasteners", 5);
    wh.add_supplier(2, "Globex Tools", 12);
    wh.add_supplier(3, "Initech Packaging", 3);

    let items = vec![
        item("FST-001", "Hex bolt M8", 1200, 500, 1000, 0.12, 1),
        item("FST-002", "Wing nut M6", 180, 300, 600, 0.08, 1),
        item("TL-100", "Cordless drill", 14, 10, 20, 79.90, 2),
        item("TL-101", "Torque wrench", 3, 5, 10, 54.00, 2),
        item("PK-010", "Cardboard box L", 40, 100, 250, 0.65, 3),
        item("PK-011", "Bubble wrap roll", 22, 15, 30, 12.50, 3),
        item("TL-102", "Tape measure", 9, 8, 25, 6.40, 9),
        item("FST-001", "Duplicate bolt", 1, 1, 1, 1.0, 1),
    ];
    for it in items {
        let sku = it.sku.clone();
        if let Err(e) = wh.add_item(it) {
            println!("Could not add {}: {}", sku, e);
        }
    }

    println!("\nInitial stock:");
    wh.print_stock();

    println!("\nProcessing orders...");
    let orders: [(&str, u32, bool); 6] = [
        ("FST-001", 800, false),
        ("TL-100", 6, false),
        ("PK-011", 30, false),
        ("PK-011", 10, false),
        ("XYZ-999", 1, false),
        ("TL-101", 10, true),
    ];
    for (sku, qty, inbound) in orders {
        let res = if inbound { wh.receive(sku, qty) } else { wh.ship(sku, qty) };
        let action = if inbound { "receive" } else { "ship" };
        match res {
            Ok(left) => println!("  {} {:>4} x {:<8} -> stock now {}", action, qty, sku, left),
            Err(e) => println!("  {} {:>4} x {:<8} -> ERROR: {}", action, qty, sku, e),
        }
    }

    println!("\nStock after orders:");
    wh.print_stock();
    wh.restock_report();
}
