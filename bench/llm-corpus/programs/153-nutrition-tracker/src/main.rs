use std::collections::HashMap;
use std::ops::{Add, Mul};

use chrono::{Datelike, Duration, NaiveDate};
use itertools::Itertools;

#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Nutrients {
    kcal: f64,
    protein: f64,
    carbs: f64,
    fat: f64,
    fiber: f64,
}

impl Add for Nutrients {
    type Output = Nutrients;
    fn add(self, o: Nutrients) -> Nutrients {
        Nutrients {
            kcal: self.kcal + o.kcal,
            protein: self.protein + o.protein,
            carbs: self.carbs + o.carbs,
            fat: self.fat + o.fat,
            fiber: self.fiber + o.fiber,
        }
    }
}

impl Mul<f64> for Nutrients {
    type Output = Nutrients;
    fn mul(self, k: f64) -> Nutrients {
        Nutrients { kcal: self.kcal * k, protein: self.protein * k, carbs: self.carbs * k, fat: self.fat * k, fiber: self.fiber * k }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Meal {
    Breakfast,
    Lunch,
    Dinner,
    Snack,
}

#[derive(Debug, Clone)]
struct Entry {
    date: NaiveDate,
    meal: Meal,
    food: &'static str,
    grams: f64,
}

fn food_db() -> HashMap<&'static str, Nutrients> {
    let n = |kcal, protein, carbs, fat, fiber| Nutrients { kcal, protein, carbs, fat, fiber };
    HashMap::from([
        ("oats", n(389.0, 16.9, 66.3, 6.9, 10.6)),
        ("milk", n(64.0, 3.4, 4.8, 3.6, 0.0)),
        ("banana", n(89.0, 1.1, 22.8, 0.3, 2.6)),
        ("chicken breast", n(165.0, 31.0, 0.0, 3.6, 0.0)),
        ("rice", n(130.0, 2.7, 28.0, 0.3, 0.4)),
        ("broccoli", n(34.0, 2.8, 6.6, 0.4, 2.6)),
        ("salmon", n(208.0, 20.0, 0.0, 13.0, 0.0)),
        ("potato", n(77.0, 2.0, 17.0, 0.1, 2.2)),
        ("lentils", n(116.0, 9.0, 20.0, 0.4, 7.9)),
        ("bread", n(265.0, 9.0, 49.0, 3.2, 2.7)),
        ("cheese", n(402.0, 25.0, 1.3, 33.0, 0.0)),
        ("apple", n(52.0, 0.3, 14.0, 0.2, 2.4)),
        ("chocolate", n(546.0, 4.9, 61.0, 31.0, 7.0)),
        ("greek yogurt", n(97.0, 9.0, 3.9, 5.0, 0.0)),
        ("almonds", n(579.0, 21.0, 22.0, 50.0, 12.5)),
        ("pasta", n(158.0, 5.8, 31.0, 0.9, 1.8)),
    ])
}

struct Targets {
    kcal: f64,
    protein_min: f64,
    carbs_max: f64,
    fat_max: f64,
    fiber_min: f64,
}

fn with_nutrients<'a>(log: &'a [Entry], db: &'a HashMap<&'static str, Nutrients>) -> impl Iterator<Item = (&'a Entry, Nutrients)> + 'a {
    log.iter().filter_map(move |e| db.get(e.food).map(|per100| (e, *per100 * (e.grams / 100.0))))
}

fn unknown_foods<'a>(log: &'a [Entry], db: &'a HashMap<&'static str, Nutrients>) -> impl Iterator<Item = &'static str> + 'a {
    log.iter().map(|e| e.food).filter(move |f| !db.contains_key(f)).unique()
}

fn daily_totals<'a>(log: &'a [Entry], db: &'a HashMap<&'static str, Nutrients>) -> impl Iterator<Item = (NaiveDate, Nutrients)> + 'a {
    let days: Vec<(NaiveDate, Nutrients)> = with_nutrients(log, db)
        .sorted_by_key(|(e, _)| e.date)
        .group_by(|(e, _)| e.date)
        .into_iter()
        .map(|(date, group)| (date, group.fold(Nutrients::default(), |acc, (_, n)| acc + n)))
        .collect();
    days.into_iter()
}

