use std::collections::VecDeque;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Factory { capacity: u32 },
    Warehouse,
    Store { mean_demand: u32 },
}

#[derive(Debug, Clone, Copy)]
struct Order {
    customer: usize,
    qty: u32,
    placed: u32,
}

#[derive(Debug, Clone, Copy)]
struct Shipment {
    to: usize,
    qty: u32,
    arrives: u32,
}

#[derive(Debug, Clone, Default)]
struct NodeStats {
    demand: u32,
    sold: u32,
    lost: u32,
    produced: u32,
    shipped: u32,
    received: u32,
    orders_placed: u32,
    stockout_days: u32,
}

#[derive(Debug, Clone)]
struct Node {
    id: usize,
    name: &'static str,
    kind: Kind,
    supplier: Option<usize>,
    inventory: u32,
    on_order: u32,
    reorder_point: u32,
    order_up_to: u32,
    inbound_lead_time: u32,
    backlog: VecDeque<Order>,
    stats: NodeStats,
}

struct Network {
    nodes: Vec<Node>,
    in_transit: Vec<Shipment>,
    day: u32,
    rng: StdRng,
}

struct NodeIter<'a> {
    inner: std::slice::Iter<'a, Node>,
}

impl<'a> Iterator for NodeIter<'a> {
    type Item = &'a Node;
    fn next(&mut self) -> Option<&'a Node> {
        self.inner.next()
    }
}

impl<'a> IntoIterator for &'a Network {
    type Item = &'a Node;
    type IntoIter = NodeIter<'a>;
    fn into_iter(self) -> NodeIter<'a> {
        NodeIter { inner: self.nodes.iter() }
    }
}

impl Network {
    fn new(seed: u64) -> Self {
        Network { nodes: Vec::new(), in_transit: Vec::new(), day: 0, rng: StdRng::seed_from_u64(seed) }
    }

    fn iter(&self) -> NodeIter<'_> {
        self.into_iter()
    }

    fn add(&mut self, name: &'static str, kind: Kind, supplier: Option<usize>, policy: (u32, u32, u32), lead: u32) -> usize {
        let id = self.nodes.len();
        let (inventory, reorder_point, order_up_to) = policy;
        self.nodes.push(Node {
            id,
            name,
            kind,
            supplier,
            inventory,
            on_order: 0,
            reorder_point,
            order_up_to,
            inbound_lead_time: lead,
            backlog: VecDeque::new(),
            stats: NodeStats::default(),
        });
        id
    }

    fn step(&mut self) {
        self.day += 1;
        let day = self.day;

        // 1. Deliveries arriving today move downstream into inventory.
        let (arrived, still): (Vec<Shipment>, Vec<Shipment>) = self.in_transit.drain(..).partition(|s| s.arrives <= day);
        self.in_transit = still;
        for s in arrived {
            let node = &mut self.nodes[s.to];
            node.inventory += s.qty;
            node.on_order = node.on_order.saturating_sub(s.qty);
            node.stats.received += s.qty;
        }

        // 2. Factories produce up to their capacity, without exceeding their target stock.
        // 3. Stores face random customer demand.
        for node in self.nodes.iter_mut() {
            match node.kind {
                Kind::Factory { capacity } => {
                    let made = capacity.min(node.order_up_to.saturating_sub(node.inventory));
                    node.inventory += made;
                    node.stats.produced += made;
                }
                Kind::Store { mean_demand } => {
                    let demand = self.rng.gen_range(mean_demand / 2..=mean_demand * 3 / 2);
                    let sold = demand.min(node.inventory);
                    node.inventory -= sold;
                    node.stats.demand += demand;
                    node.stats.sold += sold;
                    node.stats.lost += demand - sold;
                    if sold < demand {
                        node.stats.stockout_days += 1;
                    }
                }
                Kind::Warehouse => {}
            }
        }

        // 4. Upstream nodes fill their backlog FIFO, possibly partially.
        let mut shipments = Vec::new();
        for node in self.nodes.iter_mut() {
            while node.inventory > 0 {
                let Some(order) = node.backlog.front_mut() else { break };
                let qty = order.qty.min(node.inventory);
                node.inventory -= qty;
                order.qty -= qty;
                node.stats.shipped += qty;
                shipments.push((order.customer, qty));
                if order.qty == 0 {
                    node.backlog.pop_front();
                }
            }
        }
        for (to, qty) in shipments {
            let arrives = day + self.nodes[to].inbound_lead_time;
            self.in_transit.push(Shipment { to, qty, arrives });
        }

        // 5. Order-up-to replenishment: orders propagate upstream.
        let mut orders = Vec::new();
        for node in self.nodes.iter_mut() {
            let Some(supplier) = node.supplier else { continue };
            let position = node.inventory + node.on_order;
            if position <= node.reorder_point {
                let qty = node.order_up_to - position;
                node.on_order += qty;
                node.stats.orders_placed += 1;
                orders.push((supplier, Order { customer: node.id, qty, placed: day }));
            }
        }
        for (supplier, order) in orders {
            self.nodes[supplier].backlog.push_back(order);
        }
    }

    fn stores(&self) -> impl Iterator<Item = &Node> + '_ {
        self.iter().filter(|n| matches!(n.kind, Kind::Store { .. }))
    }
}

