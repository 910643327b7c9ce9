//! habit-tracker: daily check-ins for habits, current/longest streaks and a
//! weekly calendar printout. The tracker is iterable (`for h in &tracker`)
//! and each habit iterates over its check-in dates.

use chrono::{Datelike, Duration, Local, NaiveDate, Weekday};
use std::collections::BTreeSet;
use std::fmt;

#[derive(Debug, Clone)]
struct Habit {
    name: String,
    created: NaiveDate,
    checkins: BTreeSet<NaiveDate>,
}

impl Habit {
    fn new(name: &str, created: NaiveDate) -> Self {
        Habit { name: name.to_string(), created, checkins: BTreeSet::new() }
    }

    fn check_in(&mut self, day: NaiveDate) -> Result<(), HabitError> {
        if day < self.created {
            return Err(HabitError::BeforeCreation { habit: self.name.clone(), day });
        }
        if !self.checkins.insert(day) {
            return Err(HabitError::AlreadyCheckedIn { habit: self.name.clone(), day });
        }
        Ok(())
    }

    fn done_on(&self, day: NaiveDate) -> bool {
        self.checkins.contains(&day)
    }

    /// Streak ending today, or yesterday if today is not checked yet.
    fn current_streak(&self, today: NaiveDate) -> u32 {
        let mut day = if self.done_on(today) { today } else { today - Duration::days(1) };
        let mut streak = 0;
        while self.done_on(day) {
            streak += 1;
            day = day - Duration::days(1);
        }
        streak
    }

    fn longest_streak(&self) -> (u32, Option<NaiveDate>) {
        let mut best = (0, None);
        let mut run = 0;
        let mut prev: Option<NaiveDate> = None;
        for &day in self {
            run = match prev {
                Some(p) if day - p == Duration::days(1) => run + 1,
                _ => 1,
            };
            if run > best.0 {
                best = (run, Some(day));
            }
            prev = Some(day);
        }
        best
    }

    fn completion_rate(&self, today: NaiveDate) -> f64 {
        let days = (today - self.created).num_days() + 1;
        if days <= 0 {
            return 0.0;
        }
        self.checkins.len() as f64 / days as f64
    }
}

/// Iterating a habit yields its check-in dates in order.
impl<'a> IntoIterator for &'a Habit {
    type Item = &'a NaiveDate;
    type IntoIter = std::collections::btree_set::Iter<'a, NaiveDate>;
    fn into_iter(self) -> Self::IntoIter {
        self.checkins.iter()
    }
}

#[derive(Debug)]
enum HabitError {
    AlreadyCheckedIn { habit: String, day: NaiveDate },
    BeforeCreation { habit: String, day: NaiveDate },
    UnknownHabit(String),
}

impl fmt::Display for HabitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HabitError::AlreadyCheckedIn { habit, day } => write!(f, "'{habit}' already checked in on {day}"),
            HabitError::BeforeCreation { habit, day } => write!(f, "'{habit}' did not exist yet on {day}"),
            HabitError::UnknownHabit(h) => write!(f, "no habit called '{h}'"),
        }
    }
}

#[derive(Debug, Default)]
struct Tracker {
    habits: Vec<Habit>,
}

/// Iterator over the tracker's habits, yielding references.
struct Habits<'a> {
    inner: std::slice::Iter<'a, Habit>,
}

impl<'a> Iterator for Habits<'a> {
    type Item = &'a Habit;
    fn next(&mut self) -> Option<&'a Habit> {
        self.inner.next()
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl<'a> IntoIterator for &'a Tracker {
    type Item = &'a Habit;
    type IntoIter = Habits<'a>;
    fn into_iter(self) -> Habits<'a> {
        self.iter()
    }
}

