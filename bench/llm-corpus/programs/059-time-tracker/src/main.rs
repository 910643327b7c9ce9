use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

#[derive(Debug)]
enum TrackerError {
    AlreadyRunning { project: String, since: NaiveDateTime },
    NothingRunning,
    EndBeforeStart { project: String, start: NaiveDateTime, end: NaiveDateTime },
}

impl fmt::Display for TrackerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrackerError::AlreadyRunning { project, since } => {
                write!(f, "`{}` is already running since {}", project, since)
            }
            TrackerError::NothingRunning => write!(f, "no session is running"),
            TrackerError::EndBeforeStart {
                project,
                start,
                end,
            } => write!(
                f,
                "cannot stop `{}` at {}: it started at {}",
                project, end, start
            ),
        }
    }
}

impl std::error::Error for TrackerError {}

#[derive(Debug, Clone)]
struct Session {
    project: String,
    start: NaiveDateTime,
    end: NaiveDateTime,
}

impl Session {
    fn duration(&self) -> Duration {
        self.end - self.start
    }
}

/// Only one project is tracked at a time; starting another one stops the current.
#[derive(Default)]
struct Tracker {
    running: Option<(String, NaiveDateTime)>,
    sessions: Vec<Session>,
}

impl Tracker {
    fn start(&mut self, project: &str, at: NaiveDateTime) -> Result<Option<Session>, TrackerError> {
        if let Some((current, since)) = &self.running {
            if current == project {
                return Err(TrackerError::AlreadyRunning {
                    project: project.to_string(),
                    since: *since,
                });
            }
        }
        let switched = match self.running.clone() {
            Some((current, since)) => Some(self.close(&current, since, at)?),
            None => None,
        };
        self.running = Some((project.to_string(), at));
        Ok(switched)
    }

    fn stop(&mut self, at: NaiveDateTime) -> Result<Session, TrackerError> {
        let (project, since) = self.running.clone().ok_or(TrackerError::NothingRunning)?;
        let session = self.close(&project, since, at)?;
        self.running = None;
        Ok(session)
    }

    fn close(&mut self, project: &str, start: NaiveDateTime, end: NaiveDateTime) -> Result<Session, TrackerError> {
        if end <= start {
            return Err(TrackerError::EndBeforeStart {
                project: project.to_string(),
                start,
                end,
            });
        }
        let session = Session {
            project: project.to_string(),
            start,
            end,
        };
        self.sessions.push(session.clone());
        Ok(session)
    }

    /// Totals per day and project; sessions crossing midnight are split.
    fn daily_totals(&self) -> BTreeMap<NaiveDate, BTreeMap<String, Duration>> {
        let mut totals: BTreeMap<NaiveDate, BTreeMap<String, Duration>> = BTreeMap::new();
        for session in &self.sessions {
            for (day, duration) in split_by_day(session.start, session.end) {
                let entry = totals
                    .entry(day)
                    .or_default()
                    .entry(session.project.clone())
                    .or_insert_with(Duration::zero);
                *entry = *entry + duration;
            }
        }
        totals
    }

    fn weekly_summary(&self, any_day: NaiveDate) {
        let monday = any_day - Duration::days(any_day.weekday().num_days_from_monday() as i64);
        let days: Vec<NaiveDate> = (0..7).map(|i| monday + Duration::days(i)).collect();
        let totals = self.daily_totals();
        let projects: BTreeSet<&String> = days
            .iter()
            .filter_map(|d| totals.get(d))
            .flat_map(|m| m.keys())
            .collect();

        println!(
            "Week {} ({} - {})",
            monday.iso_week().week(),
            monday,
            days[6]
        );
        print!("{:<16}", "project");
        for d in &days {
            print!("{:>9}", d.format("%a %d").to_string());
        }
        println!("{:>10}", "total");

        let mut day_totals = vec![Duration::zero(); 7];
        for project in &projects {
            print!("{:<16}", project);
            let mut sum = Duration::zero();
            for (i, d) in days.iter().enumerate() {
                let spent = totals
                    .get(d)
                    .and_then(|m| m.get(*project))
                    .copied()
                    .unwrap_or_else(Duration::zero);
                sum = sum + spent;
                day_totals[i] = day_totals[i] + spent;
                print!("{:>9}", fmt_duration(spent));
            }
            println!("{:>10}", fmt_duration(sum));
        }
        print!("{:<16}", "TOTAL");
        let mut grand = Duration::zero();
        for t in &day_totals {
            grand = grand + *t;
            print!("{:>9}", fmt_duration(*t));
        }
        println!("{:>10}\n", fmt_duration(grand));
    }
}

