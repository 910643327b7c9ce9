use chrono::{Datelike, Duration, NaiveDate};
use std::collections::BTreeMap;
use std::fmt;
use thiserror::Error;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum RoomType {
    Single,
    Double,
    Suite,
}

impl fmt::Display for RoomType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            RoomType::Single => "Single",
            RoomType::Double => "Double",
            RoomType::Suite => "Suite",
        })
    }
}

#[derive(Debug, Clone)]
struct Room {
    number: u32,
    kind: RoomType,
    capacity: u32,
    nightly_rate: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Confirmed,
    Cancelled,
}

#[derive(Debug, Clone)]
struct Reservation {
    id: Uuid,
    room: u32,
    guest: String,
    party_size: u32,
    check_in: NaiveDate,
    check_out: NaiveDate,
    status: Status,
    total_price: u32,
}

impl Reservation {
    fn nights(&self) -> i64 {
        (self.check_out - self.check_in).num_days()
    }

    /// Stays are half-open ranges [check_in, check_out): a guest leaving on
    /// the 14th does not collide with one arriving on the 14th.
    fn overlaps(&self, check_in: NaiveDate, check_out: NaiveDate) -> bool {
        self.status == Status::Confirmed && self.check_in < check_out && check_in < self.check_out
    }

    fn short_id(&self) -> String {
        self.id.to_string()[..8].to_string()
    }
}

#[derive(Debug, Error)]
enum BookingError {
    #[error("check-out {check_out} must be after check-in {check_in}")]
    InvalidRange {
        check_in: NaiveDate,
        check_out: NaiveDate,
    },
    #[error("stays are limited to {max} nights (requested {requested})")]
    TooLong { max: i64, requested: i64 },
    #[error("room {0} does not exist")]
    UnknownRoom(u32),
    #[error("room {room} sleeps {capacity}, but the party has {requested} guests")]
    OverCapacity {
        room: u32,
        capacity: u32,
        requested: u32,
    },
    #[error("room {room} is already booked from {from} to {to} (reservation {id})")]
    Conflict {
        room: u32,
        from: NaiveDate,
        to: NaiveDate,
        id: Uuid,
    },
    #[error("no {kind} room for {guests} guest(s) is free from {from} to {to}")]
    NoAvailability {
        kind: RoomType,
        guests: u32,
        from: NaiveDate,
        to: NaiveDate,
    },
    #[error("reservation {0} not found")]
    NotFound(Uuid),
    #[error("reservation {0} is already cancelled")]
    AlreadyCancelled(Uuid),
}

struct Hotel {
    name: String,
    rooms: BTreeMap<u32, Room>,
    reservations: Vec<Reservation>,
    max_nights: i64,
}

impl Hotel {
    fn new(name: &str) -> Self {
        Hotel {
            name: name.to_string(),
            rooms: BTreeMap::new(),
            reservations: Vec::new(),
            max_nights: 30,
        }
    }

    fn add_room(&mut self, number: u32, kind: RoomType, capacity: u32, nightly_rate: u32) {
        self.rooms.insert(
            number,
            Room {
                number,
                kind,
                capacity,
                nightly_rate,
            },
        );
    }

    fn validate_range(&self, check_in: NaiveDate, check_out: NaiveDate) -> Result<(), BookingError> {
        if check_out <= check_in {
            return Err(BookingError::InvalidRange {
                check_in,
                check_out,
            });
        }
        let nights = (check_out - check_in).num_days();
        if nights > self.max_nights {
            return Err(BookingError::TooLong {
                max: self.max_nights,
                requested: nights,
            });
        }
        Ok(())
    }

    fn conflict(&self, room: u32, check_in: NaiveDate, check_out: NaiveDate) -> Option<&Reservation> {
        self.reservations
            .iter()
            .find(|r| r.room == room && r.overlaps(check_in, check_out))
    }

