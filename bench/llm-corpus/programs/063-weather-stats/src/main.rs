use anyhow::{bail, Context, Result};
use chrono::{Datelike, Duration, NaiveDate};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::env;
use std::fs;

#[derive(Debug, Deserialize)]
struct RawRecord {
    date: String,
    city: String,
    temp: f64,
    rain: f64,
}

#[derive(Debug, Clone)]
struct Record {
    date: NaiveDate,
    city: String,
    temp: f64,
    rain: f64,
}

#[derive(Debug)]
struct MonthStats {
    days: u32,
    temp_sum: f64,
    temp_min: f64,
    temp_max: f64,
    rain_total: f64,
    rainy_days: u32,
}

impl MonthStats {
    fn new() -> Self {
        MonthStats {
            days: 0,
            temp_sum: 0.0,
            temp_min: f64::INFINITY,
            temp_max: f64::NEG_INFINITY,
            rain_total: 0.0,
            rainy_days: 0,
        }
    }

    fn add(&mut self, r: &Record) {
        self.days += 1;
        self.temp_sum += r.temp;
        self.temp_min = self.temp_min.min(r.temp);
        self.temp_max = self.temp_max.max(r.temp);
        self.rain_total += r.rain;
        if r.rain > 0.0 {
            self.rainy_days += 1;
        }
    }

    fn avg(&self) -> f64 {
        self.temp_sum / self.days as f64
    }
}

#[derive(Debug)]
struct Streak {
    start: NaiveDate,
    end: NaiveDate,
    days: usize,
    avg: f64,
    peak: f64,
}

fn make_streak(days: &[&Record]) -> Streak {
    Streak {
        start: days[0].date,
        end: days[days.len() - 1].date,
        days: days.len(),
        avg: days.iter().map(|r| r.temp).sum::<f64>() / days.len() as f64,
        peak: days.iter().map(|r| r.temp).fold(f64::NEG_INFINITY, f64::max),
    }
}

/// Runs of consecutive calendar days with temp >= threshold, longest first.
fn hot_streaks(days: &[&Record], threshold: f64) -> Vec<Streak> {
    let mut streaks = Vec::new();
    let mut current: Vec<&Record> = Vec::new();
    for &r in days {
        let consecutive = current
            .last()
            .map_or(false, |prev| r.date - prev.date == Duration::days(1));
        if r.temp >= threshold {
            if !consecutive && !current.is_empty() {
                streaks.push(make_streak(&current));
                current.clear();
            }
            current.push(r);
        } else if !current.is_empty() {
            streaks.push(make_streak(&current));
            current.clear();
        }
    }
    if !current.is_empty() {
        streaks.push(make_streak(&current));
    }
    streaks.sort_by(|a, b| {
        b.days
            .cmp(&a.days)
            .then(b.avg.partial_cmp(&a.avg).expect("finite temps"))
    });
    streaks
}

/// Hottest window of `len` consecutive days by average temperature.
fn hottest_window(days: &[&Record], len: usize) -> Option<(NaiveDate, NaiveDate, f64)> {
    days.windows(len)
        .filter(|w| w.windows(2).all(|p| p[1].date - p[0].date == Duration::days(1)))
        .map(|w| {
            let avg = w.iter().map(|r| r.temp).sum::<f64>() / len as f64;
            (w[0].date, w[len - 1].date, avg)
        })
        .max_by(|a, b| a.2.partial_cmp(&b.2).expect("finite temps"))
}

fn load_records(text: &str) -> Result<Vec<Record>> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    for (i, row) in rdr.deserialize::<RawRecord>().enumerate() {
        let line = i + 2;
        let raw = row.with_context(|| format!("line {}: malformed record", line))?;
        let date = NaiveDate::parse_from_str(&raw.date, "%Y-%m-%d")
            .with_context(|| format!("line {}: bad date `{}`", line, raw.date))?;
        if raw.rain < 0.0 {
            bail!("line {}: negative rainfall {}", line, raw.rain);
        }
        records.push(Record {
            date,
            city: raw.city,
            temp: raw.temp,
            rain: raw.rain,
        });
    }
    records.sort_by(|a, b| a.city.cmp(&b.city).then(a.date.cmp(&b.date)));
    Ok(records)
}

