use std::collections::BTreeMap;

use chrono::{DateTime, Duration, FixedOffset, NaiveDateTime, TimeZone, Timelike, Utc};

#[derive(Debug, Clone)]
struct Appointment {
    id: u32,
    title: String,
    attendee: String,
    starts_at: DateTime<FixedOffset>,
    attendee_tz: FixedOffset,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Lead {
    DayBefore,
    HourBefore,
}

impl Lead {
    fn duration(self) -> Duration {
        match self {
            Lead::DayBefore => Duration::hours(24),
            Lead::HourBefore => Duration::hours(1),
        }
    }
    fn label(self) -> &'static str {
        match self {
            Lead::DayBefore => "24h",
            Lead::HourBefore => "1h",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Status {
    Scheduled,
    SkippedPast,
    Sent,
}

#[derive(Debug, Clone)]
struct Reminder {
    appointment: u32,
    lead: Lead,
    due: DateTime<Utc>,
    status: Status,
}

fn parse_offset(s: &str) -> Result<FixedOffset, String> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("utc") || s == "Z" {
        return FixedOffset::east_opt(0).ok_or_else(|| "bad offset".to_string());
    }
    let (sign, rest) = match s.chars().next() {
        Some('+') => (1, &s[1..]),
        Some('-') => (-1, &s[1..]),
        _ => return Err(format!("offset '{s}' must start with + or -")),
    };
    let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
    let hours: i32 = h.parse().map_err(|_| format!("bad hours in offset '{s}'"))?;
    let minutes: i32 = m.parse().map_err(|_| format!("bad minutes in offset '{s}'"))?;
    if hours > 14 || minutes >= 60 {
        return Err(format!("offset '{s}' out of range"));
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60)).ok_or_else(|| format!("offset '{s}' out of range"))
}

fn format_offset(o: &FixedOffset) -> String {
    let secs = o.local_minus_utc();
    let sign = if secs < 0 { '-' } else { '+' };
    format!("UTC{sign}{:02}:{:02}", secs.abs() / 3600, (secs.abs() % 3600) / 60)
}

struct ReminderScheduler {
    now: DateTime<Utc>,
    appointments: Vec<Appointment>,
    reminders: Vec<Reminder>,
    // Statistics, recomputed by `refresh_stats` from the reminders above.
    total: usize,
    scheduled: usize,
    skipped: usize,
    sent: usize,
    next_due: Option<DateTime<Utc>>,
    per_attendee: BTreeMap<String, usize>,
    per_offset: BTreeMap<i32, usize>,
    busiest_utc_hour: Option<(u32, usize)>,
}

impl ReminderScheduler {
    fn new(now: DateTime<Utc>) -> Self {
        ReminderScheduler {
            now,
            appointments: Vec::new(),
            reminders: Vec::new(),
            total: 0,
            scheduled: 0,
            skipped: 0,
            sent: 0,
            next_due: None,
            per_attendee: BTreeMap::new(),
            per_offset: BTreeMap::new(),
            busiest_utc_hour: None,
        }
    }

    fn add(&mut self, title: &str, attendee: &str, local: &str, venue_offset: &str, attendee_offset: &str) -> Result<u32, String> {
        let venue = parse_offset(venue_offset)?;
        let attendee_tz = parse_offset(attendee_offset)?;
        let naive = NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").map_err(|e| format!("bad time '{local}': {e}"))?;
        let starts_at = venue
            .from_local_datetime(&naive)
            .single()
            .ok_or_else(|| format!("ambiguous local time '{local}'"))?;
        let id = self.appointments.len() as u32 + 1;
        for lead in [Lead::DayBefore, Lead::HourBefore] {
            let due = starts_at.with_timezone(&Utc) - lead.duration();
            let status = if due <= self.now { Status::SkippedPast } else { Status::Scheduled };
            self.reminders.push(Reminder { appointment: id, lead, due, status });
        }
        self.appointments.push(Appointment { id, title: title.into(), attendee: attendee.into(), starts_at, attendee_tz });
        self.refresh_stats();
        Ok(id)
    }

    fn appointment(&self, id: u32) -> Option<&Appointment> {
        self.appointments.iter().find(|a| a.id == id)
    }

    fn refresh_stats(&mut self) {
        self.total = self.reminders.len();
        self.scheduled = 0;
        self.skipped = 0;
        self.sent = 0;
        self.next_due = None;
        self.per_attendee.clear();
        self.per_offset.clear();
        let mut hours: BTreeMap<u32, usize> = BTreeMap::new();
        for r in &self.reminders {
            match r.status {
                Status::Scheduled => {
                    self.scheduled += 1;
                    self.next_due = Some(self.next_due.map_or(r.due, |d| d.min(r.due)));
                    *hours.entry(r.due.hour()).or_insert(0) += 1;
                    if let Some(a) = self.appointments.iter().find(|a| a.id == r.appointment) {
                        *self.per_attendee.entry(a.attendee.clone()).or_insert(0) += 1;
                        *self.per_offset.entry(a.attendee_tz.local_minus_utc()).or_insert(0) += 1;
                    }
                }
                Status::SkippedPast => self.skipped += 1,
                Status::Sent => self.sent += 1,
            }
        }
        self.busiest_utc_hour = hours.into_iter().max_by_key(|(h, n)| (*n, std::cmp::Reverse(*h)));
    }