    fn book(
        &mut self,
        room_number: u32,
        guest: &str,
        party_size: u32,
        check_in: NaiveDate,
        check_out: NaiveDate,
    ) -> Result<Uuid, BookingError> {
        self.validate_range(check_in, check_out)?;
        let room = self
            .rooms
            .get(&room_number)
            .ok_or(BookingError::UnknownRoom(room_number))?;
        if party_size > room.capacity {
            return Err(BookingError::OverCapacity {
                room: room_number,
                capacity: room.capacity,
                requested: party_size,
            });
        }
        let rate = room.nightly_rate;
        if let Some(existing) = self.conflict(room_number, check_in, check_out) {
            return Err(BookingError::Conflict {
                room: room_number,
                from: existing.check_in,
                to: existing.check_out,
                id: existing.id,
            });
        }
        let nights = (check_out - check_in).num_days() as u32;
        let id = Uuid::new_v4();
        self.reservations.push(Reservation {
            id,
            room: room_number,
            guest: guest.to_string(),
            party_size,
            check_in,
            check_out,
            status: Status::Confirmed,
            total_price: nights * rate,
        });
        Ok(id)
    }

    /// Books the cheapest free room of the requested type.
    fn book_any(
        &mut self,
        kind: RoomType,
        guest: &str,
        party_size: u32,
        check_in: NaiveDate,
        check_out: NaiveDate,
    ) -> Result<(u32, Uuid), BookingError> {
        self.validate_range(check_in, check_out)?;
        let mut candidates: Vec<&Room> = self
            .available_rooms(check_in, check_out)
            .into_iter()
            .filter(|r| r.kind == kind && r.capacity >= party_size)
            .collect();
        candidates.sort_by_key(|r| r.nightly_rate);
        match candidates.first().map(|r| r.number) {
            Some(number) => self
                .book(number, guest, party_size, check_in, check_out)
                .map(|id| (number, id)),
            None => Err(BookingError::NoAvailability {
                kind,
                guests: party_size,
                from: check_in,
                to: check_out,
            }),
        }
    }

    fn available_rooms(&self, check_in: NaiveDate, check_out: NaiveDate) -> Vec<&Room> {
        self.rooms
            .values()
            .filter(|room| self.conflict(room.number, check_in, check_out).is_none())
            .collect()
    }

    /// Cancels a reservation and returns the refund according to the policy:
    /// full refund 7+ days ahead, 50% 1-6 days ahead, nothing on the day.
    fn cancel(&mut self, id: Uuid, today: NaiveDate) -> Result<u32, BookingError> {
        let reservation = self
            .reservations
            .iter_mut()
            .find(|r| r.id == id)
            .ok_or(BookingError::NotFound(id))?;
        if reservation.status == Status::Cancelled {
            return Err(BookingError::AlreadyCancelled(id));
        }
        reservation.status = Status::Cancelled;
        let days_ahead = (reservation.check_in - today).num_days();
        let refund = if days_ahead >= 7 {
            reservation.total_price
        } else if days_ahead >= 1 {
            reservation.total_price / 2
        } else {
            0
        };
        Ok(refund)
    }

    fn occupied_on(&self, date: NaiveDate) -> usize {
        self.reservations
            .iter()
            .filter(|r| r.status == Status::Confirmed && r.check_in <= date && date < r.check_out)
            .count()
    }

    fn revenue(&self) -> u32 {
        self.reservations
            .iter()
            .filter(|r| r.status == Status::Confirmed)
            .map(|r| r.total_price)
            .sum()
    }

    fn print_calendar(&self, from: NaiveDate, days: i64) {
        print!("{:<11}", "Room");
        for i in 0..days {
            print!("{:>3}", (from + Duration::days(i)).day());
        }
        println!();
        for room in self.rooms.values() {
            print!("{:<4} {:<6}", room.number, room.kind);
            for i in 0..days {
                let date = from + Duration::days(i);
                let mark = self
                    .reservations
                    .iter()
                    .find(|r| {
                        r.room == room.number
                            && r.status == Status::Confirmed
                            && r.check_in <= date
                            && date < r.check_out
                    })
                    .map(|r| r.guest.chars().next().unwrap_or('#'))
                    .unwrap_or('.');
                print!("{:>3}", mark);
            }
            println!();
        }
    }
}

fn show(label: &str, result: Result<Uuid, BookingError>) -> Option<Uuid> {
    match result {
        Ok(id) => {
            println!("  OK    {:<44} -> reservation {}", label, &id.to_string()[..8]);
            Some(id)
        }
        Err(e) => {
            println!("  FAIL  {:<44} -> {}", label, e);
            None
        }
    }
}