/// Four months of synthetic data for three cities (deterministic).
fn sample_csv() -> String {
    let cities = [
        ("Lisbon", 20.0, 7.0, 0.15),
        ("Oslo", 12.0, 7.0, 0.35),
        ("Madrid", 22.0, 10.0, 0.08),
    ];
    let start = NaiveDate::from_ymd_opt(2023, 5, 1).expect("valid date");
    let mut seed: u32 = 12345;
    let mut rand = move || {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        ((seed >> 16) & 0x7fff) as f64 / 32768.0
    };
    let mut out = String::from("date,city,temp,rain\n");
    for day in 0..123 {
        let date = start + Duration::days(day);
        let season = (day as f64 / 122.0 * std::f64::consts::PI).sin();
        for (city, base, amplitude, rain_chance) in cities {
            let temp = base + amplitude * season + (rand() - 0.5) * 8.0;
            let rain = if rand() < rain_chance {
                (rand() * 200.0).round() / 10.0
            } else {
                0.0
            };
            out.push_str(&format!("{},{},{:.1},{:.1}\n", date, city, temp, rain));
        }
    }
    out
}

fn main() -> Result<()> {
    let args: Vec<String> = env::args().collect();
    let mut threshold = 27.0;
    let mut path = None;
    let mut i = 1;
    while i < args.len() {
        if args[i] == "--threshold" {
            threshold = args
                .get(i + 1)
                .context("--threshold needs a value")?
                .parse()
                .context("--threshold must be a number")?;
            i += 2;
        } else {
            path = Some(args[i].clone());
            i += 1;
        }
    }

    let text = match &path {
        Some(p) => fs::read_to_string(p).with_context(|| format!("reading {}", p))?,
        None => {
            println!("(no CSV given: using generated sample data)\n");
            sample_csv()
        }
    };
    let records = load_records(&text)?;
    if records.is_empty() {
        bail!("no records found");
    }

    let mut by_city: BTreeMap<&str, Vec<&Record>> = BTreeMap::new();
    for r in &records {
        by_city.entry(r.city.as_str()).or_default().push(r);
    }
    let first = records.iter().map(|r| r.date).min().expect("non-empty");
    let last = records.iter().map(|r| r.date).max().expect("non-empty");
    println!(
        "{} records, {} cities, {} to {}\n",
        records.len(),
        by_city.len(),
        first,
        last
    );

    let mut monthly: BTreeMap<(String, i32, u32), MonthStats> = BTreeMap::new();
    for r in &records {
        monthly
            .entry((r.city.clone(), r.date.year(), r.date.month()))
            .or_insert_with(MonthStats::new)
            .add(r);
    }

    println!("MONTHLY AVERAGES");
    println!(
        "{:<8} {:<9} {:>5} {:>7} {:>6} {:>6} {:>8} {:>6}",
        "city", "month", "days", "avg °C", "min", "max", "rain mm", "rainy"
    );
    let mut last_city = String::new();
    for ((city, year, month), s) in &monthly {
        if *city != last_city && !last_city.is_empty() {
            println!();
        }
        last_city = city.clone();
        let label = NaiveDate::from_ymd_opt(*year, *month, 1)
            .map(|d| d.format("%b %Y").to_string())
            .unwrap_or_default();
        println!(
            "{:<8} {:<9} {:>5} {:>7.1} {:>6.1} {:>6.1} {:>8.1} {:>6}",
            city, label, s.days, s.avg(), s.temp_min, s.temp_max, s.rain_total, s.rainy_days
        );
    }

    println!("\nHOT STREAKS (consecutive days >= {:.1} °C)", threshold);
    for (city, days) in &by_city {
        let streaks = hot_streaks(days, threshold);
        match streaks.first() {
            None => println!("  {:<8} no day reached {:.1} °C", city, threshold),
            Some(best) => {
                println!(
                    "  {:<8} longest: {} day(s) {} .. {} (avg {:.1}, peak {:.1}); {} streak(s) in total",
                    city,
                    best.days,
                    best.start,
                    best.end,
                    best.avg,
                    best.peak,
                    streaks.len()
                );
                for s in streaks.iter().skip(1).take(2) {
                    println!(
                        "  {:<8}   next: {} day(s) {} .. {} (avg {:.1})",
                        "", s.days, s.start, s.end, s.avg
                    );
                }
            }
        }
    }

    println!("\nHOTTEST 3-DAY STRETCH");
    for (city, days) in &by_city {
        match hottest_window(days, 3) {
            Some((from, to, avg)) => println!("  {:<8} {} .. {} averaging {:.1} °C", city, from, to, avg),
            None => println!("  {:<8} not enough consecutive data", city),
        }
    }

    let hottest = records
        .iter()
        .max_by(|a, b| a.temp.partial_cmp(&b.temp).expect("finite temps"))
        .expect("non-empty");
    let wettest = records
        .iter()
        .max_by(|a, b| a.rain.partial_cmp(&b.rain).expect("finite rain"))
        .expect("non-empty");
    println!(
        "\nHottest day overall: {} in {} ({:.1} °C); wettest: {} in {} ({:.1} mm)",
        hottest.date, hottest.city, hottest.temp, wettest.date, wettest.city, wettest.rain
    );
    Ok(())
}
