//! Train network timetable with earliest-arrival routing.
//!
//! The network is assembled with a chained builder (`NetworkBuilder` plus a
//! nested `LineBuilder` that hands control back with `done()`). Lines are
//! expanded into trips and elementary connections; journeys are found with the
//! Connection Scan Algorithm, honouring a minimum transfer time. Errors are a
//! `thiserror` enum propagated with `?` through parsing, line expansion,
//! building and querying; `main` uses `anyhow` for context.

use anyhow::{Context, Result};
use std::collections::HashMap;
use std::fmt;
use thiserror::Error;

#[derive(Debug, Error)]
enum NetworkError {
    #[error("invalid time '{0}' (expected HH:MM)")]
    InvalidTime(String),
    #[error("unknown station code '{0}'")]
    UnknownStation(String),
    #[error("duplicate station code '{0}'")]
    DuplicateStation(String),
    #[error("line '{line}': {reason}")]
    InvalidLine { line: String, reason: String },
    #[error("could not build line '{line}'")]
    LineBuild {
        line: String,
        #[source]
        source: Box<NetworkError>,
    },
    #[error("origin and destination are both '{0}'")]
    SameStation(String),
    #[error("no route from {from} to {to} departing at or after {after}")]
    NoRoute { from: String, to: String, after: String },
    #[error("the network has no stations")]
    Empty,
}