fn meal_split<'a>(log: &'a [Entry], db: &'a HashMap<&'static str, Nutrients>) -> impl Iterator<Item = (Meal, f64)> + 'a {
    let split: Vec<(Meal, f64)> = with_nutrients(log, db)
        .sorted_by_key(|(e, _)| e.meal)
        .group_by(|(e, _)| e.meal)
        .into_iter()
        .map(|(meal, g)| (meal, g.map(|(_, n)| n.kcal).sum()))
        .collect();
    split.into_iter()
}

fn top_foods<'a>(log: &'a [Entry], db: &'a HashMap<&'static str, Nutrients>, n: usize) -> impl Iterator<Item = (&'static str, f64, usize)> + 'a {
    with_nutrients(log, db)
        .map(|(e, nut)| (e.food, nut.kcal))
        .into_group_map()
        .into_iter()
        .map(|(food, kcals)| (food, kcals.iter().sum::<f64>(), kcals.len()))
        .sorted_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal).then(a.0.cmp(b.0)))
        .take(n)
}

fn status(day: &Nutrients, t: &Targets) -> Vec<&'static str> {
    let mut issues = Vec::new();
    if (day.kcal - t.kcal).abs() > t.kcal * 0.1 {
        issues.push(if day.kcal > t.kcal { "calories high" } else { "calories low" });
    }
    if day.protein < t.protein_min {
        issues.push("protein low");
    }
    if day.carbs > t.carbs_max {
        issues.push("carbs high");
    }
    if day.fat > t.fat_max {
        issues.push("fat high");
    }
    if day.fiber < t.fiber_min {
        issues.push("fiber low");
    }
    issues
}

