use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, VecDeque};
use std::fmt;

type RouterId = usize;

#[derive(Debug, Clone)]
struct Packet {
    id: u64,
    src: RouterId,
    dst: RouterId,
    ttl: u8,
    created: u64,
    path: Vec<RouterId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum DropReason {
    TtlExpired,
    QueueFull,
    NoRoute,
    LinkLoss,
}

impl fmt::Display for DropReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            DropReason::TtlExpired => "TTL expired",
            DropReason::QueueFull => "queue full",
            DropReason::NoRoute => "no route",
            DropReason::LinkLoss => "link loss",
        })
    }
}

#[derive(Debug, Clone)]
struct Link {
    to: RouterId,
    cost: u32,
    loss: f64,
}

#[derive(Debug)]
struct Router {
    name: String,
    links: Vec<Link>,
    table: BTreeMap<RouterId, RouterId>, // destination -> next hop
    queue: VecDeque<Packet>,
    capacity: usize,
    rate: usize, // packets processed per tick
    forwarded: u64,
    peak_queue: usize,
}

#[derive(Debug, Default)]
struct Stats {
    injected: u64,
    delivered: u64,
    dropped: BTreeMap<DropReason, u64>,
    latency_total: u64,
    hops_total: u64,
    samples: Vec<Packet>,
}

struct Network {
    routers: Vec<Router>,
    in_flight: Vec<(RouterId, Packet)>,
    stats: Stats,
    rng: StdRng,
    next_packet: u64,
    default_ttl: u8,
}

impl Network {
    fn new(seed: u64) -> Self {
        Network {
            routers: Vec::new(),
            in_flight: Vec::new(),
            stats: Stats::default(),
            rng: StdRng::seed_from_u64(seed),
            next_packet: 1,
            default_ttl: 8,
        }
    }

    fn add_router(&mut self, name: &str, capacity: usize, rate: usize) -> RouterId {
        self.routers.push(Router {
            name: name.to_string(),
            links: Vec::new(),
            table: BTreeMap::new(),
            queue: VecDeque::new(),
            capacity,
            rate,
            forwarded: 0,
            peak_queue: 0,
        });
        self.routers.len() - 1
    }

    fn connect(&mut self, a: RouterId, b: RouterId, cost: u32, loss: f64) {
        self.routers[a].links.push(Link { to: b, cost, loss });
        self.routers[b].links.push(Link { to: a, cost, loss });
    }

    /// Dijkstra from every router, keeping only the first hop per destination.
    fn compute_routes(&mut self) {
        let n = self.routers.len();
        for src in 0..n {
            let mut dist = vec![u32::MAX; n];
            let mut first_hop: Vec<Option<RouterId>> = vec![None; n];
            let mut heap = BinaryHeap::new();
            dist[src] = 0;
            heap.push(Reverse((0u32, src)));
            while let Some(Reverse((d, u))) = heap.pop() {
                if d > dist[u] {
                    continue;
                }
                for link in &self.routers[u].links {
                    let nd = d + link.cost;
                    if nd < dist[link.to] {
                        dist[link.to] = nd;
                        first_hop[link.to] = if u == src { Some(link.to) } else { first_hop[u] };
                        heap.push(Reverse((nd, link.to)));
                    }
                }
            }
            self.routers[src].table = (0..n)
                .filter(|&d| d != src)
                .filter_map(|d| first_hop[d].map(|hop| (d, hop)))
                .collect();
        }
    }

    /// Simulates a stale static route (a classic source of routing loops).
    fn override_route(&mut self, at: RouterId, dst: RouterId, via: RouterId) {
        self.routers[at].table.insert(dst, via);
    }

    fn name(&self, id: RouterId) -> &str {
        &self.routers[id].name
    }

    fn drop_packet(&mut self, reason: DropReason) {
        *self.stats.dropped.entry(reason).or_insert(0) += 1;
    }

    fn enqueue(&mut self, at: RouterId, packet: Packet) {
        let full = {
            let r = &self.routers[at];
            r.queue.len() >= r.capacity
        };
        if full {
            self.drop_packet(DropReason::QueueFull);
            return;
        }
        let router = &mut self.routers[at];
        router.queue.push_back(packet);
        router.peak_queue = router.peak_queue.max(router.queue.len());
    }

    fn inject(&mut self, src: RouterId, dst: RouterId, now: u64) {
        let packet = Packet {
            id: self.next_packet,
            src,
            dst,
            ttl: self.default_ttl,
            created: now,
            path: vec![src],
        };
        self.next_packet += 1;
        self.stats.injected += 1;
        self.enqueue(src, packet);
    }

