use std::env;
use std::fmt;
use std::time::Instant;

type Grid = [u8; 81];

#[derive(Debug)]
enum PuzzleError {
    WrongLength(usize),
    InvalidChar(char, usize),
    Conflict { digit: u8, unit: String },
}

impl fmt::Display for PuzzleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PuzzleError::WrongLength(n) => write!(f, "expected 81 cells, got {}", n),
            PuzzleError::InvalidChar(c, i) => write!(f, "invalid character {:?} at position {}", c, i),
            PuzzleError::Conflict { digit, unit } => write!(f, "digit {} appears twice in {}", digit, unit),
        }
    }
}

fn parse(s: &str) -> Result<Grid, PuzzleError> {
    let chars: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
    if chars.len() != 81 {
        return Err(PuzzleError::WrongLength(chars.len()));
    }
    let mut grid = [0u8; 81];
    for (i, &c) in chars.iter().enumerate() {
        grid[i] = match c {
            '1'..='9' => c as u8 - b'0',
            '0' | '.' | '_' => 0,
            other => return Err(PuzzleError::InvalidChar(other, i)),
        };
    }
    Ok(grid)
}

/// Bitmask (bits 1..=9) of digits that may go in cell `idx`.
fn candidates(g: &Grid, idx: usize) -> u16 {
    let (r, c) = (idx / 9, idx % 9);
    let mut used = 0u16;
    for i in 0..9 {
        used |= 1 << g[r * 9 + i];
        used |= 1 << g[i * 9 + c];
    }
    let (br, bc) = (r / 3 * 3, c / 3 * 3);
    for dr in 0..3 {
        for dc in 0..3 {
            used |= 1 << g[(br + dr) * 9 + bc + dc];
        }
    }
    !used & 0b11_1111_1110
}

struct Solver {
    units: Vec<[usize; 9]>,
    unit_names: Vec<String>,
    nodes: u64,
    guesses: u64,
}

impl Solver {
    fn new() -> Self {
        let mut units = Vec::with_capacity(27);
        let mut unit_names = Vec::with_capacity(27);
        for r in 0..9 {
            let mut unit = [0; 9];
            for (c, cell) in unit.iter_mut().enumerate() {
                *cell = r * 9 + c;
            }
            units.push(unit);
            unit_names.push(format!("row {}", r + 1));
        }
        for c in 0..9 {
            let mut unit = [0; 9];
            for (r, cell) in unit.iter_mut().enumerate() {
                *cell = r * 9 + c;
            }
            units.push(unit);
            unit_names.push(format!("column {}", c + 1));
        }
        for b in 0..9 {
            let (br, bc) = (b / 3 * 3, b % 3 * 3);
            let mut unit = [0; 9];
            for (i, cell) in unit.iter_mut().enumerate() {
                *cell = (br + i / 3) * 9 + bc + i % 3;
            }
            units.push(unit);
            unit_names.push(format!("box {}", b + 1));
        }
        Solver {
            units,
            unit_names,
            nodes: 0,
            guesses: 0,
        }
    }

    fn check_givens(&self, g: &Grid) -> Result<(), PuzzleError> {
        for (unit, name) in self.units.iter().zip(&self.unit_names) {
            let mut seen = 0u16;
            for &i in unit {
                let d = g[i];
                if d == 0 {
                    continue;
                }
                if seen & (1 << d) != 0 {
                    return Err(PuzzleError::Conflict {
                        digit: d,
                        unit: name.clone(),
                    });
                }
                seen |= 1 << d;
            }
        }
        Ok(())
    }

    /// Applies naked singles and hidden singles until nothing changes.
    /// Returns false if a contradiction was found.
    fn propagate(&self, g: &mut Grid) -> bool {
        loop {
            let mut progress = false;
            for i in 0..81 {
                if g[i] != 0 {
                    continue;
                }
                let c = candidates(g, i);
                if c == 0 {
                    return false;
                }
                if c.count_ones() == 1 {
                    g[i] = c.trailing_zeros() as u8;
                    progress = true;
                }
            }
            for unit in &self.units {
                for d in 1..=9u8 {
                    if unit.iter().any(|&i| g[i] == d) {
                        continue;
                    }
                    let mut spot = None;
                    let mut count = 0;
                    for &i in unit {
                        if g[i] == 0 && candidates(g, i) & (1 << d) != 0 {
                            count += 1;
                            spot = Some(i);
                        }
                    }
                    match (count, spot) {
                        (0, _) => return false,
                        (1, Some(i)) => {
                            g[i] = d;
                            progress = true;
                        }
                        _ => {}
                    }
                }
            }
            if !progress {
                return true;
            }
        }
    }