impl Tracker {
    fn iter(&self) -> Habits<'_> {
        Habits { inner: self.habits.iter() }
    }

    fn add(&mut self, name: &str, created: NaiveDate) {
        self.habits.push(Habit::new(name, created));
    }

    fn check_in(&mut self, name: &str, day: NaiveDate) -> Result<(), HabitError> {
        self.habits
            .iter_mut()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| HabitError::UnknownHabit(name.to_string()))?
            .check_in(day)
    }

    fn print_week_calendar(&self, today: NaiveDate, weeks: i64) {
        let this_monday = today - Duration::days(today.weekday().num_days_from_monday() as i64);
        let name_width = self.iter().map(|h| h.name.len()).max().unwrap_or(5).max(5);
        for w in (0..weeks).rev() {
            let monday = this_monday - Duration::weeks(w);
            let sunday = monday + Duration::days(6);
            println!("\nWeek {} ({} – {})", monday.iso_week().week(), monday.format("%b %d"), sunday.format("%b %d"));
            let header: Vec<String> = (0..7)
                .map(|d| {
                    let day = monday + Duration::days(d);
                    let label = short_weekday(day.weekday());
                    if day == today { format!("[{label}]") } else { format!(" {label} ") }
                })
                .collect();
            println!("{:<name_width$} {}", "", header.join(""));
            for habit in self {
                let cells: String = (0..7)
                    .map(|d| {
                        let day = monday + Duration::days(d);
                        let mark = if day > today || day < habit.created {
                            ' '
                        } else if habit.done_on(day) {
                            '✓'
                        } else {
                            '·'
                        };
                        format!("  {mark} ")
                    })
                    .collect();
                let done = (0..7).filter(|&d| habit.done_on(monday + Duration::days(d))).count();
                println!("{:<name_width$} {}  {}/7", habit.name, cells, done);
            }
        }
    }
}

fn short_weekday(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "Mo",
        Weekday::Tue => "Tu",
        Weekday::Wed => "We",
        Weekday::Thu => "Th",
        Weekday::Fri => "Fr",
        Weekday::Sat => "Sa",
        Weekday::Sun => "Su",
    }
}

fn main() {
    let today = Local::now().date_naive();
    let start = today - Duration::days(34);

    let mut tracker = Tracker::default();
    tracker.add("Exercise", start);
    tracker.add("Read 20 pages", start);
    tracker.add("Meditate", start + Duration::days(10));
    tracker.add("No sugar", today - Duration::days(6));

    // Deterministic sample history.
    for offset in 0..=34 {
        let day = start + Duration::days(offset);
        let weekday = day.weekday().num_days_from_monday();
        if weekday != 6 && offset % 11 != 7 {
            let _ = tracker.check_in("exercise", day);
        }
        if offset % 3 != 1 || offset > 25 {
            let _ = tracker.check_in("Read 20 pages", day);
        }
        if offset >= 10 && offset % 5 != 0 {
            let _ = tracker.check_in("meditate", day);
        }
        if offset >= 28 && offset != 31 {
            let _ = tracker.check_in("No sugar", day);
        }
    }

    // A few invalid check-ins to show error handling.
    for (habit, day) in [("Exercise", today - Duration::days(1)), ("Meditate", start), ("Floss", today)] {
        if let Err(e) = tracker.check_in(habit, day) {
            println!("note: {e}");
        }
    }

    println!("\nHabit summary as of {}", today.format("%A, %B %-d %Y"));
    println!("{:<15} {:>8} {:>8} {:>14} {:>9}", "habit", "current", "longest", "longest ended", "rate");
    for habit in &tracker {
        let (longest, ended) = habit.longest_streak();
        println!(
            "{:<15} {:>8} {:>8} {:>14} {:>8.0}%",
            habit.name,
            habit.current_streak(today),
            longest,
            ended.map(|d| d.format("%b %d").to_string()).unwrap_or_else(|| "-".into()),
            habit.completion_rate(today) * 100.0
        );
    }

    let best = tracker.iter().max_by_key(|h| h.current_streak(today));
    if let Some(h) = best {
        println!("\nBest current streak: {} ({} days)", h.name, h.current_streak(today));
    }
    let total: usize = tracker.iter().map(|h| h.into_iter().count()).sum();
    println!("Total check-ins recorded: {total}");

    tracker.print_week_calendar(today, 3);
}