fn main() {
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("valid date");
    let today = d("2024-06-01");

    let mut hotel = Hotel::new("Harbour View Hotel");
    hotel.add_room(101, RoomType::Single, 1, 89);
    hotel.add_room(102, RoomType::Single, 1, 95);
    hotel.add_room(201, RoomType::Double, 2, 140);
    hotel.add_room(202, RoomType::Double, 3, 155);
    hotel.add_room(301, RoomType::Suite, 4, 320);

    println!("{} - bookings made on {}", hotel.name, today);
    let ana = show(
        "Ana, room 201, Jun 10-14",
        hotel.book(201, "Ana Garcia", 2, d("2024-06-10"), d("2024-06-14")),
    );
    show(
        "Ben, room 201, Jun 12-15 (overlaps Ana)",
        hotel.book(201, "Ben Okafor", 2, d("2024-06-12"), d("2024-06-15")),
    );
    show(
        "Ben, room 201, Jun 14-16 (back-to-back)",
        hotel.book(201, "Ben Okafor", 2, d("2024-06-14"), d("2024-06-16")),
    );
    show(
        "Chen, room 101 for two guests",
        hotel.book(101, "Chen Wei", 2, d("2024-06-03"), d("2024-06-05")),
    );
    show(
        "Dana, room 301, zero nights",
        hotel.book(301, "Dana Smith", 2, d("2024-06-05"), d("2024-06-05")),
    );
    show(
        "Dana, room 999",
        hotel.book(999, "Dana Smith", 2, d("2024-06-05"), d("2024-06-07")),
    );
    show(
        "Karl, room 102 for 40 nights",
        hotel.book(102, "Karl Berg", 1, d("2024-06-02"), d("2024-07-12")),
    );

    let mut eva = None;
    for (guest, kind, party, from, to) in [
        ("Hana Ito", RoomType::Double, 3, "2024-06-12", "2024-06-15"),
        ("Eva Novak", RoomType::Suite, 3, "2024-06-03", "2024-06-08"),
        ("Finn Walsh", RoomType::Suite, 2, "2024-06-06", "2024-06-09"),
    ] {
        match hotel.book_any(kind, guest, party, d(from), d(to)) {
            Ok((room, id)) => {
                println!("  OK    any {:<6} for {:<33} -> room {} ({})", kind, guest, room, &id.to_string()[..8]);
                if guest.starts_with("Eva") {
                    eva = Some(id);
                }
            }
            Err(e) => println!("  FAIL  any {:<6} for {:<33} -> {}", kind, guest, e),
        }
    }

    println!("\nCancellations:");
    if let Some(id) = ana {
        match hotel.cancel(id, today) {
            Ok(refund) => println!("  Ana cancelled, refund ${}", refund),
            Err(e) => println!("  {}", e),
        }
        if let Err(e) = hotel.cancel(id, today) {
            println!("  second cancel: {}", e);
        }
    }
    if let Some(id) = eva {
        match hotel.cancel(id, today) {
            Ok(refund) => println!("  Eva cancelled 2 days ahead, refund ${}", refund),
            Err(e) => println!("  {}", e),
        }
    }
    if let Err(e) = hotel.cancel(Uuid::new_v4(), today) {
        println!("  unknown id: {}", e);
    }
    show(
        "Gus, room 201, Jun 11-13 (after Ana cancelled)",
        hotel.book(201, "Gus Moreau", 2, d("2024-06-11"), d("2024-06-13")),
    );

    println!("\nReservations:");
    for r in &hotel.reservations {
        println!(
            "  {} room {} {:<11} x{} {} -> {} ({} nights) ${:<5} {:?}",
            r.short_id(),
            r.room,
            r.guest,
            r.party_size,
            r.check_in,
            r.check_out,
            r.nights(),
            r.total_price,
            r.status
        );
    }

    println!("\nOccupancy calendar (first letter of guest name):");
    hotel.print_calendar(today, 16);

    let probe = d("2024-06-12");
    println!(
        "\nOccupancy on {}: {}/{} rooms; free rooms Jun 12-13: {:?}",
        probe,
        hotel.occupied_on(probe),
        hotel.rooms.len(),
        hotel
            .available_rooms(probe, d("2024-06-13"))
            .iter()
            .map(|r| r.number)
            .collect::<Vec<_>>()
    );
    println!("Confirmed revenue: ${}", hotel.revenue());
}