fn parse_time(text: &str) -> Result<u32, NetworkError> {
    let bad = || NetworkError::InvalidTime(text.to_string());
    let (h, m) = text.trim().split_once(':').ok_or_else(bad)?;
    let h: u32 = h.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    if h > 23 || m > 59 {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

fn fmt_time(minutes: u32) -> String {
    let day = if minutes >= 24 * 60 { "+1" } else { "" };
    format!("{:02}:{:02}{}", (minutes / 60) % 24, minutes % 60, day)
}

#[derive(Debug, Clone)]
enum Departures {
    List(Vec<String>),
    Every { first: String, last: String, headway: u32 },
}

#[derive(Debug, Clone)]
struct LineSpec {
    name: String,
    stops: Vec<(String, u32)>,
    departures: Option<Departures>,
    bidirectional: bool,
}

impl LineSpec {
    fn reversed(&self) -> LineSpec {
        let total = self.stops.last().map(|s| s.1).unwrap_or(0);
        LineSpec {
            name: format!("{} (return)", self.name),
            stops: self.stops.iter().rev().map(|(code, offset)| (code.clone(), total.saturating_sub(*offset))).collect(),
            departures: self.departures.clone(),
            bidirectional: false,
        }
    }
}

#[derive(Debug, Default)]
struct NetworkBuilder {
    stations: Vec<(String, String)>,
    lines: Vec<LineSpec>,
    transfer_minutes: u32,
}

struct LineBuilder {
    parent: NetworkBuilder,
    spec: LineSpec,
}

impl NetworkBuilder {
    fn new() -> Self {
        NetworkBuilder { transfer_minutes: 3, ..Default::default() }
    }

    fn station(mut self, code: &str, name: &str) -> Self {
        self.stations.push((code.to_string(), name.to_string()));
        self
    }

    fn transfer_minutes(mut self, minutes: u32) -> Self {
        self.transfer_minutes = minutes;
        self
    }

    fn line(self, name: &str) -> LineBuilder {
        LineBuilder {
            parent: self,
            spec: LineSpec { name: name.to_string(), stops: Vec::new(), departures: None, bidirectional: false },
        }
    }

    fn build(self) -> Result<Network, NetworkError> {
        if self.stations.is_empty() {
            return Err(NetworkError::Empty);
        }
        let mut index = HashMap::new();
        let mut stations = Vec::new();
        for (code, name) in &self.stations {
            if index.insert(code.clone(), stations.len()).is_some() {
                return Err(NetworkError::DuplicateStation(code.clone()));
            }
            stations.push(Station { code: code.clone(), name: name.clone() });
        }
        let mut trips = Vec::new();
        let mut connections = Vec::new();
        let mut line_names = Vec::new();
        for spec in &self.lines {
            let mut variants = vec![spec.clone()];
            if spec.bidirectional {
                variants.push(spec.reversed());
            }
            for variant in variants {
                expand_line(&variant, &index, &mut trips, &mut connections).map_err(|e| NetworkError::LineBuild {
                    line: variant.name.clone(),
                    source: Box::new(e),
                })?;
                line_names.push(variant.name);
            }
        }
        connections.sort_by_key(|c: &Connection| (c.dep, c.arr));
        Ok(Network { stations, index, connections, trips, line_names, transfer_minutes: self.transfer_minutes })
    }
}

impl LineBuilder {
    fn stop(mut self, code: &str, minutes_from_start: u32) -> Self {
        self.spec.stops.push((code.to_string(), minutes_from_start));
        self
    }

    fn departures(mut self, times: &[&str]) -> Self {
        self.spec.departures = Some(Departures::List(times.iter().map(|t| t.to_string()).collect()));
        self
    }

    fn every(mut self, first: &str, last: &str, headway_minutes: u32) -> Self {
        self.spec.departures =
            Some(Departures::Every { first: first.to_string(), last: last.to_string(), headway: headway_minutes });
        self
    }

    fn bidirectional(mut self) -> Self {
        self.spec.bidirectional = true;
        self
    }

    fn done(mut self) -> NetworkBuilder {
        self.parent.lines.push(self.spec);
        self.parent
    }
}

fn departure_times(spec: &LineSpec) -> Result<Vec<u32>, NetworkError> {
    match &spec.departures {
        None => Err(NetworkError::InvalidLine { line: spec.name.clone(), reason: "no departures configured".into() }),
        Some(Departures::List(times)) => times.iter().map(|t| parse_time(t)).collect(),
        Some(Departures::Every { first, last, headway }) => {
            if *headway == 0 {
                return Err(NetworkError::InvalidLine { line: spec.name.clone(), reason: "headway must be positive".into() });
            }
            let (first, last) = (parse_time(first)?, parse_time(last)?);
            if last < first {
                return Err(NetworkError::InvalidLine {
                    line: spec.name.clone(),
                    reason: format!("last departure {} is before the first {}", fmt_time(last), fmt_time(first)),
                });
            }
            Ok((first..=last).step_by(*headway as usize).collect())
        }
    }
}

fn expand_line(
    spec: &LineSpec,
    index: &HashMap<String, usize>,
    trips: &mut Vec<Trip>,
    connections: &mut Vec<Connection>,
) -> Result<(), NetworkError> {
    if spec.stops.len() < 2 {
        return Err(NetworkError::InvalidLine { line: spec.name.clone(), reason: "needs at least two stops".into() });
    }
    let stops = spec
        .stops
        .iter()
        .map(|(code, offset)| {
            index.get(code).map(|&i| (i, *offset)).ok_or_else(|| NetworkError::UnknownStation(code.clone()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    for w in stops.windows(2) {
        if w[1].1 <= w[0].1 {
            return Err(NetworkError::InvalidLine {
                line: spec.name.clone(),
                reason: format!("stop offsets must increase ({} min after {} min)", w[1].1, w[0].1),
            });
        }
    }
    for dep in departure_times(spec)? {
        let trip = trips.len();
        trips.push(Trip { line: spec.name.clone(), departure: dep });
        for w in stops.windows(2) {
            connections.push(Connection { from: w[0].0, to: w[1].0, dep: dep + w[0].1, arr: dep + w[1].1, trip });
        }
    }
    Ok(())
}

#[derive(Debug, Clone)]
struct Station {
    code: String,
    name: String,
}

#[derive(Debug, Clone)]
struct Trip {
    line: String,
    departure: u32,
}

#[derive(Debug, Clone, Copy)]
struct Connection {
    from: usize,
    to: usize,
    dep: u32,
    arr: u32,
    trip: usize,
}

#[derive(Debug)]
struct Network {
    stations: Vec<Station>,
    index: HashMap<String, usize>,
    connections: Vec<Connection>,
    trips: Vec<Trip>,
    line_names: Vec<String>,
    transfer_minutes: u32,
}

#[derive(Debug)]
struct Leg {
    line: String,
    from: String,
    to: String,
    dep: u32,
    arr: u32,
    hops: usize,
}

#[derive(Debug)]
struct Journey {
    from: String,
    to: String,
    requested: u32,
    legs: Vec<Leg>,
}

impl fmt::Display for Journey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let first = &self.legs[0];
        let last = &self.legs[self.legs.len() - 1];
        writeln!(
            f,
            "{} -> {}: depart {} arrive {} ({} min, {} transfer(s), asked for {})",
            self.from,
            self.to,
            fmt_time(first.dep),
            fmt_time(last.arr),
            last.arr - first.dep,
            self.legs.len() - 1,
            fmt_time(self.requested)
        )?;
        for (i, leg) in self.legs.iter().enumerate() {
            if i > 0 {
                let wait = leg.dep - self.legs[i - 1].arr;
                writeln!(f, "      change at {} ({} min)", leg.from, wait)?;
            }
            writeln!(
                f,
                "    {} {:<16} -> {:<16} {} ({} stop(s), {})",
                fmt_time(leg.dep),
                leg.from,
                leg.to,
                fmt_time(leg.arr),
                leg.hops,
                leg.line
            )?;
        }
        Ok(())
    }
}

impl Network {
    fn station_index(&self, code: &str) -> Result<usize, NetworkError> {
        self.index.get(code).copied().ok_or_else(|| NetworkError::UnknownStation(code.to_string()))
    }

    /// Connection Scan Algorithm: one pass over connections sorted by departure.
    fn earliest_arrival(&self, from: &str, to: &str, after: &str) -> Result<Journey, NetworkError> {
        let src = self.station_index(from)?;
        let dst = self.station_index(to)?;
        let t0 = parse_time(after)?;

        let n = self.stations.len();
        let mut earliest = vec![u32::MAX; n];
        earliest[src] = t0;
        let mut trip_entry: Vec<Option<usize>> = vec![None; self.trips.len()];
        let mut reached_by: Vec<Option<(usize, usize)>> = vec![None; n];

        for (i, c) in self.connections.iter().enumerate() {
            if c.dep < t0 {
                continue;
            }
            if earliest[dst] <= c.dep {
                break;
            }
            if trip_entry[c.trip].is_none() && earliest[c.from] != u32::MAX {
                let ready = if c.from == src { earliest[src] } else { earliest[c.from] + self.transfer_minutes };
                if ready <= c.dep {
                    trip_entry[c.trip] = Some(i);
                }
            }
            if let Some(entry) = trip_entry[c.trip] {
                if c.arr < earliest[c.to] {
                    earliest[c.to] = c.arr;
                    reached_by[c.to] = Some((entry, i));
                }
            }
        }

        if earliest[dst] == u32::MAX {
            return Err(NetworkError::NoRoute {
                from: from.to_string(),
                to: to.to_string(),
                after: fmt_time(t0),
            });
        }

        let mut legs = Vec::new();
        let mut current = dst;
        let mut guard = 0;
        while current != src && guard <= n {
            guard += 1;
            let (entry, exit) = reached_by[current].ok_or_else(|| NetworkError::NoRoute {
                from: from.to_string(),
                to: to.to_string(),
                after: fmt_time(t0),
            })?;
            let (enter_c, exit_c) = (self.connections[entry], self.connections[exit]);
            let hops = self.connections[entry..=exit].iter().filter(|c| c.trip == enter_c.trip).count();
            legs.push(Leg {
                line: self.trips[enter_c.trip].line.clone(),
                from: self.stations[enter_c.from].name.clone(),
                to: self.stations[exit_c.to].name.clone(),
                dep: enter_c.dep,
                arr: exit_c.arr,
                hops,
            });
            current = enter_c.from;
        }
        legs.reverse();
        Ok(Journey {
            from: self.stations[src].name.clone(),
            to: self.stations[dst].name.clone(),
            requested: t0,
            legs,
        })
    }

    /// Public entry point: validates the query, then runs the search.
    fn plan(&self, from: &str, to: &str, after: &str) -> Result<Journey, NetworkError> {
        if from == to {
            return Err(NetworkError::SameStation(from.to_string()));
        }
        self.earliest_arrival(from, to, after)
    }

    fn next_departures(&self, code: &str, after: &str, count: usize) -> Result<Vec<String>, NetworkError> {
        let s = self.station_index(code)?;
        let t0 = parse_time(after)?;
        Ok(self
            .connections
            .iter()
            .filter(|c| c.from == s && c.dep >= t0)
            .take(count)
            .map(|c| {
                format!("{} {} to {}", fmt_time(c.dep), self.trips[c.trip].line, self.stations[c.to].code)
            })
            .collect())
    }
}

fn demo_network() -> Result<Network, NetworkError> {
    NetworkBuilder::new()
        .station("AMS", "Amsterdam C.")
        .station("SHL", "Schiphol")
        .station("LEI", "Leiden")
        .station("DHG", "Den Haag")
        .station("RTD", "Rotterdam")
        .station("GDA", "Gouda")
        .station("UTR", "Utrecht")
        .station("ARN", "Arnhem")
        .transfer_minutes(4)
        .line("IC Amsterdam-Arnhem")
        .stop("AMS", 0)
        .stop("UTR", 27)
        .stop("ARN", 62)
        .every("06:00", "23:00", 30)
        .bidirectional()
        .done()
        .line("IC Utrecht-Rotterdam")
        .stop("UTR", 0)
        .stop("GDA", 19)
        .stop("RTD", 38)
        .every("06:05", "23:05", 15)
        .bidirectional()
        .done()
        .line("IC Amsterdam-Rotterdam")
        .stop("AMS", 0)
        .stop("SHL", 15)
        .stop("LEI", 32)
        .stop("DHG", 45)
        .stop("RTD", 68)
        .every("06:15", "22:45", 30)
        .bidirectional()
        .done()
        .line("Sprinter Den Haag-Utrecht")
        .stop("DHG", 0)
        .stop("GDA", 18)
        .stop("UTR", 38)
        .every("06:20", "22:20", 30)
        .bidirectional()
        .done()
        .line("Night train")
        .stop("AMS", 0)
        .stop("UTR", 30)
        .stop("RTD", 75)
        .departures(&["00:30", "01:30"])
        .done()
        .build()
}

fn main() -> Result<()> {
    let network = demo_network().context("building the demo network")?;
    println!(
        "network: {} stations, {} line variants, {} trips, {} connections, {} min transfer time",
        network.stations.len(),
        network.line_names.len(),
        network.trips.len(),
        network.connections.len(),
        network.transfer_minutes
    );
    let first_trip = &network.trips[0];
    println!("first trip: {} departing {}", first_trip.line, fmt_time(first_trip.departure));

    println!("\nnext departures from Utrecht after 08:00:");
    for d in network.next_departures("UTR", "08:00", 5)? {
        println!("  {d}");
    }

    let queries = [
        ("AMS", "RTD", "08:05"),
        ("ARN", "DHG", "07:40"),
        ("SHL", "GDA", "21:50"),
        ("LEI", "ARN", "12:00"),
        ("RTD", "ARN", "23:30"),
        ("AMS", "XYZ", "09:00"),
        ("AMS", "UTR", "25:00"),
        ("GDA", "GDA", "10:00"),
    ];
    for (from, to, after) in queries {
        println!();
        match network.plan(from, to, after).with_context(|| format!("planning {from} -> {to} after {after}")) {
            Ok(journey) => print!("{journey}"),
            Err(e) => println!("no journey: {e:#}"),
        }
    }

    println!("\n--- builder validation errors ---");
    let broken = NetworkBuilder::new()
        .station("A", "Alpha")
        .station("B", "Beta")
        .line("Shuttle")
        .stop("A", 0)
        .stop("C", 10)
        .every("06:00", "07:00", 20)
        .done()
        .build();
    if let Err(e) = broken {
        println!("{:#}", anyhow::Error::new(e).context("building the shuttle network"));
    }

    let bad_time = NetworkBuilder::new()
        .station("A", "Alpha")
        .station("B", "Beta")
        .line("Early bird")
        .stop("A", 0)
        .stop("B", 12)
        .departures(&["05:45", "6h15"])
        .done()
        .build()
        .context("building the early-bird network");
    if let Err(e) = bad_time {
        println!("{e:#}");
    }

    let duplicate = NetworkBuilder::new().station("A", "Alpha").station("A", "Again").build();
    if let Err(e) = duplicate {
        println!("{e}");
    }
    Ok(())
}
