//! airline-seats: seat reservations with classes, a printable seat map,
//! upgrades by loyalty tier, and overbooking resolution at check-in.
//! The seat map is a generic structure over its key (seat id) and value
//! (occupant) types.

use std::collections::{BTreeMap, HashMap};
use std::fmt::{self, Display};
use std::hash::Hash;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Class {
    First,
    Business,
    Economy,
}

impl Class {
    fn code(self) -> char {
        match self {
            Class::First => 'F',
            Class::Business => 'J',
            Class::Economy => 'Y',
        }
    }
    fn upgrade(self) -> Option<Class> {
        match self {
            Class::Economy => Some(Class::Business),
            Class::Business => Some(Class::First),
            Class::First => None,
        }
    }
}

/// Anything usable as a seat key must expose its row for printing.
trait RowKey {
    fn row(&self) -> u32;
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Seat {
    row: u32,
    letter: char,
}

impl Display for Seat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.row, self.letter)
    }
}

impl RowKey for Seat {
    fn row(&self) -> u32 {
        self.row
    }
}

/// Generic seat map: ordered seats with a class and optional occupant, plus a
/// reverse index from occupant to seat.
#[derive(Debug, Clone)]
struct SeatMap<K, V>
where
    K: Hash + Ord + Display + Clone + RowKey,
    V: Hash + Ord + Display + Clone,
{
    seats: BTreeMap<K, (Class, Option<V>)>,
    index: HashMap<V, K>,
}

impl<K, V> SeatMap<K, V>
where
    K: Hash + Ord + Display + Clone + RowKey,
    V: Hash + Ord + Display + Clone,
{
    fn new() -> Self {
        SeatMap { seats: BTreeMap::new(), index: HashMap::new() }
    }

    fn add_seat(&mut self, key: K, class: Class) {
        self.seats.insert(key, (class, None));
    }

    fn assign(&mut self, key: &K, who: V) -> Result<(), String> {
        if self.index.contains_key(&who) {
            return Err(format!("{who} already has a seat"));
        }
        match self.seats.get_mut(key) {
            None => Err(format!("seat {key} does not exist")),
            Some((_, Some(other))) => Err(format!("seat {key} is taken by {other}")),
            Some((_, slot)) => {
                *slot = Some(who.clone());
                self.index.insert(who, key.clone());
                Ok(())
            }
        }
    }

    fn release(&mut self, who: &V) -> Option<K> {
        let key = self.index.remove(who)?;
        if let Some((_, slot)) = self.seats.get_mut(&key) {
            *slot = None;
        }
        Some(key)
    }

    fn seat_of(&self, who: &V) -> Option<&K> {
        self.index.get(who)
    }

    fn class_of(&self, key: &K) -> Option<Class> {
        self.seats.get(key).map(|(c, _)| *c)
    }

    fn first_free(&self, class: Class) -> Option<K> {
        self.seats.iter().find(|(_, (c, occ))| *c == class && occ.is_none()).map(|(k, _)| k.clone())
    }

    fn free_count(&self, class: Class) -> usize {
        self.seats.values().filter(|(c, occ)| *c == class && occ.is_none()).count()
    }
}

impl<K, V> Display for SeatMap<K, V>
where
    K: Hash + Ord + Display + Clone + RowKey,
    V: Hash + Ord + Display + Clone,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut current_row = None;
        for (key, (class, occ)) in &self.seats {
            if current_row != Some(key.row()) {
                if current_row.is_some() {
                    writeln!(f)?;
                }
                write!(f, "{:>3} {} ", key.row(), class.code())?;
                current_row = Some(key.row());
            }
            let cell = if occ.is_some() { "[X]".to_string() } else { format!("[{}]", key.to_string().chars().last().unwrap_or(' ')) };
            write!(f, "{cell}")?;
        }
        writeln!(f)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    None,
    Silver,
    Gold,
    Platinum,
}

#[derive(Debug, Clone)]
struct Booking {
    name: String,
    class: Class,
    tier: Tier,
    fare: u32,
}

struct Flight {
    code: String,
    map: SeatMap<Seat, String>,
    bookings: Vec<Booking>,
    overbooking_factor: f64,
    log: Vec<String>,
}

impl Flight {
    fn new(code: &str) -> Self {
        let mut map = SeatMap::new();
        let layout: [(std::ops::RangeInclusive<u32>, &str, Class); 3] =
            [(1..=1, "AD", Class::First), (2..=3, "ACDF", Class::Business), (10..=15, "ABCDEF", Class::Economy)];
        for (rows, letters, class) in layout {
            for row in rows {
                for letter in letters.chars() {
                    map.add_seat(Seat { row, letter }, class);
                }
            }
        }
        Flight { code: code.to_string(), map, bookings: Vec::new(), overbooking_factor: 1.1, log: Vec::new() }
    }

    fn capacity(&self, class: Class) -> usize {
        self.map.seats.values().filter(|(c, _)| *c == class).count()
    }

    /// Sell a ticket; economy may be sold beyond capacity up to the overbooking factor.
    fn book(&mut self, name: &str, class: Class, tier: Tier, fare: u32) -> Result<(), String> {
        let sold = self.bookings.iter().filter(|b| b.class == class).count();
        let limit = if class == Class::Economy {
            (self.capacity(class) as f64 * self.overbooking_factor).floor() as usize
        } else {
            self.capacity(class)
        };
        if sold >= limit {
            return Err(format!("{name}: {class:?} sold out ({sold}/{limit})"));
        }
        self.bookings.push(Booking { name: name.to_string(), class, tier, fare });
        self.log.push(format!("booked {name} in {class:?}"));
        Ok(())
    }