fn main() {
    let days: u32 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(30);
    let mut net = Network::new(42);
    let plant = net.add("Plant", Kind::Factory { capacity: 90 }, None, (200, 0, 300), 0);
    let north = net.add("North DC", Kind::Warehouse, Some(plant), (150, 120, 260), 2);
    let south = net.add("South DC", Kind::Warehouse, Some(plant), (150, 120, 260), 3);
    net.add("Store A", Kind::Store { mean_demand: 18 }, Some(north), (40, 25, 60), 1);
    net.add("Store B", Kind::Store { mean_demand: 12 }, Some(north), (40, 20, 45), 1);
    net.add("Store C", Kind::Store { mean_demand: 22 }, Some(south), (40, 30, 70), 1);
    net.add("Store D", Kind::Store { mean_demand: 9 }, Some(south), (40, 15, 35), 2);

    println!("Network:");
    for node in &net {
        let supplier = node.supplier.map(|s| net.nodes[s].name).unwrap_or("-");
        println!("  {:<9} {:<28} supplier {:<9} s={:<4} S={:<4} lead {}d", node.name, format!("{:?}", node.kind), supplier, node.reorder_point, node.order_up_to, node.inbound_lead_time);
    }

    println!("\n{:>4} {:>10} {:>10} {:>10} {:>12} {:>9}", "day", "store inv", "DC inv", "plant inv", "in transit", "lost");
    let mut lost_before = 0;
    for _ in 0..days {
        net.step();
        let store_inv: u32 = net.stores().map(|n| n.inventory).sum();
        let dc_inv: u32 = net.iter().filter(|n| n.kind == Kind::Warehouse).map(|n| n.inventory).sum();
        let transit: u32 = net.in_transit.iter().map(|s| s.qty).sum();
        let lost: u32 = net.stores().map(|n| n.stats.lost).sum();
        println!("{:>4} {:>10} {:>10} {:>10} {:>12} {:>9}", net.day, store_inv, dc_inv, net.nodes[plant].inventory, transit, lost - lost_before);
        lost_before = lost;
    }

    println!("\n{:<9} {:>7} {:>7} {:>6} {:>9} {:>8} {:>8} {:>7} {:>8}", "node", "demand", "sold", "lost", "fill rate", "shipped", "received", "orders", "backlog");
    for node in &net {
        let fill = if node.stats.demand == 0 { "-".to_string() } else { format!("{:.1}%", 100.0 * node.stats.sold as f64 / node.stats.demand as f64) };
        let backlog: u32 = node.backlog.iter().map(|o| o.qty).sum();
        println!(
            "{:<9} {:>7} {:>7} {:>6} {:>9} {:>8} {:>8} {:>7} {:>8}",
            node.name, node.stats.demand, node.stats.sold, node.stats.lost, fill, node.stats.shipped, node.stats.received, node.stats.orders_placed, backlog
        );
    }

    let produced = net.nodes[plant].stats.produced;
    let (demand, sold) = net.stores().fold((0, 0), |(d, s), n| (d + n.stats.demand, s + n.stats.sold));
    println!("\nPlant produced {produced} units; stores sold {sold} of {demand} demanded ({:.1}% fill rate)", 100.0 * sold as f64 / demand.max(1) as f64);
    if let Some(worst) = net.stores().max_by_key(|n| n.stats.stockout_days) {
        println!("Most stockout days: {} ({} of {days} days)", worst.name, worst.stats.stockout_days);
    }
    let oldest = net.iter().flat_map(|n| n.backlog.iter().map(move |o| (n.name, o))).min_by_key(|(_, o)| o.placed);
    if let Some((supplier, order)) = oldest {
        println!("Oldest open order: {} units for {} at {}, placed on day {}", order.qty, net.nodes[order.customer].name, supplier, order.placed);
    }
    let _ = south;
}