fn split_by_day(start: NaiveDateTime, end: NaiveDateTime) -> Vec<(NaiveDate, Duration)> {
    let mut pieces = Vec::new();
    let mut cursor = start;
    while cursor < end {
        let next_midnight = (cursor.date() + Duration::days(1))
            .and_hms_opt(0, 0, 0)
            .expect("midnight exists");
        let piece_end = if end < next_midnight { end } else { next_midnight };
        pieces.push((cursor.date(), piece_end - cursor));
        cursor = piece_end;
    }
    pieces
}

fn fmt_duration(d: Duration) -> String {
    let minutes = d.num_minutes();
    if minutes == 0 {
        "-".to_string()
    } else {
        format!("{}h{:02}m", minutes / 60, minutes % 60)
    }
}

fn dt(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("valid timestamp")
}

enum Action {
    Start(&'static str),
    Stop,
}

fn main() {
    let script = vec![
        ("2024-03-04 09:00", Action::Start("website")),
        ("2024-03-04 12:15", Action::Start("mobile-app")),
        ("2024-03-04 13:00", Action::Stop),
        ("2024-03-04 14:00", Action::Start("website")),
        ("2024-03-04 17:30", Action::Stop),
        ("2024-03-05 08:45", Action::Start("internal-tools")),
        ("2024-03-05 09:00", Action::Start("internal-tools")),
        ("2024-03-05 11:45", Action::Start("website")),
        ("2024-03-05 16:10", Action::Stop),
        ("2024-03-05 16:20", Action::Stop),
        ("2024-03-06 10:00", Action::Start("mobile-app")),
        ("2024-03-06 15:30", Action::Stop),
        ("2024-03-07 21:30", Action::Start("mobile-app")),
        ("2024-03-08 01:15", Action::Stop),
        ("2024-03-08 09:30", Action::Start("website")),
        ("2024-03-08 12:00", Action::Start("internal-tools")),
        ("2024-03-08 16:45", Action::Stop),
        ("2024-03-09 10:00", Action::Start("website")),
        ("2024-03-09 09:00", Action::Stop),
        ("2024-03-09 12:30", Action::Stop),
        ("2024-03-11 09:00", Action::Start("website")),
        ("2024-03-11 10:30", Action::Stop),
    ];

    let mut tracker = Tracker::default();
    println!("Event log:");
    for (when, action) in script {
        let at = dt(when);
        match action {
            Action::Start(project) => match tracker.start(project, at) {
                Ok(Some(prev)) => println!(
                    "  {} start {:<15} (auto-stopped {} after {})",
                    at,
                    project,
                    prev.project,
                    fmt_duration(prev.duration())
                ),
                Ok(None) => println!("  {} start {}", at, project),
                Err(e) => println!("  {} ERROR: {}", at, e),
            },
            Action::Stop => match tracker.stop(at) {
                Ok(s) => println!(
                    "  {} stop  {:<15} ({})",
                    at,
                    s.project,
                    fmt_duration(s.duration())
                ),
                Err(e) => println!("  {} ERROR: {}", at, e),
            },
        }
    }

    println!("\nTotals per day:");
    for (day, projects) in tracker.daily_totals() {
        let parts: Vec<String> = projects
            .iter()
            .map(|(p, d)| format!("{} {}", p, fmt_duration(*d)))
            .collect();
        println!("  {} {}: {}", day, day.format("%a"), parts.join(", "));
    }
    println!();

    tracker.weekly_summary(NaiveDate::from_ymd_opt(2024, 3, 6).expect("valid date"));
    tracker.weekly_summary(NaiveDate::from_ymd_opt(2024, 3, 11).expect("valid date"));

    let mut per_project: BTreeMap<&str, Duration> = BTreeMap::new();
    for s in &tracker.sessions {
        let entry = per_project.entry(s.project.as_str()).or_insert_with(Duration::zero);
        *entry = *entry + s.duration();
    }
    println!("All-time totals:");
    for (project, total) in per_project {
        println!("  {:<16} {}", project, fmt_duration(total));
    }
}