    fn tick(&mut self, now: u64) {
        // Packets sent during the previous tick arrive now.
        let arrivals = std::mem::take(&mut self.in_flight);
        for (at, packet) in arrivals {
            self.enqueue(at, packet);
        }

        for rid in 0..self.routers.len() {
            for _ in 0..self.routers[rid].rate {
                let mut packet = match self.routers[rid].queue.pop_front() {
                    Some(p) => p,
                    None => break,
                };
                if packet.dst == rid {
                    self.stats.delivered += 1;
                    self.stats.latency_total += now - packet.created;
                    self.stats.hops_total += (packet.path.len() - 1) as u64;
                    if self.stats.samples.len() < 5 {
                        self.stats.samples.push(packet);
                    }
                    continue;
                }
                if packet.ttl <= 1 {
                    self.drop_packet(DropReason::TtlExpired);
                    continue;
                }
                packet.ttl -= 1;
                let next = match self.routers[rid].table.get(&packet.dst) {
                    Some(&hop) => hop,
                    None => {
                        self.drop_packet(DropReason::NoRoute);
                        continue;
                    }
                };
                let loss = self.routers[rid]
                    .links
                    .iter()
                    .find(|l| l.to == next)
                    .map(|l| l.loss)
                    .unwrap_or(1.0);
                if self.rng.gen_bool(loss) {
                    self.drop_packet(DropReason::LinkLoss);
                    continue;
                }
                packet.path.push(next);
                self.routers[rid].forwarded += 1;
                self.in_flight.push((next, packet));
            }
        }
    }

    fn queued(&self) -> usize {
        self.routers.iter().map(|r| r.queue.len()).sum()
    }

    fn is_idle(&self) -> bool {
        self.in_flight.is_empty() && self.queued() == 0
    }

    fn dropped_total(&self) -> u64 {
        self.stats.dropped.values().sum()
    }

    fn print_tables(&self) {
        println!("Routing tables (destination -> next hop):");
        for r in &self.routers {
            let entries: Vec<String> = r
                .table
                .iter()
                .map(|(d, h)| format!("{}->{}", self.name(*d), self.name(*h)))
                .collect();
            let shown = if entries.is_empty() {
                "(empty)".to_string()
            } else {
                entries.join(" ")
            };
            println!("  {}: {}", r.name, shown);
        }
        println!();
    }

    fn report(&self, ticks: u64) {
        let s = &self.stats;
        println!("\n==== after {} ticks ====", ticks);
        println!("injected   {}", s.injected);
        println!(
            "delivered  {} ({:.1}%)",
            s.delivered,
            s.delivered as f64 * 100.0 / s.injected.max(1) as f64
        );
        println!("dropped    {}", self.dropped_total());
        for (reason, count) in &s.dropped {
            println!("  {:<12} {}", reason, count);
        }
        if s.delivered > 0 {
            println!(
                "avg latency {:.2} ticks, avg hops {:.2}",
                s.latency_total as f64 / s.delivered as f64,
                s.hops_total as f64 / s.delivered as f64
            );
        }
        println!("\nrouter  forwarded  peak queue / capacity");
        for r in &self.routers {
            println!("  {:<5} {:>9}  {:>4} / {}", r.name, r.forwarded, r.peak_queue, r.capacity);
        }
        println!("\nsample delivered packets:");
        for p in &s.samples {
            let path: Vec<&str> = p.path.iter().map(|&id| self.name(id)).collect();
            println!(
                "  #{:<4} {} -> {}: {} (ttl left {})",
                p.id,
                self.name(p.src),
                self.name(p.dst),
                path.join(" -> "),
                p.ttl
            );
        }
        let accounted = s.delivered + self.dropped_total() + (self.queued() + self.in_flight.len()) as u64;
        assert_eq!(accounted, s.injected, "every packet is accounted for");
    }
}

fn main() {
    let mut net = Network::new(7);
    let a = net.add_router("A", 16, 4);
    let b = net.add_router("B", 6, 2); // small, slow core router: congestion point
    let c = net.add_router("C", 16, 4);
    let d = net.add_router("D", 16, 4);
    let e = net.add_router("E", 16, 4);
    let f = net.add_router("F", 16, 4);
    let _g = net.add_router("G", 16, 4); // isolated: no links at all

    net.connect(a, b, 1, 0.02);
    net.connect(a, c, 4, 0.0);
    net.connect(b, c, 1, 0.0);
    net.connect(b, d, 5, 0.0);
    net.connect(c, d, 1, 0.0);
    net.connect(c, e, 3, 0.05);
    net.connect(d, e, 1, 0.0);
    net.connect(d, f, 4, 0.0);
    net.connect(e, f, 1, 0.0);
    net.compute_routes();

    // A stale static route on E sends traffic for F back to D, while D
    // forwards it to E: packets for F bounce until their TTL runs out.
    net.override_route(e, f, d);
    net.print_tables();

    let router_count = net.routers.len();
    let inject_until = 40;
    let mut now = 0u64;
    while now < inject_until || !net.is_idle() {
        if now < inject_until {
            let burst = net.rng.gen_range(2..=6);
            for _ in 0..burst {
                let src = net.rng.gen_range(0..router_count);
                let mut dst = net.rng.gen_range(0..router_count - 1);
                if dst >= src {
                    dst += 1;
                }
                net.inject(src, dst, now);
            }
        }
        net.tick(now);
        if now % 10 == 0 {
            println!(
                "tick {:>3}: in flight {:>3}, queued {:>3}, delivered {:>4}, dropped {:>4}",
                now,
                net.in_flight.len(),
                net.queued(),
                net.stats.delivered,
                net.dropped_total()
            );
        }
        now += 1;
        if now > 1000 {
            println!("simulation did not settle, stopping");
            break;
        }
    }
    net.report(now);
}
