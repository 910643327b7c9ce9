//! Inventory demand forecasting from CSV sales history.
//!
//! Several methods (moving averages, simple exponential smoothing, Holt's
//! linear trend) are back-tested per product; the one with the lowest mean
//! absolute error produces the forecast and a reorder recommendation.
//! The whole state is persisted as JSON (uuid-keyed maps, chrono types,
//! data-carrying enums) and read back.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rand::{rngs::StdRng, Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::error::Error;
use std::fs;

const REVIEW_DAYS: u32 = 21;
const BACKTEST_FROM: usize = 28;

#[derive(Debug, Deserialize)]
struct HistoryRow {
    date: NaiveDate,
    sku: String,
    units: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Product {
    id: Uuid,
    sku: String,
    name: String,
    on_hand: u32,
    lead_time_days: u32,
    safety_days: u32,
    unit_cost: f64,
    history: Vec<(NaiveDate, u32)>,
}

use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
enum Method {
    MovingAverage { window: usize },
    Exponential { alpha: f64 },
    Holt { alpha: f64, beta: f64 },
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Method::MovingAverage { window } => write!(f, "MA({window})"),
            Method::Exponential { alpha } => write!(f, "SES(a={alpha})"),
            Method::Holt { alpha, beta } => write!(f, "Holt(a={alpha},b={beta})"),
        }
    }
}

