use std::cell::RefCell;
use std::rc::{Rc, Weak};

use chrono::{Datelike, NaiveDate, Weekday};

#[derive(Debug, Clone)]
enum PricingRule {
    WeekendSurcharge { percent: i64 },
    LongRentalDiscount { min_days: i64, percent: i64 },
}

#[derive(Debug)]
struct Fleet {
    name: String,
    rules: Vec<PricingRule>,
    late_flat_fee: i64,
    categories: Vec<Rc<RefCell<Category>>>,
    next_reservation: u32,
}

#[derive(Debug)]
struct Category {
    name: String,
    daily_rate: i64,
    late_percent: i64,
    cars: Vec<Rc<RefCell<Car>>>,
    fleet: Weak<RefCell<Fleet>>,
}

#[derive(Debug, Clone)]
struct Reservation {
    id: u32,
    customer: String,
    start: NaiveDate,
    end: NaiveDate, // exclusive: the car is due back on this date
    returned: Option<NaiveDate>,
}

#[derive(Debug)]
struct Car {
    plate: String,
    model: String,
    reservations: Vec<Reservation>,
    category: Weak<RefCell<Category>>,
}

impl Car {
    fn is_free(&self, start: NaiveDate, end: NaiveDate) -> bool {
        self.reservations.iter().all(|r| !(r.start < end && start < r.end))
    }

    fn describe(&self) -> String {
        match self.category.upgrade() {
            Some(cat) => {
                let cat = cat.borrow();
                let fleet_name = cat.fleet.upgrade().map(|f| f.borrow().name.clone()).unwrap_or_default();
                format!("{} {} ({} class, {})", self.plate, self.model, cat.name, fleet_name)
            }
            None => format!("{} {} (unassigned)", self.plate, self.model),
        }
    }
}

#[derive(Debug, Default)]
struct Invoice {
    days: i64,
    base: i64,
    weekend_surcharge: i64,
    discount: i64,
    late_days: i64,
    late_fee: i64,
}

impl Invoice {
    fn total(&self) -> i64 {
        self.base + self.weekend_surcharge - self.discount + self.late_fee
    }
}

fn money(cents: i64) -> String {
    format!("${}.{:02}", cents / 100, cents % 100)
}

fn new_fleet(name: &str, rules: Vec<PricingRule>, late_flat_fee: i64) -> Rc<RefCell<Fleet>> {
    Rc::new(RefCell::new(Fleet { name: name.into(), rules, late_flat_fee, categories: Vec::new(), next_reservation: 1 }))
}

fn add_category(fleet: &Rc<RefCell<Fleet>>, name: &str, daily_rate: i64, late_percent: i64) -> Rc<RefCell<Category>> {
    let cat = Rc::new(RefCell::new(Category {
        name: name.into(),
        daily_rate,
        late_percent,
        cars: Vec::new(),
        fleet: Rc::downgrade(fleet),
    }));
    fleet.borrow_mut().categories.push(Rc::clone(&cat));
    cat
}

fn add_car(category: &Rc<RefCell<Category>>, plate: &str, model: &str) {
    let car = Rc::new(RefCell::new(Car {
        plate: plate.into(),
        model: model.into(),
        reservations: Vec::new(),
        category: Rc::downgrade(category),
    }));
    category.borrow_mut().cars.push(car);
}

/// Walks car -> category -> fleet through the Weak parent links to price a rental.
fn price(car: &Rc<RefCell<Car>>, start: NaiveDate, end: NaiveDate, returned: Option<NaiveDate>) -> Result<Invoice, String> {
    let category_rc = car.borrow().category.upgrade().ok_or("car is not in a category")?;
    let category = category_rc.borrow();
    let fleet_rc = category.fleet.upgrade().ok_or("category is not in a fleet")?;
    let fleet = fleet_rc.borrow();

    let days: Vec<NaiveDate> = start.iter_days().take_while(|d| *d < end).collect();
    let mut inv = Invoice { days: days.len() as i64, base: days.len() as i64 * category.daily_rate, ..Invoice::default() };
    for rule in &fleet.rules {
        match rule {
            PricingRule::WeekendSurcharge { percent } => {
                let weekend = days.iter().filter(|d| matches!(d.weekday(), Weekday::Sat | Weekday::Sun)).count() as i64;
                inv.weekend_surcharge += weekend * category.daily_rate * percent / 100;
            }
            PricingRule::LongRentalDiscount { min_days, percent } => {
                if inv.days >= *min_days {
                    inv.discount += (inv.base + inv.weekend_surcharge) * percent / 100;
                }
            }
        }
    }
    if let Some(back) = returned {
        inv.late_days = (back - end).num_days().max(0);
        if inv.late_days > 0 {
            inv.late_fee = inv.late_days * category.daily_rate * category.late_percent / 100 + fleet.late_flat_fee;
        }
    }
    Ok(inv)
}

fn reserve(fleet: &Rc<RefCell<Fleet>>, category: &str, customer: &str, start: NaiveDate, end: NaiveDate) -> Result<(String, u32, Invoice), String> {
    if end <= start {
        return Err(format!("invalid range {start}..{end}"));
    }
    let cat = fleet
        .borrow()
        .categories
        .iter()
        .find(|c| c.borrow().name == category)
        .cloned()
        .ok_or_else(|| format!("no category '{category}'"))?;
    let car = cat
        .borrow()
        .cars
        .iter()
        .find(|car| car.borrow().is_free(start, end))
        .cloned()
        .ok_or_else(|| format!("no {category} car free {start}..{end}"))?;
    let quote = price(&car, start, end, None)?;
    let id = {
        let mut f = fleet.borrow_mut();
        f.next_reservation += 1;
        f.next_reservation - 1
    };
    let plate = car.borrow().plate.clone();
    car.borrow_mut().reservations.push(Reservation { id, customer: customer.into(), start, end, returned: None });
    Ok((plate, id, quote))
}