fn sample_week(start: NaiveDate) -> Vec<Entry> {
    let plans: [&[(Meal, &'static str, f64)]; 7] = [
        &[(Meal::Breakfast, "oats", 80.0), (Meal::Breakfast, "milk", 250.0), (Meal::Lunch, "chicken breast", 150.0), (Meal::Lunch, "rice", 200.0), (Meal::Dinner, "lentils", 250.0), (Meal::Dinner, "broccoli", 150.0), (Meal::Snack, "apple", 150.0)],
        &[(Meal::Breakfast, "bread", 100.0), (Meal::Breakfast, "cheese", 40.0), (Meal::Lunch, "pasta", 300.0), (Meal::Dinner, "salmon", 180.0), (Meal::Dinner, "potato", 250.0), (Meal::Snack, "chocolate", 60.0)],
        &[(Meal::Breakfast, "greek yogurt", 200.0), (Meal::Breakfast, "banana", 120.0), (Meal::Lunch, "lentils", 300.0), (Meal::Lunch, "bread", 60.0), (Meal::Dinner, "chicken breast", 180.0), (Meal::Dinner, "broccoli", 200.0), (Meal::Snack, "almonds", 30.0)],
        &[(Meal::Breakfast, "oats", 90.0), (Meal::Breakfast, "milk", 250.0), (Meal::Breakfast, "banana", 100.0), (Meal::Lunch, "rice", 250.0), (Meal::Lunch, "salmon", 150.0), (Meal::Dinner, "pasta", 250.0), (Meal::Dinner, "cheese", 30.0)],
        &[(Meal::Breakfast, "bread", 120.0), (Meal::Lunch, "pizza", 300.0), (Meal::Dinner, "pasta", 400.0), (Meal::Dinner, "cheese", 60.0), (Meal::Snack, "chocolate", 100.0), (Meal::Snack, "almonds", 50.0)],
        &[(Meal::Breakfast, "greek yogurt", 250.0), (Meal::Breakfast, "oats", 50.0), (Meal::Lunch, "chicken breast", 200.0), (Meal::Lunch, "potato", 300.0), (Meal::Dinner, "salmon", 150.0), (Meal::Dinner, "broccoli", 200.0), (Meal::Snack, "apple", 200.0)],
        &[(Meal::Breakfast, "oats", 70.0), (Meal::Breakfast, "milk", 200.0), (Meal::Lunch, "lentils", 250.0), (Meal::Lunch, "rice", 150.0), (Meal::Dinner, "chicken breast", 150.0), (Meal::Dinner, "potato", 200.0), (Meal::Snack, "banana", 120.0)],
    ];
    plans
        .iter()
        .enumerate()
        .flat_map(|(i, day)| {
            let date = start + Duration::days(i as i64);
            day.iter().map(move |&(meal, food, grams)| Entry { date, meal, food, grams })
        })
        .collect()
}

fn main() {
    let db = food_db();
    let start = NaiveDate::from_ymd_opt(2024, 6, 3).expect("valid date");
    let log = sample_week(start);
    let targets = Targets { kcal: 2200.0, protein_min: 110.0, carbs_max: 300.0, fat_max: 80.0, fiber_min: 28.0 };

    let missing: Vec<&str> = unknown_foods(&log, &db).collect();
    if !missing.is_empty() {
        println!("Warning: no nutrition data for {}; those entries are skipped\n", missing.join(", "));
    }

    println!("{:<14} {:>6} {:>8} {:>7} {:>6} {:>6}  status", "day", "kcal", "protein", "carbs", "fat", "fiber");
    let days: Vec<(NaiveDate, Nutrients)> = daily_totals(&log, &db).collect();
    for (date, n) in &days {
        let issues = status(n, &targets);
        println!(
            "{:<14} {:>6.0} {:>8.1} {:>7.1} {:>6.1} {:>6.1}  {}",
            date.format("%a %Y-%m-%d").to_string(),
            n.kcal,
            n.protein,
            n.carbs,
            n.fat,
            n.fiber,
            if issues.is_empty() { "on target".to_string() } else { issues.join(", ") }
        );
    }

    let count = days.len().max(1) as f64;
    let week = days.iter().fold(Nutrients::default(), |acc, (_, n)| acc + *n);
    let avg = week * (1.0 / count);
    let on_target = days.iter().filter(|(_, n)| status(n, &targets).is_empty()).count();
    println!("\n== Weekly summary ==");
    println!("average per day: {:.0} kcal ({:.0}% of target), protein {:.1} g, carbs {:.1} g, fat {:.1} g, fiber {:.1} g",
        avg.kcal, 100.0 * avg.kcal / targets.kcal, avg.protein, avg.carbs, avg.fat, avg.fiber);
    println!("days fully on target: {on_target}/{}", days.len());
    let macro_kcal = avg.protein * 4.0 + avg.carbs * 4.0 + avg.fat * 9.0;
    if macro_kcal > 0.0 {
        println!(
            "macro split: protein {:.0}% / carbs {:.0}% / fat {:.0}%",
            100.0 * avg.protein * 4.0 / macro_kcal,
            100.0 * avg.carbs * 4.0 / macro_kcal,
            100.0 * avg.fat * 9.0 / macro_kcal
        );
    }
    if let Some((date, n)) = days.iter().max_by(|a, b| a.1.kcal.total_cmp(&b.1.kcal)) {
        println!("highest intake: {} ({:.0} kcal)", date.format("%A"), n.kcal);
    }
    if let Some((date, n)) = days.iter().min_by(|a, b| a.1.kcal.total_cmp(&b.1.kcal)) {
        println!("lowest intake:  {} ({:.0} kcal)", date.format("%A"), n.kcal);
    }
    let weekend: f64 = days.iter().filter(|(d, _)| d.weekday().number_from_monday() >= 6).map(|(_, n)| n.kcal).sum();
    println!("weekend calories: {weekend:.0}");

    println!("\nCalories by meal:");
    for (meal, kcal) in meal_split(&log, &db) {
        let share = 100.0 * kcal / week.kcal.max(1.0);
        println!("  {:<10} {:>7.0} kcal {:>5.1}%  {}", format!("{meal:?}"), kcal, share, "#".repeat((share / 2.0) as usize));
    }

    println!("\nTop calorie sources:");
    for (food, kcal, times) in top_foods(&log, &db, 5) {
        println!("  {food:<15} {kcal:>7.0} kcal over {times} serving(s)");
    }
}
