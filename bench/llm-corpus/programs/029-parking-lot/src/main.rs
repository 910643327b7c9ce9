use chrono::{Duration, NaiveDateTime, NaiveDate};
use std::collections::HashMap;
use thiserror::Error;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Size {
    Small,
    Medium,
    Large,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VehicleKind {
    Motorcycle,
    Car,
    Truck,
}

impl VehicleKind {
    fn size(self) -> Size {
        match self {
            VehicleKind::Motorcycle => Size::Small,
            VehicleKind::Car => Size::Medium,
            VehicleKind::Truck => Size::Large,
        }
    }
}

#[derive(Debug, Clone)]
struct Vehicle {
    plate: String,
    kind: VehicleKind,
}

#[derive(Debug, Clone)]
struct Spot {
    id: usize,
    size: Size,
    occupant: Option<Uuid>,
}

#[derive(Debug, Clone)]
struct Ticket {
    id: Uuid,
    vehicle: Vehicle,
    spot_id: usize,
    entered: NaiveDateTime,
}

#[derive(Debug, Error)]
enum ParkingError {
    #[error("no free spot for {0:?} ({1})")]
    Full(VehicleKind, String),
    #[error("vehicle {0} is already parked")]
    AlreadyParked(String),
    #[error("unknown ticket {0}")]
    UnknownTicket(Uuid),
    #[error("exit time is before entry time")]
    BadTime,
}

struct ParkingLot {
    spots: Vec<Spot>,
    tickets: HashMap<Uuid, Ticket>,
    revenue_cents: i64,
}

/// Hourly rate (cents) by spot size, first 15 minutes free, daily cap of 10 hours.
fn fee_cents(size: Size, duration: Duration) -> i64 {
    let minutes = duration.num_minutes();
    if minutes <= 15 {
        return 0;
    }
    let rate = match size {
        Size::Small => 150,
        Size::Medium => 300,
        Size::Large => 600,
    };
    let days = minutes / (24 * 60);
    let rem_hours = ((minutes % (24 * 60)) + 59) / 60;
    days * rate * 10 + rem_hours.min(10) * rate
}

impl ParkingLot {
    fn new(small: usize, medium: usize, large: usize) -> Self {
        let mut spots = Vec::new();
        for (count, size) in [(small, Size::Small), (medium, Size::Medium), (large, Size::Large)] {
            for _ in 0..count {
                spots.push(Spot { id: spots.len() + 1, size, occupant: None });
            }
        }
        ParkingLot { spots, tickets: HashMap::new(), revenue_cents: 0 }
    }

    fn enter(&mut self, vehicle: Vehicle, at: NaiveDateTime) -> Result<Ticket, ParkingError> {
        if self.tickets.values().any(|t| t.vehicle.plate == vehicle.plate) {
            return Err(ParkingError::AlreadyParked(vehicle.plate));
        }
        let needed = vehicle.kind.size();
        // Smallest free spot that fits.
        let spot = self
            .spots
            .iter_mut()
            .filter(|s| s.occupant.is_none() && s.size >= needed)
            .min_by_key(|s| (s.size, s.id))
            .ok_or_else(|| ParkingError::Full(vehicle.kind, vehicle.plate.clone()))?;
        let ticket = Ticket { id: Uuid::new_v4(), vehicle, spot_id: spot.id, entered: at };
        spot.occupant = Some(ticket.id);
        self.tickets.insert(ticket.id, ticket.clone());
        Ok(ticket)
    }

    fn exit(&mut self, ticket_id: Uuid, at: NaiveDateTime) -> Result<(Ticket, Duration, i64), ParkingError> {
        let ticket = self.tickets.get(&ticket_id).ok_or(ParkingError::UnknownTicket(ticket_id))?;
        if at < ticket.entered {
            return Err(ParkingError::BadTime);
        }
        let ticket = self.tickets.remove(&ticket_id).unwrap();
        let spot = &mut self.spots[ticket.spot_id - 1];
        spot.occupant = None;
        let duration = at - ticket.entered;
        let fee = fee_cents(spot.size, duration);
        self.revenue_cents += fee;
        Ok((ticket, duration, fee))
    }

    fn occupancy(&self) -> String {
        let mut parts = Vec::new();
        for size in [Size::Small, Size::Medium, Size::Large] {
            let total = self.spots.iter().filter(|s| s.size == size).count();
            let used = self.spots.iter().filter(|s| s.size == size && s.occupant.is_some()).count();
            parts.push(format!("{:?} {}/{}", size, used, total));
        }
        parts.join(", ")
    }
}

fn main() {
    let mut lot = ParkingLot::new(2, 3, 1);
    let base = NaiveDate::from_ymd_opt(2024, 6, 1).unwrap().and_hms_opt(8, 0, 0).unwrap();
    let at = |mins: i64| base + Duration::minutes(mins);

    let arrivals = [
        (0, "MOTO-1", VehicleKind::Motorcycle),
        (5, "CAR-100", VehicleKind::Car),
        (12, "CAR-200", VehicleKind::Car),
        (20, "TRUCK-9", VehicleKind::Truck),
        (25, "CAR-300", VehicleKind::Car),
        (30, "CAR-400", VehicleKind::Car),
        (31, "TRUCK-7", VehicleKind::Truck),
        (35, "MOTO-2", VehicleKind::Motorcycle),
        (40, "MOTO-3", VehicleKind::Motorcycle),
        (41, "CAR-100", VehicleKind::Car),
    ];

    let mut tickets: HashMap<String, Uuid> = HashMap::new();
    for (m, plate, kind) in arrivals {
        let v = Vehicle { plate: plate.to_string(), kind };
        match lot.enter(v, at(m)) {
            Ok(t) => {
                println!("{} ENTER {:<8} {:<10?} -> spot {} (ticket {})", at(m).format("%H:%M"), plate, kind, t.spot_id, &t.id.to_string()[..8]);
                tickets.insert(plate.to_string(), t.id);
            }
            Err(e) => println!("{} ENTER {:<8} rejected: {}", at(m).format("%H:%M"), plate, e),
        }
    }
    println!("Occupancy: {}\n", lot.occupancy());

    let departures = [(10, "MOTO-1"), (95, "CAR-100"), (200, "TRUCK-9"), (610, "CAR-200"), (60 * 26, "CAR-300"), (700, "MOTO-2")];
    for (m, plate) in departures {
        let Some(&id) = tickets.get(plate) else {
            println!("{} no ticket for {}", at(m).format("%H:%M"), plate);
            continue;
        };
        match lot.exit(id, at(m)) {
            Ok((t, dur, fee)) => println!(
                "{} EXIT  {:<8} spot {} after {}h{:02}m, fee ${}.{:02}",
                at(m).format("%m-%d %H:%M"),
                t.vehicle.plate,
                t.spot_id,
                dur.num_hours(),
                dur.num_minutes() % 60,
                fee / 100,
                fee % 100
            ),
            Err(e) => println!("exit failed for {}: {}", plate, e),
        }
    }
    if let Err(e) = lot.exit(Uuid::new_v4(), at(800)) {
        println!("bogus ticket: {}", e);
    }
    println!("\nOccupancy: {}", lot.occupancy());
    println!("Total revenue: ${}.{:02}", lot.revenue_cents / 100, lot.revenue_cents % 100);
}