fn return_car(fleet: &Rc<RefCell<Fleet>>, id: u32, on: NaiveDate) -> Result<(String, Invoice), String> {
    let cars: Vec<Rc<RefCell<Car>>> = fleet.borrow().categories.iter().flat_map(|c| c.borrow().cars.clone()).collect();
    for car in cars {
        let found = car.borrow().reservations.iter().find(|r| r.id == id).cloned();
        if let Some(r) = found {
            if r.returned.is_some() {
                return Err(format!("reservation {id} already returned"));
            }
            let invoice = price(&car, r.start, r.end, Some(on))?;
            if let Some(res) = car.borrow_mut().reservations.iter_mut().find(|x| x.id == id) {
                res.returned = Some(on);
            }
            return Ok((r.customer, invoice));
        }
    }
    Err(format!("unknown reservation {id}"))
}

fn print_calendar(fleet: &Rc<RefCell<Fleet>>, from: NaiveDate, days: usize) {
    let dates: Vec<NaiveDate> = from.iter_days().take(days).collect();
    let header: String = dates.iter().map(|d| d.format("%a").to_string().chars().next().unwrap_or('?')).collect();
    println!("\n{:<10} {}", "car", header);
    for cat in &fleet.borrow().categories {
        for car in &cat.borrow().cars {
            let car = car.borrow();
            let row: String = dates
                .iter()
                .map(|d| if car.reservations.iter().any(|r| r.start <= *d && *d < r.end) { '#' } else { '.' })
                .collect();
            println!("{:<10} {}  {}", car.plate, row, car.describe());
        }
    }
}

fn main() {
    let d = |m: u32, day: u32| NaiveDate::from_ymd_opt(2024, m, day).expect("valid date");
    let fleet = new_fleet(
        "Sunny Rentals",
        vec![PricingRule::WeekendSurcharge { percent: 15 }, PricingRule::LongRentalDiscount { min_days: 7, percent: 10 }],
        2500,
    );
    let economy = add_category(&fleet, "Economy", 3900, 150);
    let suv = add_category(&fleet, "SUV", 7900, 150);
    let luxury = add_category(&fleet, "Luxury", 14900, 200);
    add_car(&economy, "ECO-101", "Toyota Yaris");
    add_car(&economy, "ECO-102", "VW Polo");
    add_car(&suv, "SUV-201", "Kia Sportage");
    add_car(&suv, "SUV-202", "Ford Kuga");
    add_car(&luxury, "LUX-301", "BMW 5 Series");

    let requests = [
        ("Luxury", "Alice", d(7, 1), d(7, 4)),
        ("Luxury", "Bob", d(7, 3), d(7, 6)),
        ("Luxury", "Bob", d(7, 4), d(7, 6)),
        ("SUV", "Carla", d(7, 2), d(7, 12)),
        ("SUV", "Dev", d(7, 5), d(7, 8)),
        ("SUV", "Erin", d(7, 6), d(7, 7)),
        ("Economy", "Femi", d(7, 5), d(7, 8)),
        ("Economy", "Gus", d(7, 8), d(7, 9)),
        ("Van", "Hal", d(7, 1), d(7, 2)),
    ];

    let mut booked = Vec::new();
    println!("Reservations:");
    for (category, customer, start, end) in requests {
        match reserve(&fleet, category, customer, start, end) {
            Ok((plate, id, q)) => {
                println!(
                    "  #{id} {customer:<6} {plate} {start}..{end}: {} days, quote {} (surcharge {}, discount {})",
                    q.days,
                    money(q.base + q.weekend_surcharge - q.discount),
                    money(q.weekend_surcharge),
                    money(q.discount)
                );
                booked.push((id, end));
            }
            Err(e) => println!("  {customer:<6} rejected: {e}"),
        }
    }

    print_calendar(&fleet, d(7, 1), 14);

    println!("\nReturns:");
    let late_by = [0i64, 2, 0, -1, 1, 0];
    for ((id, due), delta) in booked.iter().zip(late_by.iter().cycle()) {
        let on = *due + chrono::Duration::days(*delta);
        match return_car(&fleet, *id, on) {
            Ok((customer, inv)) => println!(
                "  #{id} {customer:<6} returned {on} (due {due}): base {} + weekend {} - discount {} + late {} ({} day(s)) = {}",
                money(inv.base),
                money(inv.weekend_surcharge),
                money(inv.discount),
                money(inv.late_fee),
                inv.late_days,
                money(inv.total())
            ),
            Err(e) => println!("  #{id}: {e}"),
        }
    }
    if let Err(e) = return_car(&fleet, 1, d(7, 4)) {
        println!("  second return attempt: {e}");
    }

    println!(
        "\nReference counts: fleet strong={} weak={}, SUV category strong={} weak={}",
        Rc::strong_count(&fleet),
        Rc::weak_count(&fleet),
        Rc::strong_count(&suv),
        Rc::weak_count(&suv)
    );
}
