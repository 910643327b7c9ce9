//! Football league table computed from CSV match results.
//!
//! Sorting rules: points, goal difference, goals scored, then a head-to-head
//! mini-league between the tied teams, and finally the team key.

use serde::Deserialize;
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::fmt::{self, Display};
use std::hash::Hash;
use std::ops::{Add, Sub};

/// Numeric type usable as a goal count (must be signed for goal difference).
pub trait Goals: Copy + Default + Ord + Display + Add<Output = Self> + Sub<Output = Self> {}
impl<T> Goals for T where T: Copy + Default + Ord + Display + Add<Output = T> + Sub<Output = T> {}

#[derive(Debug, Clone, Copy)]
pub struct PointsRules {
    pub win: u32,
    pub draw: u32,
    pub loss: u32,
}

impl Default for PointsRules {
    fn default() -> Self {
        PointsRules { win: 3, draw: 1, loss: 0 }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Row<V> {
    pub played: u32,
    pub won: u32,
    pub drawn: u32,
    pub lost: u32,
    pub goals_for: V,
    pub goals_against: V,
    pub points: u32,
}

impl<V: Goals> Row<V> {
    pub fn goal_difference(&self) -> V {
        self.goals_for - self.goals_against
    }

    fn apply(&mut self, scored: V, conceded: V, rules: &PointsRules) {
        self.played += 1;
        self.goals_for = self.goals_for + scored;
        self.goals_against = self.goals_against + conceded;
        match scored.cmp(&conceded) {
            Ordering::Greater => {
                self.won += 1;
                self.points += rules.win;
            }
            Ordering::Equal => {
                self.drawn += 1;
                self.points += rules.draw;
            }
            Ordering::Less => {
                self.lost += 1;
                self.points += rules.loss;
            }
        }
    }

    fn sort_key(&self) -> (u32, V, V) {
        (self.points, self.goal_difference(), self.goals_for)
    }
}

#[derive(Debug, Clone)]
pub struct MatchResult<K, V> {
    pub home: K,
    pub away: K,
    pub home_goals: V,
    pub away_goals: V,
}

pub struct Standing<'t, K, V> {
    pub team: K,
    pub row: &'t Row<V>,
    pub decided_by_h2h: bool,
}

/// A league table generic over the team key `K` and the goal type `V`.
pub struct LeagueTable<K, V> {
    name: String,
    rules: PointsRules,
    rows: HashMap<K, Row<V>>,
    matches: Vec<MatchResult<K, V>>,
}

impl<K, V> LeagueTable<K, V>
where
    K: Hash + Ord + Display + Clone,
    V: Goals,
{
    pub fn new(name: impl Into<String>, rules: PointsRules) -> Self {
        LeagueTable { name: name.into(), rules, rows: HashMap::new(), matches: Vec::new() }
    }

    pub fn add_team(&mut self, team: K) {
        self.rows.entry(team).or_default();
    }

    pub fn record(&mut self, home: K, away: K, home_goals: V, away_goals: V) -> Result<(), String> {
        if home == away {
            return Err(format!("{home} cannot play against itself"));
        }
        if home_goals < V::default() || away_goals < V::default() {
            return Err(format!("negative score in {home} v {away}"));
        }
        let rules = self.rules;
        self.rows.entry(home.clone()).or_default().apply(home_goals, away_goals, &rules);
        self.rows.entry(away.clone()).or_default().apply(away_goals, home_goals, &rules);
        self.matches.push(MatchResult { home, away, home_goals, away_goals });
        Ok(())
    }

    /// Mini-league restricted to matches played between members of `group`.
    fn head_to_head(&self, group: &[K]) -> HashMap<K, Row<V>> {
        let members: HashSet<&K> = group.iter().collect();
        let mut mini: HashMap<K, Row<V>> = group.iter().map(|k| (k.clone(), Row::default())).collect();
        for m in self.matches.iter().filter(|m| members.contains(&m.home) && members.contains(&m.away)) {
            if let Some(r) = mini.get_mut(&m.home) {
                r.apply(m.home_goals, m.away_goals, &self.rules);
            }
            if let Some(r) = mini.get_mut(&m.away) {
                r.apply(m.away_goals, m.home_goals, &self.rules);
            }
        }
        mini
    }

    pub fn standings(&self) -> Vec<Standing<'_, K, V>> {
        let primary = |k: &K| self.rows[k].sort_key();
        let mut order: Vec<&K> = self.rows.keys().collect();
        order.sort_by(|a, b| primary(*b).cmp(&primary(*a)).then_with(|| a.cmp(b)));

        let mut h2h = vec![false; order.len()];
        let mut i = 0;
        while i < order.len() {
            let key = primary(order[i]);
            let mut j = i + 1;
            while j < order.len() && primary(order[j]) == key {
                j += 1;
            }
            if j - i > 1 {
                let group: Vec<K> = order[i..j].iter().map(|k| (*k).clone()).collect();
                let mini = self.head_to_head(&group);
                order[i..j].sort_by(|a, b| {
                    mini[*b].sort_key().cmp(&mini[*a].sort_key()).then_with(|| a.cmp(b))
                });
                for flag in &mut h2h[i..j] {
                    *flag = true;
                }
            }
            i = j;
        }

        order
            .into_iter()
            .zip(h2h)
            .map(|(k, decided_by_h2h)| Standing { team: k.clone(), row: &self.rows[k], decided_by_h2h })
            .collect()
    }

