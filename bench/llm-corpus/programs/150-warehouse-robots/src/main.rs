use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::fmt::{self, Display};
use std::hash::Hash;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Pos {
    x: i32,
    y: i32,
}

impl Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({},{})", self.x, self.y)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct RobotId(u8);

impl Display for RobotId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "R{}", self.0)
    }
}

/// Space-time reservation table: who occupies which key at which time step.
struct ReservationTable<K, V>
where
    K: Hash + Ord + Display + Clone,
    V: Hash + Ord + Display + Clone,
{
    slots: HashMap<(K, u32), V>,
    parked: HashMap<K, (u32, V)>,
}

impl<K, V> ReservationTable<K, V>
where
    K: Hash + Ord + Display + Clone,
    V: Hash + Ord + Display + Clone,
{
    fn new() -> Self {
        ReservationTable { slots: HashMap::new(), parked: HashMap::new() }
    }

    fn owner(&self, key: &K, t: u32) -> Option<&V> {
        if let Some(v) = self.slots.get(&(key.clone(), t)) {
            return Some(v);
        }
        self.parked.get(key).filter(|(from, _)| *from <= t).map(|(_, v)| v)
    }

    fn is_free_for(&self, key: &K, t: u32, who: &V) -> bool {
        self.owner(key, t).map_or(true, |o| o == who)
    }

    fn reserve(&mut self, key: K, t: u32, who: V) -> Result<(), V> {
        if let Some(existing) = self.owner(&key, t) {
            if *existing != who {
                return Err(existing.clone());
            }
        }
        self.slots.insert((key, t), who);
        Ok(())
    }

    fn park(&mut self, key: K, from: u32, who: V) {
        self.parked.insert(key, (from, who));
    }

    /// Latest time at which somebody other than `who` passes through `key`.
    fn last_use_by_others(&self, key: &K, who: &V) -> Option<u32> {
        self.slots.iter().filter(|((k, _), v)| k == key && *v != who).map(|((_, t), _)| *t).max()
    }
}

impl<K, V> Display for ReservationTable<K, V>
where
    K: Hash + Ord + Display + Clone,
    V: Hash + Ord + Display + Clone,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut by_time: BTreeMap<u32, Vec<(&K, &V)>> = BTreeMap::new();
        for ((k, t), v) in &self.slots {
            by_time.entry(*t).or_default().push((k, v));
        }
        for (t, mut entries) in by_time {
            entries.sort_by(|a, b| a.1.cmp(b.1));
            let text: Vec<String> = entries.iter().map(|(k, v)| format!("{v}@{k}")).collect();
            writeln!(f, "  t={t:<3} {}", text.join(" "))?;
        }
        let mut parked: Vec<_> = self.parked.iter().collect();
        parked.sort_by(|a, b| a.1 .1.cmp(&b.1 .1));
        for (k, (from, v)) in parked {
            writeln!(f, "  {v} parked at {k} from t={from}")?;
        }
        Ok(())
    }
}

struct Warehouse {
    width: i32,
    height: i32,
    walls: HashSet<Pos>,
    items: HashMap<char, Pos>,
    robots: Vec<(RobotId, Pos)>,
    stations: Vec<Pos>,
}

impl Warehouse {
    fn parse(map: &str) -> Warehouse {
        let mut w = Warehouse { width: 0, height: 0, walls: HashSet::new(), items: HashMap::new(), robots: Vec::new(), stations: Vec::new() };
        for (y, line) in map.lines().enumerate() {
            w.height = w.height.max(y as i32 + 1);
            for (x, c) in line.chars().enumerate() {
                let p = Pos { x: x as i32, y: y as i32 };
                w.width = w.width.max(x as i32 + 1);
                match c {
                    '#' => {
                        w.walls.insert(p);
                    }
                    'P' => w.stations.push(p),
                    d if d.is_ascii_digit() => w.robots.push((RobotId(d as u8 - b'0'), p)),
                    l if l.is_ascii_uppercase() => {
                        w.items.insert(l, p);
                    }
                    _ => {}
                }
            }
        }
        w.robots.sort();
        w
    }

    fn passable(&self, p: Pos) -> bool {
        p.x >= 0 && p.y >= 0 && p.x < self.width && p.y < self.height && !self.walls.contains(&p)
    }

    /// Breadth-first search in (cell, time) space, allowing waits and avoiding reserved cells and swaps.
    fn plan(&self, table: &ReservationTable<Pos, RobotId>, start: Pos, t0: u32, goal: Pos, me: RobotId, park_at_goal: bool) -> Option<Vec<Pos>> {
        const HORIZON: u32 = 80;
        let mut queue = VecDeque::from([(start, t0)]);
        let mut came: HashMap<(Pos, u32), (Pos, u32)> = HashMap::new();
        let mut seen = HashSet::from([(start, t0)]);
        while let Some((p, t)) = queue.pop_front() {
            let safe_goal = !park_at_goal || table.last_use_by_others(&goal, &me).map_or(true, |last| last < t);
            if p == goal && safe_goal {
                let mut path = vec![p];
                let mut cur = (p, t);
                while let Some(&prev) = came.get(&cur) {
                    path.push(prev.0);
                    cur = prev;
                }
                path.reverse();
                return Some(path);
            }
            if t >= t0 + HORIZON {
                continue;
            }
            for (dx, dy) in [(0, 0), (1, 0), (-1, 0), (0, 1), (0, -1)] {
                let next = Pos { x: p.x + dx, y: p.y + dy };
                if !self.passable(next) || !table.is_free_for(&next, t + 1, &me) {
                    continue;
                }
                // Edge conflict: another robot moving next -> p while we move p -> next.
                let swap = match (table.owner(&next, t), table.owner(&p, t + 1)) {
                    (Some(a), Some(b)) => a == b && *a != me,
                    _ => false,
                };
                if swap || !seen.insert((next, t + 1)) {
                    continue;
                }
                came.insert((next, t + 1), (p, t));
                queue.push_back((next, t + 1));
            }
        }
        None
    }