    /// Depth-first search on the cell with the fewest candidates.
    fn search(&mut self, mut g: Grid) -> Option<Grid> {
        self.nodes += 1;
        if !self.propagate(&mut g) {
            return None;
        }
        let mut best: Option<(usize, u16)> = None;
        for i in 0..81 {
            if g[i] != 0 {
                continue;
            }
            let c = candidates(&g, i);
            if best.map_or(true, |(_, b)| c.count_ones() < b.count_ones()) {
                best = Some((i, c));
                if c.count_ones() == 2 {
                    break;
                }
            }
        }
        let (idx, cands) = match best {
            Some(b) => b,
            None => return Some(g), // no empty cell left: solved
        };
        for d in 1..=9u8 {
            if cands & (1 << d) != 0 {
                self.guesses += 1;
                let mut next = g;
                next[idx] = d;
                if let Some(solution) = self.search(next) {
                    return Some(solution);
                }
            }
        }
        None
    }

    fn solve(&mut self, g: &Grid) -> Result<Option<Grid>, PuzzleError> {
        self.check_givens(g)?;
        self.nodes = 0;
        self.guesses = 0;
        Ok(self.search(*g))
    }

    fn is_valid_solution(&self, g: &Grid) -> bool {
        self.units.iter().all(|unit| {
            let mask = unit.iter().fold(0u16, |m, &i| m | (1 << g[i]));
            mask == 0b11_1111_1110
        })
    }
}

fn print_grid(g: &Grid) {
    for r in 0..9 {
        if r % 3 == 0 {
            println!("+-------+-------+-------+");
        }
        let mut line = String::new();
        for c in 0..9 {
            if c % 3 == 0 {
                line.push_str("| ");
            }
            let v = g[r * 9 + c];
            line.push(if v == 0 { '.' } else { (b'0' + v) as char });
            line.push(' ');
        }
        line.push('|');
        println!("{}", line);
    }
    println!("+-------+-------+-------+");
}

fn main() {
    let puzzles: Vec<(String, String)> = match env::args().nth(1) {
        Some(p) => vec![("command line".to_string(), p)],
        None => vec![
            (
                "classic".to_string(),
                [
                    "53..7....", "6..195...", ".98....6.", "8...6...3", "4..8.3..1",
                    "7...2...6", ".6....28.", "...419..5", "....8..79",
                ]
                .concat(),
            ),
            (
                "hard (Inkala)".to_string(),
                [
                    "8........", "..36.....", ".7..9.2..", ".5...7...", "....457..",
                    "...1...3.", "..1....68", "..85...1.", ".9....4..",
                ]
                .concat(),
            ),
            (
                "invalid (two 5s in row 1)".to_string(),
                format!("55{}", ".".repeat(79)),
            ),
            ("too short".to_string(), "123".to_string()),
        ],
    };

    let mut solver = Solver::new();
    for (name, text) in puzzles {
        println!("== {} ==", name);
        let grid = match parse(&text) {
            Ok(g) => g,
            Err(e) => {
                println!("cannot parse puzzle: {}\n", e);
                continue;
            }
        };
        print_grid(&grid);
        let started = Instant::now();
        match solver.solve(&grid) {
            Ok(Some(solution)) => {
                println!(
                    "solved in {:?} ({} search nodes, {} guesses):",
                    started.elapsed(),
                    solver.nodes,
                    solver.guesses
                );
                print_grid(&solution);
                assert!(solver.is_valid_solution(&solution));
                let givens_kept = (0..81).all(|i| grid[i] == 0 || grid[i] == solution[i]);
                assert!(givens_kept);
                let line: String = solution.iter().map(|d| (b'0' + d) as char).collect();
                println!("{}\n", line);
            }
            Ok(None) => println!("no solution exists\n"),
            Err(e) => println!("invalid puzzle: {}\n", e),
        }
    }
}
