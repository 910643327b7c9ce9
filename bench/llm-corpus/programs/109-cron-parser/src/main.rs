//! cron-parser: parse 5-field cron expressions (minute hour day month
//! weekday) and list the next 5 run times after now. Each expression is
//! evaluated in its own tokio task; results are shared via Arc<RwLock<..>>
//! and errors via Arc<Mutex<..>>.
//!
//! Usage: cron-parser ["EXPR" ...]

use chrono::{Datelike, Duration, Local, NaiveDate, NaiveDateTime, Timelike};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;
use tokio::sync::{Mutex, RwLock};

#[derive(Debug, Clone)]
struct Field {
    values: BTreeSet<u32>,
    wildcard: bool,
}

#[derive(Debug, Clone)]
struct CronExpr {
    source: String,
    minutes: Field,
    hours: Field,
    days: Field,
    months: Field,
    weekdays: Field,
}

#[derive(Debug)]
struct CronError {
    expr: String,
    message: String,
}

impl fmt::Display for CronError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "'{}': {}", self.expr, self.message)
    }
}

const MONTHS: [&str; 12] = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

fn parse_value(s: &str, min: u32, max: u32, names: &[&str], name_offset: u32) -> Result<u32, String> {
    let upper = s.to_ascii_uppercase();
    if let Some(i) = names.iter().position(|n| *n == upper) {
        return Ok(i as u32 + name_offset);
    }
    let v: u32 = s.parse().map_err(|_| format!("'{s}' is not a number"))?;
    if v < min || v > max {
        return Err(format!("{v} out of range {min}-{max}"));
    }
    Ok(v)
}

fn parse_field(spec: &str, min: u32, max: u32, names: &[&str], name_offset: u32) -> Result<Field, String> {
    let mut values = BTreeSet::new();
    let wildcard = spec == "*" || spec == "?";
    for part in spec.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => {
                let step: u32 = s.parse().map_err(|_| format!("bad step '{s}'"))?;
                if step == 0 {
                    return Err("step must be positive".into());
                }
                (r, step)
            }
            None => (part, 1),
        };
        let (lo, hi) = if range == "*" || range == "?" {
            (min, max)
        } else if let Some((a, b)) = range.split_once('-') {
            (parse_value(a, min, max, names, name_offset)?, parse_value(b, min, max, names, name_offset)?)
        } else {
            let v = parse_value(range, min, max, names, name_offset)?;
            // "5/15" means "from 5 to max every 15".
            (v, if part.contains('/') { max } else { v })
        };
        if lo > hi {
            return Err(format!("range {lo}-{hi} is backwards"));
        }
        values.extend((lo..=hi).step_by(step as usize));
    }
    Ok(Field { values, wildcard })
}

impl CronExpr {
    fn parse(expr: &str) -> Result<CronExpr, CronError> {
        let err = |message: String| CronError { expr: expr.to_string(), message };
        let expanded = match expr.trim() {
            "@hourly" => "0 * * * *",
            "@daily" | "@midnight" => "0 0 * * *",
            "@weekly" => "0 0 * * 0",
            "@monthly" => "0 0 1 * *",
            "@yearly" | "@annually" => "0 0 1 1 *",
            other => other,
        };
        let parts: Vec<&str> = expanded.split_whitespace().collect();
        let [m, h, dom, mon, dow] = parts[..] else {
            return Err(err(format!("expected 5 fields, found {}", parts.len())));
        };
        let mut weekdays = parse_field(dow, 0, 7, &DAYS, 0).map_err(|e| err(format!("weekday: {e}")))?;
        if weekdays.values.remove(&7) {
            weekdays.values.insert(0); // 7 is also Sunday
        }
        Ok(CronExpr {
            source: expr.to_string(),
            minutes: parse_field(m, 0, 59, &[], 0).map_err(|e| err(format!("minute: {e}")))?,
            hours: parse_field(h, 0, 23, &[], 0).map_err(|e| err(format!("hour: {e}")))?,
            days: parse_field(dom, 1, 31, &[], 0).map_err(|e| err(format!("day of month: {e}")))?,
            months: parse_field(mon, 1, 12, &MONTHS, 1).map_err(|e| err(format!("month: {e}")))?,
            weekdays,
        })
    }

