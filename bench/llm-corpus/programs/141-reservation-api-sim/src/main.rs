use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use itertools::Itertools;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Debug, Clone, Serialize)]
struct Reservation {
    id: u32,
    guest: String,
    room: String,
    date: NaiveDate,
    start_hour: u8,
    end_hour: u8,
    party_size: u8,
}

#[derive(Debug, Deserialize)]
struct NewReservation {
    guest: String,
    room: String,
    date: NaiveDate,
    start_hour: u8,
    end_hour: u8,
    party_size: u8,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Method {
    Get,
    Post,
    Delete,
}

struct Request {
    method: Method,
    path: String,
    body: Option<Value>,
}

#[derive(Debug)]
struct Response {
    status: u16,
    body: Value,
}

impl Response {
    fn new(status: u16, body: Value) -> Self {
        Response { status, body }
    }
    fn error(status: u16, message: impl Into<String>) -> Self {
        Response { status, body: json!({ "error": message.into() }) }
    }
}

struct Api {
    reservations: Vec<Reservation>,
    rooms: BTreeMap<String, u8>,
    next_id: u32,
}

fn parse_query(query: &str) -> HashMap<&str, &str> {
    query.split('&').filter(|p| !p.is_empty()).filter_map(|pair| pair.split_once('=')).collect()
}

impl Api {
    fn new(rooms: &[(&str, u8)]) -> Self {
        Api { reservations: Vec::new(), rooms: rooms.iter().map(|(n, c)| (n.to_string(), *c)).collect(), next_id: 1 }
    }

    fn filtered<'a>(&'a self, date: Option<NaiveDate>, room: Option<&'a str>) -> impl Iterator<Item = &'a Reservation> + 'a {
        self.reservations
            .iter()
            .filter(move |r| date.map_or(true, |d| r.date == d))
            .filter(move |r| room.map_or(true, |name| r.room == name))
            .sorted_by(|a, b| (a.date, &a.room, a.start_hour).cmp(&(b.date, &b.room, b.start_hour)))
    }

    fn conflicts<'a>(&'a self, new: &'a NewReservation) -> impl Iterator<Item = &'a Reservation> + 'a {
        self.reservations
            .iter()
            .filter(move |r| r.room == new.room && r.date == new.date)
            .filter(move |r| r.start_hour < new.end_hour && new.start_hour < r.end_hour)
    }

    fn handle(&mut self, req: &Request) -> Response {
        let (path, query) = req.path.split_once('?').unwrap_or((req.path.as_str(), ""));
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        match (req.method, segments.as_slice()) {
            (Method::Get, ["rooms"]) => Response::new(200, json!(self.rooms)),
            (Method::Get, ["reservations"]) => self.list(query),
            (Method::Post, ["reservations"]) => self.create(req.body.as_ref()),
            (Method::Get, ["reservations", id]) => match id.parse::<u32>() {
                Ok(id) => match self.reservations.iter().find(|r| r.id == id) {
                    Some(r) => Response::new(200, json!(r)),
                    None => Response::error(404, format!("reservation {id} not found")),
                },
                Err(_) => Response::error(400, format!("'{id}' is not a valid id")),
            },
            (Method::Delete, ["reservations", id]) => {
                let before = self.reservations.len();
                self.reservations.retain(|r| r.id.to_string() != *id);
                if self.reservations.len() < before {
                    Response::new(204, Value::Null)
                } else {
                    Response::error(404, format!("reservation {id} not found"))
                }
            }
            (Method::Get, ["stats"]) => self.stats(),
            (_, ["rooms"] | ["reservations"] | ["reservations", _] | ["stats"]) => Response::error(405, "method not allowed"),
            _ => Response::error(404, format!("no route for {path}")),
        }
    }

    fn list(&self, query: &str) -> Response {
        let params = parse_query(query);
        let date = match params.get("date").map(|d| d.parse::<NaiveDate>()) {
            Some(Ok(d)) => Some(d),
            Some(Err(_)) => return Response::error(400, "date must be YYYY-MM-DD"),
            None => None,
        };
        let items: Vec<&Reservation> = self.filtered(date, params.get("room").copied()).collect();
        Response::new(200, json!({ "count": items.len(), "items": items }))
    }

    fn create(&mut self, body: Option<&Value>) -> Response {
        let Some(body) = body else {
            return Response::error(400, "missing JSON body");
        };
        let new: NewReservation = match serde_json::from_value(body.clone()) {
            Ok(n) => n,
            Err(e) => return Response::error(400, format!("invalid body: {e}")),
        };
        let mut problems = Vec::new();
        match self.rooms.get(&new.room) {
            None => problems.push(format!("unknown room '{}'", new.room)),
            Some(&cap) if new.party_size > cap => problems.push(format!("party of {} exceeds capacity {cap}", new.party_size)),
            _ => {}
        }
        if new.start_hour >= new.end_hour || new.end_hour > 22 || new.start_hour < 8 {
            problems.push(format!("hours {}-{} must be within 8-22 and start before end", new.start_hour, new.end_hour));
        }
        if new.guest.trim().is_empty() {
            problems.push("guest name is required".into());
        }
        if new.party_size == 0 {
            problems.push("party size must be at least 1".into());
        }
        if !problems.is_empty() {
            return Response::new(422, json!({ "error": "validation failed", "problems": problems }));
        }
        let clashing: Vec<u32> = self.conflicts(&new).map(|r| r.id).collect();
        if !clashing.is_empty() {
            return Response::new(409, json!({ "error": "time slot taken", "conflicts_with": clashing }));
        }
        let reservation = Reservation {
            id: self.next_id,
            guest: new.guest,
            room: new.room,
            date: new.date,
            start_hour: new.start_hour,
            end_hour: new.end_hour,
            party_size: new.party_size,
        };
        self.next_id += 1;
        let body = json!({ "location": format!("/reservations/{}", reservation.id), "reservation": reservation });
        self.reservations.push(reservation);
        Response::new(201, body)
    }

    fn stats(&self) -> Response {
        let per_day: Vec<Value> = self
            .reservations
            .iter()
            .sorted_by(|a, b| (a.date, &a.room).cmp(&(b.date, &b.room)))
            .group_by(|r| r.date)
            .into_iter()
            .map(|(date, day)| {
                let rooms: BTreeMap<String, u32> = day
                    .group_by(|r| r.room.clone())
                    .into_iter()
                    .map(|(room, rs)| (room, rs.map(|r| (r.end_hour - r.start_hour) as u32).sum()))
                    .collect();
                let hours: u32 = rooms.values().sum();
                json!({ "date": date, "booked_hours": hours, "rooms": rooms })
            })
            .collect();
        let (total_guests, total_bookings) =
            self.reservations.iter().fold((0u32, 0u32), |(g, n), r| (g + r.party_size as u32, n + 1));
        let busiest = self
            .reservations
            .iter()
            .counts_by(|r| r.room.clone())
            .into_iter()
            .sorted_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)))
            .next()
            .map(|(room, n)| json!({ "room": room, "bookings": n }));
        Response::new(200, json!({ "bookings": total_bookings, "guests": total_guests, "busiest_room": busiest, "per_day": per_day }))
    }
}

