use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use std::env;

const TEAM_NAMES: [&str; 16] = [
    "Falcons", "Wolves", "Titans", "Comets", "Rangers", "Vipers", "Storm", "Pirates",
    "Hornets", "Knights", "Raptors", "Dragons", "Owls", "Bisons", "Sharks", "Otters",
];

#[derive(Debug, Clone)]
struct Team {
    name: &'static str,
    seed: u32,
    rating: f64,
}

struct MatchOutcome {
    winner: Team,
    loser: Team,
    score: (u32, u32),
    favourite_prob: f64,
    upset: bool,
}

/// Elo-style expected score of `a` against `b`.
fn win_probability(rating_a: f64, rating_b: f64) -> f64 {
    1.0 / (1.0 + 10f64.powf((rating_b - rating_a) / 400.0))
}

/// Standard bracket order so that seed 1 and 2 can only meet in the final:
/// 1,16,8,9,4,13,5,12,2,15,7,10,3,14,6,11 for sixteen teams.
fn bracket_order(n: usize) -> Vec<u32> {
    let mut order = vec![1u32];
    while order.len() < n {
        let size = order.len() as u32 * 2;
        order = order.iter().flat_map(|&s| [s, size + 1 - s]).collect();
    }
    order
}

fn round_name(teams_left: usize) -> String {
    match teams_left {
        2 => "Final".to_string(),
        4 => "Semifinals".to_string(),
        8 => "Quarterfinals".to_string(),
        n => format!("Round of {}", n),
    }
}

fn play<R: Rng>(a: &Team, b: &Team, rng: &mut R) -> MatchOutcome {
    let p_a = win_probability(a.rating, b.rating);
    let a_wins = rng.gen_bool(p_a);
    let (winner, loser) = if a_wins {
        (a.clone(), b.clone())
    } else {
        (b.clone(), a.clone())
    };
    let winner_goals = rng.gen_range(1..=5);
    let loser_goals = rng.gen_range(0..winner_goals);
    let upset = winner.seed > loser.seed;
    MatchOutcome {
        winner,
        loser,
        score: (winner_goals, loser_goals),
        favourite_prob: p_a.max(1.0 - p_a),
        upset,
    }
}

fn run_tournament<R: Rng>(teams: &[Team], rng: &mut R, verbose: bool) -> Team {
    let order = bracket_order(teams.len());
    let mut alive: Vec<Team> = order
        .iter()
        .map(|&seed| teams[(seed - 1) as usize].clone())
        .collect();
    let mut upsets = 0;

    while alive.len() > 1 {
        if verbose {
            println!("\n=== {} ===", round_name(alive.len()));
        }
        let mut next = Vec::with_capacity(alive.len() / 2);
        for pair in alive.chunks(2) {
            let (a, b) = (&pair[0], &pair[1]);
            let result = play(a, b, rng);
            if result.upset {
                upsets += 1;
            }
            if verbose {
                let note = if result.upset {
                    format!(
                        "  UPSET! (favourite had {:.0}%)",
                        result.favourite_prob * 100.0
                    )
                } else {
                    String::new()
                };
                println!(
                    "  ({:>2}) {:<8} [{:>4.0}] vs ({:>2}) {:<8} [{:>4.0}] -> {} def. {} {}-{}{}",
                    a.seed,
                    a.name,
                    a.rating,
                    b.seed,
                    b.name,
                    b.rating,
                    result.winner.name,
                    result.loser.name,
                    result.score.0,
                    result.score.1,
                    note
                );
            }
            next.push(result.winner);
        }
        alive = next;
    }
    if verbose {
        println!("\nUpsets in this tournament: {}", upsets);
    }
    alive.pop().expect("a bracket always produces a champion")
}

fn main() {
    let seed: u64 = env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2024);
    let mut rng = StdRng::seed_from_u64(seed);

    // Random ratings, sorted so that the best-rated team gets seed 1.
    let mut ratings: Vec<f64> = (0..TEAM_NAMES.len())
        .map(|_| rng.gen_range(1350.0..1750.0))
        .collect();
    ratings.sort_by(|a, b| b.partial_cmp(a).expect("ratings are finite"));
    let teams: Vec<Team> = ratings
        .iter()
        .enumerate()
        .map(|(i, &rating)| Team {
            name: TEAM_NAMES[i],
            seed: i as u32 + 1,
            rating: rating.round(),
        })
        .collect();

    println!("Single-elimination tournament (random seed {})", seed);
    println!("\nSeedings:");
    for team in &teams {
        println!("  #{:<2} {:<8} rating {:.0}", team.seed, team.name, team.rating);
    }

    let champion = run_tournament(&teams, &mut rng, true);
    println!("Champion: ({}) {}", champion.seed, champion.name);

    // Monte Carlo estimate of each team's title chances.
    let runs = 10_000;
    let mut titles: HashMap<&'static str, u32> = HashMap::new();
    let mut sim_rng = StdRng::seed_from_u64(seed ^ 0xDEAD_BEEF);
    for _ in 0..runs {
        let winner = run_tournament(&teams, &mut sim_rng, false);
        *titles.entry(winner.name).or_insert(0) += 1;
    }
    let mut odds: Vec<(&Team, u32)> = teams
        .iter()
        .map(|t| (t, titles.get(t.name).copied().unwrap_or(0)))
        .collect();
    odds.sort_by(|a, b| b.1.cmp(&a.1));

    println!("\nTitle odds over {} simulated tournaments:", runs);
    for (team, wins) in odds.iter().take(8) {
        let pct = *wins as f64 / runs as f64 * 100.0;
        println!(
            "  ({:>2}) {:<8} {:>5.1}% {}",
            team.seed,
            team.name,
            pct,
            "#".repeat((pct / 2.0).round() as usize)
        );
    }
}