    fn choose_seat(&mut self, name: &str, preferred: Option<Seat>) -> Result<Seat, String> {
        let booking = self.bookings.iter().find(|b| b.name == name).ok_or(format!("{name} has no booking"))?.clone();
        if let Some(seat) = preferred {
            if self.map.class_of(&seat) == Some(booking.class) && self.map.assign(&seat, name.to_string()).is_ok() {
                return Ok(seat);
            }
            self.log.push(format!("{name}: preferred seat {seat} unavailable"));
        }
        let seat = self.map.first_free(booking.class).ok_or(format!("{name}: no free {:?} seat", booking.class))?;
        self.map.assign(&seat, name.to_string())?;
        Ok(seat)
    }

    /// Upgrade the highest-tier passengers while the cabin above has room.
    fn process_upgrades(&mut self) {
        let mut candidates: Vec<Booking> =
            self.bookings.iter().filter(|b| b.tier >= Tier::Gold && b.class.upgrade().is_some()).cloned().collect();
        candidates.sort_by(|a, b| b.tier.cmp(&a.tier).then(b.fare.cmp(&a.fare)));
        for cand in candidates {
            let target = cand.class.upgrade().expect("filtered");
            let Some(seat) = self.map.first_free(target) else { continue };
            let old = self.map.release(&cand.name);
            if self.map.assign(&seat, cand.name.clone()).is_ok() {
                if let Some(b) = self.bookings.iter_mut().find(|b| b.name == cand.name) {
                    b.class = target;
                }
                let from = old.map(|s| s.to_string()).unwrap_or_else(|| "-".into());
                self.log.push(format!("upgraded {} ({:?}) {from} -> {seat} {target:?}", cand.name, cand.tier));
            }
        }
    }

    /// Seat everyone; bump the lowest-value passengers if economy is oversold.
    fn check_in_all(&mut self) -> Vec<(String, u32)> {
        let mut unseated: Vec<Booking> = self.bookings.iter().filter(|b| self.map.seat_of(&b.name).is_none()).cloned().collect();
        // Highest priority first: tier, then fare.
        unseated.sort_by(|a, b| b.tier.cmp(&a.tier).then(b.fare.cmp(&a.fare)));
        let mut bumped = Vec::new();
        for b in unseated {
            match self.choose_seat(&b.name, None) {
                Ok(seat) => self.log.push(format!("checked in {} at {seat}", b.name)),
                Err(_) => {
                    let compensation = 250 + b.fare * 2;
                    self.log.push(format!("BUMPED {} (fare {}), compensation ${compensation}", b.name, b.fare));
                    bumped.push((b.name.clone(), compensation));
                }
            }
        }
        self.bookings.retain(|b| !bumped.iter().any(|(n, _)| *n == b.name));
        bumped
    }
}

fn main() {
    let mut flight = Flight::new("RS202");
    println!("Flight {} capacity: F={} J={} Y={} (economy overbooking x{})\n", flight.code,
        flight.capacity(Class::First), flight.capacity(Class::Business), flight.capacity(Class::Economy), flight.overbooking_factor);

    let passengers = [
        ("Ada", Class::First, Tier::Platinum, 2400),
        ("Grace", Class::Business, Tier::Platinum, 1300),
        ("Linus", Class::Business, Tier::Gold, 1100),
        ("Ken", Class::Economy, Tier::Platinum, 450),
        ("Barbara", Class::Economy, Tier::Gold, 380),
        ("Dennis", Class::Economy, Tier::Gold, 300),
    ];
    for (name, class, tier, fare) in passengers {
        if let Err(e) = flight.book(name, class, tier, fare) {
            println!("booking failed: {e}");
        }
    }
    // Fill economy beyond its 36 seats.
    for i in 1..=42 {
        let tier = if i % 10 == 0 { Tier::Silver } else { Tier::None };
        if let Err(e) = flight.book(&format!("Pax{i:02}"), Class::Economy, tier, 120 + (i * 7) % 200) {
            println!("booking failed: {e}");
        }
    }

    for (name, seat) in [("Ada", Seat { row: 1, letter: 'A' }), ("Grace", Seat { row: 2, letter: 'A' }), ("Ken", Seat { row: 10, letter: 'A' }), ("Barbara", Seat { row: 2, letter: 'C' })] {
        match flight.choose_seat(name, Some(seat.clone())) {
            Ok(s) => println!("{name} seated at {s}"),
            Err(e) => println!("seat error: {e}"),
        }
    }

    flight.process_upgrades();
    let bumped = flight.check_in_all();

    println!("\nSeat map ([X] = occupied):\n{}", flight.map);
    println!("Free seats: F={} J={} Y={}", flight.map.free_count(Class::First), flight.map.free_count(Class::Business), flight.map.free_count(Class::Economy));

    println!("\nEvent log (upgrades and bumps):");
    for line in flight.log.iter().filter(|l| l.starts_with("upgraded") || l.starts_with("BUMPED") || l.contains("unavailable")) {
        println!("  {line}");
    }
    let total: u32 = bumped.iter().map(|(_, c)| c).sum();
    println!("\n{} passenger(s) bumped, total compensation ${total}", bumped.len());
    for who in ["Ada", "Grace", "Linus", "Ken", "Barbara", "Dennis"] {
        let seat = flight.map.seat_of(&who.to_string()).map(|s| s.to_string()).unwrap_or_else(|| "none".into());
        println!("  {who:<8} -> {seat}");
    }
}