const CANDIDATES: [Method; 5] = [
    Method::MovingAverage { window: 7 },
    Method::MovingAverage { window: 28 },
    Method::Exponential { alpha: 0.2 },
    Method::Exponential { alpha: 0.5 },
    Method::Holt { alpha: 0.3, beta: 0.1 },
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
enum Recommendation {
    OrderNow { quantity: u32, stockout_on: NaiveDate },
    ReorderOn { date: NaiveDate, quantity: u32 },
    Sufficient { days_of_cover: f64 },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Forecast {
    id: Uuid,
    product_id: Uuid,
    created_at: DateTime<Utc>,
    method: Method,
    mae: f64,
    daily_rate: f64,
    next_7_days: Vec<f64>,
    recommendation: Recommendation,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct State {
    created_at: DateTime<Utc>,
    as_of: NaiveDate,
    products: HashMap<Uuid, Product>,
    forecasts: HashMap<Uuid, Forecast>,
    latest_by_product: HashMap<Uuid, Uuid>,
}

struct Fit {
    predictions: Vec<(usize, f64)>,
    level: f64,
    trend: f64,
}

fn mean(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        0.0
    } else {
        xs.iter().sum::<f64>() / xs.len() as f64
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// One-step-ahead predictions over the history plus the final state.
fn fit(method: Method, series: &[f64]) -> Option<Fit> {
    match method {
        Method::MovingAverage { window } => {
            if window == 0 || series.len() <= window {
                return None;
            }
            let predictions = (window..series.len()).map(|t| (t, mean(&series[t - window..t]))).collect();
            Some(Fit { predictions, level: mean(&series[series.len() - window..]), trend: 0.0 })
        }
        Method::Exponential { alpha } => {
            let mut level = *series.first()?;
            let mut predictions = Vec::with_capacity(series.len());
            for (t, &x) in series.iter().enumerate().skip(1) {
                predictions.push((t, level));
                level = alpha * x + (1.0 - alpha) * level;
            }
            Some(Fit { predictions, level, trend: 0.0 })
        }
        Method::Holt { alpha, beta } => {
            if series.len() < 3 {
                return None;
            }
            let (mut level, mut trend) = (series[0], series[1] - series[0]);
            let mut predictions = Vec::with_capacity(series.len());
            for (t, &x) in series.iter().enumerate().skip(1) {
                predictions.push((t, level + trend));
                let new_level = alpha * x + (1.0 - alpha) * (level + trend);
                trend = beta * (new_level - level) + (1.0 - beta) * trend;
                level = new_level;
            }
            Some(Fit { predictions, level, trend })
        }
    }
}

impl Fit {
    fn mae(&self, series: &[f64], from: usize) -> f64 {
        let errors: Vec<f64> =
            self.predictions.iter().filter(|(t, _)| *t >= from).map(|&(t, p)| (series[t] - p).abs()).collect();
        if errors.is_empty() {
            f64::MAX
        } else {
            mean(&errors)
        }
    }

    fn forecast(&self, horizon: usize) -> f64 {
        (self.level + self.trend * horizon as f64).max(0.0)
    }
}

fn recommend(p: &Product, fit: &Fit, as_of: NaiveDate) -> (f64, Recommendation) {
    let horizon = (p.lead_time_days + p.safety_days).max(1) as usize;
    let lead_demand: f64 = (1..=horizon).map(|h| fit.forecast(h)).sum();
    let rate = lead_demand / horizon as f64;
    if rate < 0.01 {
        return (rate, Recommendation::Sufficient { days_of_cover: 999.0 });
    }
    let on_hand = p.on_hand as f64;
    let order_up_to = rate * (REVIEW_DAYS as usize + horizon) as f64;
    let quantity = |stock: f64| (order_up_to - stock).max(0.0).ceil() as u32;
    let recommendation = if on_hand <= lead_demand {
        let days_left = (on_hand / rate).floor() as i64;
        Recommendation::OrderNow { quantity: quantity(on_hand), stockout_on: as_of + Duration::days(days_left) }
    } else {
        let days_until = ((on_hand - lead_demand) / rate).floor() as i64;
        if days_until > 45 {
            Recommendation::Sufficient { days_of_cover: round2(on_hand / rate) }
        } else {
            Recommendation::ReorderOn { date: as_of + Duration::days(days_until), quantity: quantity(lead_demand) }
        }
    };
    (rate, recommendation)
}

fn forecast_product(p: &Product, as_of: NaiveDate, now: DateTime<Utc>) -> Option<(Forecast, Vec<(Method, f64)>)> {
    let series: Vec<f64> = p.history.iter().map(|&(_, u)| u as f64).collect();
    let scored: Vec<(Method, Fit, f64)> = CANDIDATES
        .iter()
        .filter_map(|&m| {
            fit(m, &series).map(|f| {
                let mae = f.mae(&series, BACKTEST_FROM);
                (m, f, mae)
            })
        })
        .collect();
    let (method, best, mae) = scored.iter().min_by(|a, b| a.2.partial_cmp(&b.2).unwrap_or(std::cmp::Ordering::Equal))?;
    let (rate, recommendation) = recommend(p, best, as_of);
    let forecast = Forecast {
        id: Uuid::new_v4(),
        product_id: p.id,
        created_at: now,
        method: *method,
        mae: round2(*mae),
        daily_rate: round2(rate),
        next_7_days: (1..=7).map(|h| round2(best.forecast(h))).collect(),
        recommendation,
    };
    let table = scored.iter().map(|(m, _, e)| (*m, round2(*e))).collect();
    Some((forecast, table))
}

/// Generates 90 days of synthetic sales history as CSV text.
fn generate_csv(start: NaiveDate, days: i64, seed: u64) -> String {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out = String::from("date,sku,units\n");
    for d in 0..days {
        let date = start + Duration::days(d);
        let weekend = date.weekday().num_days_from_monday() >= 5;
        let widget = 20.0 + rng.gen_range(-4.0..4.0);
        let gadget = 5.0 + d as f64 * 0.22 + rng.gen_range(-3.0..3.0);
        let sprocket_base = if weekend { 16.0 } else { 6.0 };
        let sprocket = sprocket_base + rng.gen_range(-2.0..2.0);
        for (sku, units) in [("WID-100", widget), ("GAD-200", gadget), ("SPR-300", sprocket)] {
            out.push_str(&format!("{date},{sku},{}\n", f64::max(units, 0.0).round() as u32));
        }
    }
    out
}

fn load_history(csv_text: &str) -> Result<HashMap<String, Vec<(NaiveDate, u32)>>, csv::Error> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let mut by_sku: HashMap<String, Vec<(NaiveDate, u32)>> = HashMap::new();
    for row in reader.deserialize::<HistoryRow>() {
        let row = row?;
        by_sku.entry(row.sku).or_default().push((row.date, row.units));
    }
    for rows in by_sku.values_mut() {
        rows.sort_by_key(|(date, _)| *date);
    }
    Ok(by_sku)
}

fn main() -> Result<(), Box<dyn Error>> {
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).ok_or("bad start date")?;
    let csv_text = generate_csv(start, 90, 11);
    println!("CSV history: {} rows, first lines:", csv_text.lines().count() - 1);
    for line in csv_text.lines().take(4) {
        println!("  {line}");
    }

    let mut history = load_history(&csv_text)?;
    let catalog = [
        ("WID-100", "Widget", 420, 7, 3, 2.40),
        ("GAD-200", "Gadget", 260, 10, 4, 11.90),
        ("SPR-300", "Sprocket", 90, 5, 2, 0.85),
    ];

    let now = Utc::now();
    let as_of = history.values().flat_map(|h| h.iter().map(|(d, _)| *d)).max().ok_or("no history")? + Duration::days(1);
    let mut state = State {
        created_at: now,
        as_of,
        products: HashMap::new(),
        forecasts: HashMap::new(),
        latest_by_product: HashMap::new(),
    };
    for (sku, name, on_hand, lead_time_days, safety_days, unit_cost) in catalog {
        let product = Product {
            id: Uuid::new_v4(),
            sku: sku.to_string(),
            name: name.to_string(),
            on_hand,
            lead_time_days,
            safety_days,
            unit_cost,
            history: history.remove(sku).unwrap_or_default(),
        };
        state.products.insert(product.id, product);
    }

    let mut products: Vec<&Product> = state.products.values().collect();
    products.sort_by(|a, b| a.sku.cmp(&b.sku));
    let mut new_forecasts = Vec::new();
    println!("\nBack-test MAE from day {BACKTEST_FROM} (lower is better):");
    for p in products {
        match forecast_product(p, as_of, now) {
            Some((forecast, table)) => {
                let scores: Vec<String> = table.iter().map(|(m, e)| format!("{m}={e}")).collect();
                println!("  {:<8} {}", p.sku, scores.join("  "));
                new_forecasts.push(forecast);
            }
            None => println!("  {:<8} not enough history", p.sku),
        }
    }
    for f in new_forecasts {
        state.latest_by_product.insert(f.product_id, f.id);
        state.forecasts.insert(f.id, f);
    }

    println!("\nForecasts as of {as_of}:");
    println!("{:<9}{:<10}{:>7}{:>8}{:>9}  recommendation", "sku", "product", "stock", "rate/d", "method");
    let mut rows: Vec<(&Product, &Forecast)> = state
        .latest_by_product
        .iter()
        .filter_map(|(pid, fid)| Some((state.products.get(pid)?, state.forecasts.get(fid)?)))
        .collect();
    rows.sort_by(|a, b| a.0.sku.cmp(&b.0.sku));
    for (p, f) in &rows {
        let rec = match &f.recommendation {
            Recommendation::OrderNow { quantity, stockout_on } => {
                format!("ORDER NOW {quantity} units (stock-out expected {stockout_on}, cost {:.2})", *quantity as f64 * p.unit_cost)
            }
            Recommendation::ReorderOn { date, quantity } => format!("reorder {quantity} units on {date}"),
            Recommendation::Sufficient { days_of_cover } => format!("sufficient, {days_of_cover} days of cover"),
        };
        println!("{:<9}{:<10}{:>7}{:>8.2}{:>9}  {rec}", p.sku, p.name, p.on_hand, f.daily_rate, f.method.to_string());
        println!("{:<9}next 7 days: {:?}", "", f.next_7_days);
    }

    let path = std::env::temp_dir().join("inventory_forecast_state.json");
    let json = serde_json::to_string_pretty(&state)?;
    fs::write(&path, &json)?;
    let restored: State = serde_json::from_str(&fs::read_to_string(&path)?)?;
    println!("\nSaved state to {} ({} bytes)", path.display(), json.len());
    println!("Restored state equals original: {}", restored == state);
    if let Some((_, f)) = rows.first() {
        println!("Sample forecast record:\n{}", serde_json::to_string_pretty(f)?);
    }
    Ok(())
}
