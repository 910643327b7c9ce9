use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::env;
use std::fs::File;
use std::io::Read;

#[derive(Debug, Deserialize)]
struct Row {
    user: String,
    movie: String,
    rating: f64,
}

struct Ratings {
    by_user: BTreeMap<String, HashMap<String, f64>>,
    by_movie: BTreeMap<String, HashMap<String, f64>>,
}

fn load<R: Read>(reader: R) -> Result<Ratings> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(reader);
    let mut ratings = Ratings {
        by_user: BTreeMap::new(),
        by_movie: BTreeMap::new(),
    };
    for (i, record) in rdr.deserialize::<Row>().enumerate() {
        let line = i + 2;
        let row = record.with_context(|| format!("line {}: malformed record", line))?;
        if !(0.5..=5.0).contains(&row.rating) {
            bail!("line {}: rating {} is outside 0.5-5.0", line, row.rating);
        }
        ratings
            .by_user
            .entry(row.user.clone())
            .or_default()
            .insert(row.movie.clone(), row.rating);
        ratings
            .by_movie
            .entry(row.movie)
            .or_default()
            .insert(row.user, row.rating);
    }
    Ok(ratings)
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 {
        0.0
    } else {
        sum / n as f64
    }
}

impl Ratings {
    fn user_mean(&self, user: &str) -> f64 {
        self.by_user
            .get(user)
            .map(|r| mean(r.values().copied()))
            .unwrap_or(0.0)
    }

    /// Pearson correlation over co-rated movies, damped when the overlap is small.
    fn similarity(&self, a: &str, b: &str) -> Option<(f64, usize)> {
        let ra = self.by_user.get(a)?;
        let rb = self.by_user.get(b)?;
        let common: Vec<&String> = ra.keys().filter(|m| rb.contains_key(*m)).collect();
        if common.len() < 2 {
            return None;
        }
        let ma = mean(common.iter().map(|m| ra[*m]));
        let mb = mean(common.iter().map(|m| rb[*m]));
        let (mut num, mut da, mut db) = (0.0, 0.0, 0.0);
        for m in &common {
            let x = ra[*m] - ma;
            let y = rb[*m] - mb;
            num += x * y;
            da += x * x;
            db += y * y;
        }
        if da == 0.0 || db == 0.0 {
            return Some((0.0, common.len()));
        }
        let pearson = num / (da.sqrt() * db.sqrt());
        let damping = common.len().min(4) as f64 / 4.0;
        Some((pearson * damping, common.len()))
    }

    fn neighbours(&self, user: &str, k: usize) -> Vec<(String, f64, usize)> {
        let mut sims: Vec<(String, f64, usize)> = self
            .by_user
            .keys()
            .filter(|u| u.as_str() != user)
            .filter_map(|u| self.similarity(user, u).map(|(s, n)| (u.clone(), s, n)))
            .collect();
        sims.sort_by(|a, b| b.1.partial_cmp(&a.1).expect("finite similarity"));
        sims.truncate(k);
        sims
    }

    /// Predicts ratings for unseen movies from positively correlated neighbours
    /// (mean-centred weighted average) and returns the best ones.
    fn recommend(&self, user: &str, k: usize, n: usize) -> Vec<(String, f64, usize)> {
        let seen = match self.by_user.get(user) {
            Some(s) => s,
            None => return Vec::new(),
        };
        let base = self.user_mean(user);
        let mut scores: HashMap<&str, (f64, f64, usize)> = HashMap::new();
        for (other, sim, _) in self.neighbours(user, k) {
            if sim <= 0.0 {
                continue;
            }
            let other_mean = self.user_mean(&other);
            for (movie, &rating) in &self.by_user[other.as_str()] {
                if seen.contains_key(movie) {
                    continue;
                }
                let entry = scores.entry(movie.as_str()).or_insert((0.0, 0.0, 0));
                entry.0 += sim * (rating - other_mean);
                entry.1 += sim;
                entry.2 += 1;
            }
        }
        let mut recs: Vec<(String, f64, usize)> = scores
            .into_iter()
            .map(|(movie, (weighted, weights, count))| {
                (movie.to_string(), (base + weighted / weights).clamp(0.5, 5.0), count)
            })
            .collect();
        recs.sort_by(|a, b| {
            b.1.partial_cmp(&a.1)
                .expect("finite prediction")
                .then_with(|| a.0.cmp(&b.0))
        });
        recs.truncate(n);
        recs
    }
}

const SAMPLE_CSV: &str = "\
user,movie,rating
alice,The Matrix,5
alice,Inception,4.5
alice,Interstellar,5
alice,Titanic,2
alice,Toy Story,3.5
bob,The Matrix,4.5
bob,Inception,5
bob,Interstellar,4.5
bob,Blade Runner,5
bob,Titanic,1.5
bob,Up,3
carol,Titanic,5
carol,The Notebook,5
carol,Pride and Prejudice,4.5
carol,Toy Story,4
carol,The Matrix,2
dave,Toy Story,5
dave,Finding Nemo,4.5
dave,Up,5
dave,Inception,3.5
dave,The Notebook,3
erin,The Matrix,4
erin,Blade Runner,4.5
erin,Interstellar,4
erin,Titanic,2.5
erin,Finding Nemo,3
frank,Titanic,4.5
frank,The Notebook,4
frank,Pride and Prejudice,5
frank,Up,4
frank,Inception,2
grace,Toy Story,4.5
grace,Finding Nemo,5
grace,Up,4.5
grace,The Matrix,3
heidi,Inception,4
heidi,Interstellar,5
heidi,Blade Runner,4
heidi,The Matrix,5
";

fn stars(avg: f64) -> String {
    let full = avg.round() as usize;
    format!("{}{}", "★".repeat(full), "☆".repeat(5 - full.min(5)))
}

fn main() -> Result<()> {
    let ratings = match env::args().nth(1) {
        Some(path) => {
            let file = File::open(&path).with_context(|| format!("opening {}", path))?;
            load(file)?
        }
        None => {
            println!("(no CSV given, using built-in sample data)\n");
            load(SAMPLE_CSV.as_bytes())?
        }
    };

    println!("Average rating per movie:");
    let mut movies: Vec<(&String, f64, usize)> = ratings
        .by_movie
        .iter()
        .map(|(m, r)| (m, mean(r.values().copied()), r.len()))
        .collect();
    movies.sort_by(|a, b| b.1.partial_cmp(&a.1).expect("finite").then_with(|| a.0.cmp(b.0)));
    for (movie, avg, count) in &movies {
        println!("  {:<22} {:.2} {} ({} ratings)", movie, avg, stars(*avg), count);
    }

    println!("\nAverage rating per user:");
    for (user, r) in &ratings.by_user {
        println!("  {:<8} {:.2} over {} movies", user, mean(r.values().copied()), r.len());
    }

    for user in ["alice", "dave", "frank"] {
        println!("\nUsers most similar to {}:", user);
        for (other, sim, overlap) in ratings.neighbours(user, 3) {
            println!("  {:<8} similarity {:+.2} ({} movies in common)", other, sim, overlap);
        }
        let recs = ratings.recommend(user, 3, 3);
        if recs.is_empty() {
            println!("  no recommendations for {}", user);
        } else {
            println!("  recommended for {}:", user);
            for (movie, predicted, support) in recs {
                println!(
                    "    {:<22} predicted {:.2} (from {} neighbour(s))",
                    movie, predicted, support
                );
            }
        }
    }
    Ok(())
}