    fn render(&self, positions: &HashMap<RobotId, Pos>) -> String {
        let at: HashMap<Pos, RobotId> = positions.iter().map(|(r, p)| (*p, *r)).collect();
        let mut out = String::new();
        for y in 0..self.height {
            for x in 0..self.width {
                let p = Pos { x, y };
                let c = if let Some(r) = at.get(&p) {
                    (b'0' + r.0) as char
                } else if self.walls.contains(&p) {
                    '#'
                } else if let Some((l, _)) = self.items.iter().find(|(_, ip)| **ip == p) {
                    l.to_ascii_lowercase()
                } else if self.stations.contains(&p) {
                    'P'
                } else {
                    '.'
                };
                out.push(c);
            }
            out.push('\n');
        }
        out
    }
}

fn manhattan(a: Pos, b: Pos) -> i32 {
    (a.x - b.x).abs() + (a.y - b.y).abs()
}

const MAP: &str = "\
############
#1...A..B..#
#.##.##.##.#
#.##.##.##.#
#2...C..D..#
#.##.##.##.#
#3...E..F..#
#PPP.......#
############";

fn main() {
    let wh = Warehouse::parse(MAP);
    let orders = ['A', 'D', 'F', 'B', 'E', 'C'];

    // Greedy assignment: each order goes to the robot whose last planned stop is closest.
    let mut assignments: BTreeMap<RobotId, Vec<char>> = wh.robots.iter().map(|(r, _)| (*r, Vec::new())).collect();
    let mut last_stop: HashMap<RobotId, (Pos, i32)> = wh.robots.iter().map(|(r, p)| (*r, (*p, 0))).collect();
    for item in orders {
        let Some(&target) = wh.items.get(&item) else { continue };
        let (robot, _) = last_stop
            .iter()
            .map(|(r, (p, load))| (*r, manhattan(*p, target) + load * 6))
            .min_by_key(|(r, cost)| (*cost, *r))
            .expect("at least one robot");
        assignments.entry(robot).or_default().push(item);
        let entry = last_stop.get_mut(&robot).unwrap();
        *entry = (target, entry.1 + 1);
    }

    let mut table: ReservationTable<Pos, RobotId> = ReservationTable::new();
    for (r, p) in &wh.robots {
        table.reserve(*p, 0, *r).expect("start cells are distinct");
    }

    let mut routes: BTreeMap<RobotId, Vec<Pos>> = BTreeMap::new();
    for (i, (robot, start)) in wh.robots.iter().enumerate() {
        let station = wh.stations[i % wh.stations.len()];
        let mut route = vec![*start];
        let mut legs: Vec<(Pos, bool)> = Vec::new();
        for item in &assignments[robot] {
            legs.push((wh.items[item], false));
            legs.push((station, false));
        }
        if legs.is_empty() {
            legs.push((station, true));
        } else if let Some(last) = legs.last_mut() {
            last.1 = true;
        }
        for (goal, final_leg) in legs {
            let here = *route.last().unwrap();
            let t = (route.len() - 1) as u32;
            match wh.plan(&table, here, t, goal, *robot, final_leg) {
                Some(path) => route.extend_from_slice(&path[1..]),
                None => {
                    println!("{robot}: no conflict-free path from {here} to {goal} at t={t}");
                    break;
                }
            }
        }
        for (t, p) in route.iter().enumerate() {
            if let Err(other) = table.reserve(*p, t as u32, *robot) {
                println!("internal error: {robot} collides with {other} at {p} t={t}");
            }
        }
        table.park(*route.last().unwrap(), (route.len() - 1) as u32, *robot);
        println!(
            "{robot}: orders {:?}, route of {} steps, finishes at station {} at t={}",
            assignments[robot],
            route.len() - 1,
            route.last().unwrap(),
            route.len() - 1
        );
        routes.insert(*robot, route);
    }

    let makespan = routes.values().map(|r| r.len()).max().unwrap_or(1);
    let at = |route: &Vec<Pos>, t: usize| route[t.min(route.len() - 1)];
    let mut conflicts = 0;
    for t in 0..makespan {
        let mut cells = HashSet::new();
        for route in routes.values() {
            if !cells.insert(at(route, t)) {
                conflicts += 1;
            }
        }
        if t + 1 < makespan {
            for (a, ra) in &routes {
                for (b, rb) in &routes {
                    if a < b && at(ra, t) == at(rb, t + 1) && at(rb, t) == at(ra, t + 1) && at(ra, t) != at(ra, t + 1) {
                        conflicts += 1;
                    }
                }
            }
        }
    }
    println!("\nMakespan {} steps, conflicts detected: {conflicts}", makespan - 1);

    for t in (0..makespan).step_by(6).chain(std::iter::once(makespan - 1)) {
        let positions: HashMap<RobotId, Pos> = routes.iter().map(|(r, route)| (*r, at(route, t))).collect();
        println!("\nt = {t}\n{}", wh.render(&positions));
    }

    let preview: String = table.to_string().lines().take(6).collect::<Vec<_>>().join("\n");
    println!("Reservation table (first steps):\n{preview}\n  ...");
}