    /// Standard cron rule: if both day fields are restricted, either may match.
    fn day_matches(&self, date: NaiveDate) -> bool {
        let dom = self.days.values.contains(&date.day());
        let dow = self.weekdays.values.contains(&date.weekday().num_days_from_sunday());
        match (self.days.wildcard, self.weekdays.wildcard) {
            (true, true) => true,
            (true, false) => dow,
            (false, true) => dom,
            (false, false) => dom || dow,
        }
    }

    fn next_after(&self, after: NaiveDateTime) -> Option<NaiveDateTime> {
        let start = after.with_second(0)?.with_nanosecond(0)? + Duration::minutes(1);
        let mut date = start.date();
        // Search up to ~5 years ahead (covers Feb 29 schedules).
        for _ in 0..(366 * 5) {
            if self.months.values.contains(&date.month()) && self.day_matches(date) {
                for &h in &self.hours.values {
                    for &m in &self.minutes.values {
                        let candidate = date.and_hms_opt(h, m, 0)?;
                        if candidate >= start {
                            return Some(candidate);
                        }
                    }
                }
            }
            date = date.succ_opt()?;
        }
        None
    }

    fn upcoming(&self, after: NaiveDateTime, count: usize) -> Vec<NaiveDateTime> {
        std::iter::successors(self.next_after(after), |t| self.next_after(*t)).take(count).collect()
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let exprs: Vec<String> = if args.is_empty() {
        [
            "*/15 * * * *",
            "0 9 * * MON-FRI",
            "30 2 1 * *",
            "0 0 29 2 *",
            "0 12 13 * FRI",
            "5,35 8-18/2 * JAN-MAR,DEC *",
            "@weekly",
            "61 * * * *",
            "0 0 * *",
            "0 0 * * BOB",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    } else {
        args
    };

    let now = Local::now().naive_local();
    let schedules: Arc<RwLock<BTreeMap<usize, (String, Vec<NaiveDateTime>)>>> = Arc::new(RwLock::new(BTreeMap::new()));
    let errors: Arc<Mutex<Vec<(usize, CronError)>>> = Arc::new(Mutex::new(Vec::new()));

    let mut handles = Vec::new();
    for (i, expr) in exprs.into_iter().enumerate() {
        let schedules = Arc::clone(&schedules);
        let errors = Arc::clone(&errors);
        handles.push(tokio::spawn(async move {
            match CronExpr::parse(&expr) {
                Ok(cron) => {
                    let runs = cron.upcoming(now, 5);
                    let n = runs.len();
                    schedules.write().await.insert(i, (cron.source.clone(), runs));
                    n
                }
                Err(e) => {
                    errors.lock().await.push((i, e));
                    0
                }
            }
        }));
    }

    let mut total_runs = 0;
    for h in handles {
        match h.await {
            Ok(n) => total_runs += n,
            Err(e) => eprintln!("task failed: {e}"),
        }
    }

    println!("Now: {}\n", now.format("%a %Y-%m-%d %H:%M:%S"));
    for (_, (source, runs)) in schedules.read().await.iter() {
        println!("{source}");
        if runs.is_empty() {
            println!("   (never fires)");
        }
        for t in runs {
            let delta = *t - now;
            let days = delta.num_days();
            let hours = delta.num_hours() % 24;
            let mins = delta.num_minutes() % 60;
            println!("   {}   in {:>3}d {:>2}h {:>2}m", t.format("%a %Y-%m-%d %H:%M"), days, hours, mins);
        }
    }

    let mut errors = errors.lock().await;
    errors.sort_by_key(|(i, _)| *i);
    if !errors.is_empty() {
        println!("\nInvalid expressions:");
        for (_, e) in errors.iter() {
            println!("  {e}");
        }
    }
    println!("\n{} run times computed across {} valid expression(s).", total_runs, schedules.read().await.len());
}
