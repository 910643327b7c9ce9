use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use std::env;

#[derive(Debug, Clone)]
enum Recurrence {
    Daily { every: u32 },
    Weekly { days: Vec<Weekday> },
    /// Monthly on a given day; months lacking that day use their last day.
    Monthly { day: u32 },
}

#[derive(Debug, Clone)]
struct Event {
    name: String,
    start: NaiveDateTime,
    recurrence: Recurrence,
    until: Option<NaiveDate>,
}

fn last_day_of_month(year: i32, month: u32) -> u32 {
    let (ny, nm) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1).unwrap().pred_opt().unwrap().day()
}

impl Event {
    /// Returns the occurrences strictly after `after`, at most `n` of them.
    fn next_occurrences(&self, after: NaiveDateTime, n: usize) -> Vec<NaiveDateTime> {
        let mut out = Vec::new();
        let time = self.start.time();
        let ok = |dt: NaiveDateTime| dt >= self.start && dt > after && self.until.map_or(true, |u| dt.date() <= u);
        let past_end = |dt: NaiveDateTime| self.until.map_or(false, |u| dt.date() > u);

        match &self.recurrence {
            Recurrence::Daily { every } => {
                let every = (*every).max(1) as i64;
                let mut k = 0i64;
                if after > self.start {
                    k = (after - self.start).num_days() / every;
                }
                while out.len() < n {
                    let dt = self.start + Duration::days(k * every);
                    if past_end(dt) {
                        break;
                    }
                    if ok(dt) {
                        out.push(dt);
                    }
                    k += 1;
                }
            }
            Recurrence::Weekly { days } => {
                if days.is_empty() {
                    return out;
                }
                let mut date = if after.date() > self.start.date() { after.date() } else { self.start.date() };
                while out.len() < n {
                    let dt = date.and_time(time);
                    if past_end(dt) {
                        break;
                    }
                    if days.contains(&date.weekday()) && ok(dt) {
                        out.push(dt);
                    }
                    date = date.succ_opt().unwrap();
                }
            }
            Recurrence::Monthly { day } => {
                let base = if after.date() > self.start.date() { after.date() } else { self.start.date() };
                let (mut y, mut m) = (base.year(), base.month());
                while out.len() < n {
                    let d = (*day).min(last_day_of_month(y, m));
                    let dt = NaiveDate::from_ymd_opt(y, m, d).unwrap().and_time(time);
                    if past_end(dt) {
                        break;
                    }
                    if ok(dt) {
                        out.push(dt);
                    }
                    if m == 12 {
                        y += 1;
                        m = 1;
                    } else {
                        m += 1;
                    }
                }
            }
        }
        out
    }
}

fn dt(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_time(NaiveTime::from_hms_opt(h, min, 0).unwrap())
}

fn describe(r: &Recurrence) -> String {
    match r {
        Recurrence::Daily { every: 1 } => "every day".into(),
        Recurrence::Daily { every } => format!("every {} days", every),
        Recurrence::Weekly { days } => format!(
            "weekly on {}",
            days.iter().map(|d| format!("{:?}", d)).collect::<Vec<_>>().join(", ")
        ),
        Recurrence::Monthly { day } => format!("monthly on day {}", day),
    }
}

fn main() {
    let args: Vec<String> = env::args().collect();
    let after = args
        .get(1)
        .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .map(|d| d.and_hms_opt(0, 0, 0).unwrap())
        .unwrap_or_else(|| dt(2024, 1, 15, 0, 0));
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(5);

    let events = vec![
        Event { name: "Stand-up".into(), start: dt(2024, 1, 1, 9, 30), recurrence: Recurrence::Daily { every: 1 }, until: None },
        Event { name: "Water plants".into(), start: dt(2024, 1, 2, 18, 0), recurrence: Recurrence::Daily { every: 3 }, until: None },
        Event {
            name: "Gym".into(),
            start: dt(2024, 1, 1, 7, 0),
            recurrence: Recurrence::Weekly { days: vec![Weekday::Mon, Weekday::Wed, Weekday::Fri] },
            until: None,
        },
        Event { name: "Pay rent".into(), start: dt(2023, 10, 31, 12, 0), recurrence: Recurrence::Monthly { day: 31 }, until: None },
        Event {
            name: "Project sync".into(),
            start: dt(2024, 1, 4, 15, 0),
            recurrence: Recurrence::Weekly { days: vec![Weekday::Thu] },
            until: Some(NaiveDate::from_ymd_opt(2024, 2, 1).unwrap()),
        },
    ];

    println!("Next {} occurrences after {}\n", n, after.format("%Y-%m-%d %H:%M"));
    let mut all: Vec<(NaiveDateTime, &str)> = Vec::new();
    for e in &events {
        let occ = e.next_occurrences(after, n);
        println!("{} ({}{})", e.name, describe(&e.recurrence),
            e.until.map(|u| format!(", until {}", u)).unwrap_or_default());
        if occ.is_empty() {
            println!("    (no more occurrences)");
        }
        for o in &occ {
            println!("    {}", o.format("%a %Y-%m-%d %H:%M"));
            all.push((*o, &e.name));
        }
    }

    all.sort();
    println!("\nMerged agenda (first {}):", n * 2);
    for (when, name) in all.iter().take(n * 2) {
        println!("  {}  {}", when.format("%a %d %b %H:%M"), name);
    }
}