fn main() {
    let mut api = Api::new(&[("Aurora", 4), ("Borealis", 8), ("Cosmos", 12)]);
    let post = |body: Value| Request { method: Method::Post, path: "/reservations".into(), body: Some(body) };
    let get = |path: &str| Request { method: Method::Get, path: path.into(), body: None };
    let delete = |path: &str| Request { method: Method::Delete, path: path.into(), body: None };

    let requests = vec![
        get("/rooms"),
        post(json!({"guest": "Ana", "room": "Aurora", "date": "2024-06-10", "start_hour": 9, "end_hour": 11, "party_size": 3})),
        post(json!({"guest": "Ben", "room": "Aurora", "date": "2024-06-10", "start_hour": 10, "end_hour": 12, "party_size": 2})),
        post(json!({"guest": "Ben", "room": "Aurora", "date": "2024-06-10", "start_hour": 11, "end_hour": 12, "party_size": 2})),
        post(json!({"guest": "Cleo", "room": "Cosmos", "date": "2024-06-10", "start_hour": 13, "end_hour": 17, "party_size": 10})),
        post(json!({"guest": "Dan", "room": "Borealis", "date": "2024-06-11", "start_hour": 8, "end_hour": 10, "party_size": 9})),
        post(json!({"guest": "Dan", "room": "Borealis", "date": "2024-06-11", "start_hour": 8, "end_hour": 10, "party_size": 6})),
        post(json!({"guest": "", "room": "Atrium", "date": "2024-06-11", "start_hour": 18, "end_hour": 16, "party_size": 1})),
        post(json!({"guest": "Eve", "room": "Cosmos", "date": "June 12th"})),
        post(json!({"guest": "Fay", "room": "Aurora", "date": "2024-06-11", "start_hour": 14, "end_hour": 15, "party_size": 4})),
        get("/reservations?date=2024-06-10"),
        get("/reservations?room=Aurora"),
        get("/reservations/2"),
        get("/reservations/99"),
        get("/reservations/abc"),
        delete("/reservations/1"),
        delete("/reservations/1"),
        Request { method: Method::Delete, path: "/stats".into(), body: None },
        get("/invoices"),
        get("/stats"),
    ];

    let mut status_counts: BTreeMap<u16, usize> = BTreeMap::new();
    for req in &requests {
        let resp = api.handle(req);
        *status_counts.entry(resp.status).or_insert(0) += 1;
        println!("{:?} {} -> {}", req.method, req.path, resp.status);
        if resp.body != Value::Null {
            let text = serde_json::to_string_pretty(&resp.body).unwrap_or_default();
            for line in text.lines() {
                println!("    {line}");
            }
        }
    }
    println!("\nStatus codes: {}", status_counts.iter().map(|(s, n)| format!("{s}x{n}")).join(", "));
}