    pub fn match_count(&self) -> usize {
        self.matches.len()
    }
}

impl<K, V> Display for LeagueTable<K, V>
where
    K: Hash + Ord + Display + Clone,
    V: Goals,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} ({} matches)", self.name, self.match_count())?;
        writeln!(
            f,
            "{:>3}  {:<22}{:>4}{:>4}{:>4}{:>4}{:>5}{:>5}{:>6}{:>5}",
            "Pos", "Team", "P", "W", "D", "L", "GF", "GA", "GD", "Pts"
        )?;
        writeln!(f, "{}", "-".repeat(62))?;
        for (pos, s) in self.standings().iter().enumerate() {
            let gd = s.row.goal_difference();
            let gd_text = if gd > V::default() { format!("+{gd}") } else { gd.to_string() };
            let team = format!("{}{}", s.team, if s.decided_by_h2h { " *" } else { "" });
            writeln!(
                f,
                "{:>3}  {:<22}{:>4}{:>4}{:>4}{:>4}{:>5}{:>5}{:>6}{:>5}",
                pos + 1,
                team,
                s.row.played,
                s.row.won,
                s.row.drawn,
                s.row.lost,
                s.row.goals_for.to_string(),
                s.row.goals_against.to_string(),
                gd_text,
                s.row.points
            )?;
        }
        write!(f, "(* = order decided by head-to-head / key after a tie on Pts, GD and GF)")
    }
}

#[derive(Debug, Deserialize)]
struct CsvMatch {
    date: String,
    home: String,
    away: String,
    home_goals: i32,
    away_goals: i32,
}

fn load_csv(data: &str) -> Result<Vec<CsvMatch>, csv::Error> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(data.as_bytes());
    reader.deserialize::<CsvMatch>().collect()
}

const RESULTS_CSV: &str = "\
date,home,away,home_goals,away_goals
2024-08-10, Ashford United,   Brampton City,    2, 1
2024-08-10, Carlow Rovers,    Dunmore Athletic, 1, 0
2024-08-17, Ashford United,   Carlow Rovers,    0, 1
2024-08-17, Brampton City,    Dunmore Athletic, 1, 0
2024-08-24, Dunmore Athletic, Ashford United,   0, 2
2024-08-24, Brampton City,    Carlow Rovers,    2, 0
2024-08-31, Dunmore Athletic, Dunmore Athletic, 1, 1
";

fn main() {
    let matches = match load_csv(RESULTS_CSV) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("could not parse results: {e}");
            std::process::exit(1);
        }
    };

    let mut table: LeagueTable<String, i32> = LeagueTable::new("Southern Counties League", PointsRules::default());
    for m in matches {
        println!("{}  {:>18} {} - {} {}", m.date, m.home, m.home_goals, m.away_goals, m.away);
        if let Err(e) = table.record(m.home.clone(), m.away.clone(), m.home_goals, m.away_goals) {
            println!("            skipped invalid result: {e}");
        }
    }
    table.add_team("Eastwick Town".to_string()); // registered but yet to play
    println!("\n{table}\n");

    // The same structure with numeric team ids and 64-bit goals: a three-way
    // cycle where even the head-to-head mini league is level.
    let mut cup: LeagueTable<u32, i64> = LeagueTable::new("Group C (team ids)", PointsRules::default());
    let results: [(u32, u32, i64, i64); 6] = [(1, 2, 1, 0), (2, 3, 1, 0), (3, 1, 1, 0), (1, 4, 0, 0), (2, 4, 0, 0), (3, 4, 0, 0)];
    for (h, a, hg, ag) in results {
        cup.record(h, a, hg, ag).expect("valid result");
    }
    println!("{cup}");
}
