use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::env;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cell {
    Empty,
    X,
    O,
}

impl Cell {
    fn other(self) -> Cell {
        match self {
            Cell::X => Cell::O,
            Cell::O => Cell::X,
            Cell::Empty => Cell::Empty,
        }
    }
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = match self {
            Cell::Empty => '.',
            Cell::X => 'X',
            Cell::O => 'O',
        };
        write!(f, "{}", c)
    }
}

type Board = [Cell; 9];

const LINES: [[usize; 3]; 8] = [
    [0, 1, 2],
    [3, 4, 5],
    [6, 7, 8],
    [0, 3, 6],
    [1, 4, 7],
    [2, 5, 8],
    [0, 4, 8],
    [2, 4, 6],
];

fn winner(b: &Board) -> Option<Cell> {
    LINES.iter().find_map(|&[x, y, z]| {
        if b[x] != Cell::Empty && b[x] == b[y] && b[y] == b[z] {
            Some(b[x])
        } else {
            None
        }
    })
}

fn is_full(b: &Board) -> bool {
    b.iter().all(|&c| c != Cell::Empty)
}

/// Minimax with alpha-beta pruning. Scores are from the AI's point of view;
/// quicker wins and slower losses are preferred via the depth term.
fn minimax(b: &mut Board, to_move: Cell, ai: Cell, depth: i32, mut alpha: i32, mut beta: i32, nodes: &mut u64) -> i32 {
    *nodes += 1;
    if let Some(w) = winner(b) {
        return if w == ai { 10 - depth } else { depth - 10 };
    }
    if is_full(b) {
        return 0;
    }
    let maximizing = to_move == ai;
    let mut best = if maximizing { i32::MIN } else { i32::MAX };
    for i in 0..9 {
        if b[i] != Cell::Empty {
            continue;
        }
        b[i] = to_move;
        let score = minimax(b, to_move.other(), ai, depth + 1, alpha, beta, nodes);
        b[i] = Cell::Empty;
        if maximizing {
            best = best.max(score);
            alpha = alpha.max(score);
        } else {
            best = best.min(score);
            beta = beta.min(score);
        }
        if beta <= alpha {
            break;
        }
    }
    best
}

fn best_move(board: &Board, ai: Cell, nodes: &mut u64) -> usize {
    let mut b = *board;
    let mut best: Option<(i32, usize)> = None;
    for i in 0..9 {
        if b[i] != Cell::Empty {
            continue;
        }
        b[i] = ai;
        let score = minimax(&mut b, ai.other(), ai, 1, i32::MIN, i32::MAX, nodes);
        b[i] = Cell::Empty;
        if best.map_or(true, |(s, _)| score > s) {
            best = Some((score, i));
        }
    }
    best.map(|(_, i)| i).expect("called with at least one free cell")
}

fn print_board(b: &Board) {
    for row in 0..3 {
        println!("   {} | {} | {}", b[row * 3], b[row * 3 + 1], b[row * 3 + 2]);
        if row < 2 {
            println!("  ---+---+---");
        }
    }
}

/// Plays one game (X always moves first) and returns the winner, if any.
fn play_game<R: Rng>(ai: Cell, rng: &mut R, nodes: &mut u64, verbose: bool) -> Option<Cell> {
    let mut board: Board = [Cell::Empty; 9];
    let mut player = Cell::X;
    loop {
        if let Some(w) = winner(&board) {
            return Some(w);
        }
        if is_full(&board) {
            return None;
        }
        let mv = if player == ai {
            best_move(&board, ai, nodes)
        } else {
            let free: Vec<usize> = (0..9).filter(|&i| board[i] == Cell::Empty).collect();
            *free.choose(rng).expect("board not full")
        };
        board[mv] = player;
        if verbose {
            let who = if player == ai { "AI" } else { "random" };
            println!("{} ({}) takes square {}:", player, who, mv);
            print_board(&board);
            println!();
        }
        player = player.other();
    }
}

#[derive(Default)]
struct Tally {
    ai_wins: u32,
    random_wins: u32,
    draws: u32,
}

impl Tally {
    fn record(&mut self, result: Option<Cell>, ai: Cell) {
        match result {
            Some(w) if w == ai => self.ai_wins += 1,
            Some(_) => self.random_wins += 1,
            None => self.draws += 1,
        }
    }

    fn games(&self) -> u32 {
        self.ai_wins + self.random_wins + self.draws
    }
}

fn main() {
    let seed: u64 = env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| rand::thread_rng().gen());
    let games = 100;
    let mut rng = StdRng::seed_from_u64(seed);
    let mut nodes = 0u64;

    println!("Sample game (AI plays O, random player moves first):\n");
    let sample = play_game(Cell::O, &mut rng, &mut nodes, true);
    match sample {
        Some(w) => println!("=> {} wins\n", w),
        None => println!("=> draw\n"),
    }

    let mut ai_first = Tally::default();
    let mut ai_second = Tally::default();
    for game in 0..games {
        // Alternate who starts: the AI is X (first) in even games.
        let ai = if game % 2 == 0 { Cell::X } else { Cell::O };
        let result = play_game(ai, &mut rng, &mut nodes, false);
        if ai == Cell::X {
            ai_first.record(result, ai);
        } else {
            ai_second.record(result, ai);
        }
    }

    println!("Results over {} games (seed {}):", games, seed);
    println!("{:<18} {:>6} {:>8} {:>6}", "", "AI won", "rnd won", "draws");
    for (label, t) in [("AI moves first", &ai_first), ("AI moves second", &ai_second)] {
        println!("{:<18} {:>6} {:>8} {:>6}", label, t.ai_wins, t.random_wins, t.draws);
    }
    let total_ai = ai_first.ai_wins + ai_second.ai_wins;
    let total_draws = ai_first.draws + ai_second.draws;
    let total_losses = ai_first.random_wins + ai_second.random_wins;
    let total = ai_first.games() + ai_second.games();
    println!(
        "{:<18} {:>6} {:>8} {:>6}",
        "total", total_ai, total_losses, total_draws
    );
    println!(
        "AI win rate {:.0}%, draw rate {:.0}%, loss rate {:.0}%",
        total_ai as f64 * 100.0 / total as f64,
        total_draws as f64 * 100.0 / total as f64,
        total_losses as f64 * 100.0 / total as f64
    );
    println!("minimax visited {} positions in total", nodes);
    assert_eq!(total_losses, 0, "a perfect minimax player never loses");
}