    /// Advances the clock and "sends" every reminder that became due.
    fn advance_to(&mut self, now: DateTime<Utc>) -> Vec<Reminder> {
        self.now = now;
        let mut fired = Vec::new();
        for r in self.reminders.iter_mut() {
            if r.status == Status::Scheduled && r.due <= now {
                r.status = Status::Sent;
                fired.push(r.clone());
            }
        }
        fired.sort_by_key(|r| r.due);
        self.refresh_stats();
        fired
    }

    fn print_schedule(&self) {
        let mut upcoming: Vec<&Reminder> = self.reminders.iter().filter(|r| r.status == Status::Scheduled).collect();
        upcoming.sort_by_key(|r| (r.due, r.lead));
        println!("{:<18} {:<4} {:<24} {:<10} {:<24} {}", "due (UTC)", "lead", "appointment", "attendee", "due (attendee local)", "starts (venue local)");
        for r in upcoming {
            let Some(a) = self.appointment(r.appointment) else { continue };
            let local = r.due.with_timezone(&a.attendee_tz);
            println!(
                "{:<18} {:<4} {:<24} {:<10} {:<24} {}",
                r.due.format("%a %d %H:%M"),
                r.lead.label(),
                a.title,
                a.attendee,
                format!("{} {}", local.format("%a %d %H:%M"), format_offset(&a.attendee_tz)),
                a.starts_at.format("%a %d %H:%M %:z")
            );
        }
    }

    fn print_stats(&self) {
        println!(
            "stats at {}: {} reminders | {} scheduled | {} sent | {} skipped (already past)",
            self.now.format("%Y-%m-%d %H:%M UTC"),
            self.total,
            self.scheduled,
            self.sent,
            self.skipped
        );
        if let Some(next) = self.next_due {
            let wait = next - self.now;
            println!("  next reminder in {}h{:02}m at {}", wait.num_hours(), wait.num_minutes() % 60, next.format("%H:%M UTC"));
        }
        if let Some((hour, n)) = self.busiest_utc_hour {
            println!("  busiest UTC hour: {hour:02}:00 with {n} reminder(s)");
        }
        let attendees: Vec<String> = self.per_attendee.iter().map(|(a, n)| format!("{a}={n}")).collect();
        println!("  pending per attendee: {}", attendees.join(", "));
        let offsets: Vec<String> = self
            .per_offset
            .iter()
            .map(|(o, n)| format!("{}={n}", format_offset(&FixedOffset::east_opt(*o).unwrap_or(FixedOffset::east_opt(0).unwrap()))))
            .collect();
        println!("  pending per attendee offset: {}", offsets.join(", "));
    }
}

fn main() {
    let now = Utc.with_ymd_and_hms(2024, 3, 9, 12, 0, 0).unwrap();
    let mut s = ReminderScheduler::new(now);

    let appointments = [
        ("Dentist", "maria", "2024-03-11 09:30", "-05:00", "-05:00"),
        ("Quarterly review", "tom", "2024-03-10 10:00", "+01:00", "+00:00"),
        ("Visa interview", "priya", "2024-03-10 08:15", "+05:30", "+05:30"),
        ("Team sync", "liam", "2024-03-09 18:00", "+11:00", "+11:00"),
        ("Trek briefing", "ana", "2024-03-12 07:00", "+05:45", "+01:00"),
        ("Board meeting", "tom", "2024-03-09 11:00", "+00:00", "+00:00"),
        ("Late call", "maria", "2024-03-09 22:30", "-05:00", "-05:00"),
        ("Broken entry", "nobody", "2024-03-12 10:00", "CET", "+01:00"),
    ];
    for (title, who, at, venue, attendee) in appointments {
        if let Err(e) = s.add(title, who, at, venue, attendee) {
            println!("could not add '{title}': {e}");
        }
    }

    println!("\nUpcoming reminders as of {}:\n", now.format("%Y-%m-%d %H:%M UTC"));
    s.print_schedule();
    println!();
    s.print_stats();

    for hours in [6, 12, 24, 48, 72] {
        let at = now + Duration::hours(hours);
        let fired = s.advance_to(at);
        println!("\n-- clock advanced to {} --", at.format("%a %d %H:%M UTC"));
        for r in &fired {
            if let Some(a) = s.appointment(r.appointment) {
                let local = a.starts_at.with_timezone(&a.attendee_tz);
                println!(
                    "  sent {} reminder to {}: '{}' starts {} their time",
                    r.lead.label(),
                    a.attendee,
                    a.title,
                    local.format("%a %H:%M")
                );
            }
        }
        if fired.is_empty() {
            println!("  nothing due");
        }
        s.print_stats();
    }
}
