//! matrix-path: count monotone paths (right/down) through a grid with
//! obstacles and find a minimal-cost path using dynamic programming.
//!
//! Usage: matrix-path [GRID_FILE]
//! The grid file has whitespace-separated cell costs per row; `#` is a wall.

use anyhow::Context;
use std::fmt;
use thiserror::Error;

#[derive(Debug, Error)]
enum GridError {
    #[error("grid is empty")]
    Empty,
    #[error("row {row} has {found} cells, expected {expected}")]
    RaggedRow { row: usize, expected: usize, found: usize },
    #[error("invalid cell '{token}' at row {row}, column {col}")]
    InvalidCell { row: usize, col: usize, token: String },
    #[error("negative cost {cost} at row {row}, column {col}")]
    NegativeCost { row: usize, col: usize, cost: i64 },
    #[error("{which} cell ({row}, {col}) is blocked")]
    BlockedEndpoint { which: &'static str, row: usize, col: usize },
    #[error("no path from start to finish")]
    NoPath,
    #[error("path count overflowed u128")]
    Overflow,
    #[error("builder: {0}")]
    Builder(String),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Cell {
    Cost(i64),
    Wall,
}

#[derive(Debug, Clone)]
struct Grid {
    cells: Vec<Vec<Cell>>,
    allow_diagonal: bool,
}

#[derive(Debug, Default)]
struct GridBuilder {
    text: Option<String>,
    rows: Vec<Vec<Cell>>,
    allow_diagonal: bool,
    wall_marker: Option<char>,
}

impl GridBuilder {
    fn new() -> Self {
        GridBuilder { wall_marker: Some('#'), ..Default::default() }
    }
    fn from_text(mut self, text: &str) -> Self {
        self.text = Some(text.to_string());
        self
    }
    fn row(mut self, costs: &[i64]) -> Self {
        self.rows.push(costs.iter().map(|&c| Cell::Cost(c)).collect());
        self
    }
    fn diagonal(mut self, allow: bool) -> Self {
        self.allow_diagonal = allow;
        self
    }
    fn wall_marker(mut self, c: char) -> Self {
        self.wall_marker = Some(c);
        self
    }
    fn build(self) -> Result<Grid, GridError> {
        let cells = match (&self.text, self.rows.is_empty()) {
            (Some(_), false) => return Err(GridError::Builder("use either from_text or row, not both".into())),
            (Some(text), true) => parse_grid(text, self.wall_marker)?,
            (None, _) => self.rows,
        };
        validate(&cells)?;
        Ok(Grid { cells, allow_diagonal: self.allow_diagonal })
    }
}

fn parse_cell(token: &str, row: usize, col: usize, wall: Option<char>) -> Result<Cell, GridError> {
    if wall.map_or(false, |w| token.len() == 1 && token.starts_with(w)) {
        return Ok(Cell::Wall);
    }
    let cost: i64 = token.parse().map_err(|_| GridError::InvalidCell { row, col, token: token.to_string() })?;
    if cost < 0 {
        return Err(GridError::NegativeCost { row, col, cost });
    }
    Ok(Cell::Cost(cost))
}

fn parse_row(line: &str, row: usize, wall: Option<char>) -> Result<Vec<Cell>, GridError> {
    line.split_whitespace().enumerate().map(|(col, tok)| parse_cell(tok, row, col, wall)).collect()
}

fn parse_grid(text: &str, wall: Option<char>) -> Result<Vec<Vec<Cell>>, GridError> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("//"))
        .enumerate()
        .map(|(row, line)| parse_row(line, row, wall))
        .collect()
}

fn validate(cells: &[Vec<Cell>]) -> Result<(), GridError> {
    let width = cells.first().map(Vec::len).filter(|&w| w > 0).ok_or(GridError::Empty)?;
    for (row, r) in cells.iter().enumerate() {
        if r.len() != width {
            return Err(GridError::RaggedRow { row, expected: width, found: r.len() });
        }
    }
    let (last_r, last_c) = (cells.len() - 1, width - 1);
    if cells[0][0] == Cell::Wall {
        return Err(GridError::BlockedEndpoint { which: "start", row: 0, col: 0 });
    }
    if cells[last_r][last_c] == Cell::Wall {
        return Err(GridError::BlockedEndpoint { which: "finish", row: last_r, col: last_c });
    }
    Ok(())
}

#[derive(Debug)]
struct Solution {
    cost: i64,
    path: Vec<(usize, usize)>,
}

impl Grid {
    fn rows(&self) -> usize {
        self.cells.len()
    }
    fn cols(&self) -> usize {
        self.cells[0].len()
    }

    fn predecessors(&self, r: usize, c: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        let up = (r > 0).then(|| (r - 1, c));
        let left = (c > 0).then(|| (r, c - 1));
        let diag = (self.allow_diagonal && r > 0 && c > 0).then(|| (r - 1, c - 1));
        [up, left, diag].into_iter().flatten()
    }

    fn count_paths(&self) -> Result<u128, GridError> {
        let mut ways = vec![vec![0u128; self.cols()]; self.rows()];
        ways[0][0] = 1;
        for r in 0..self.rows() {
            for c in 0..self.cols() {
                if (r, c) == (0, 0) || self.cells[r][c] == Cell::Wall {
                    continue;
                }
                let mut total: u128 = 0;
                for (pr, pc) in self.predecessors(r, c) {
                    total = total.checked_add(ways[pr][pc]).ok_or(GridError::Overflow)?;
                }
                ways[r][c] = total;
            }
        }
        Ok(ways[self.rows() - 1][self.cols() - 1])
    }

    fn min_cost_path(&self) -> Result<Solution, GridError> {
        let (rows, cols) = (self.rows(), self.cols());
        let mut best: Vec<Vec<Option<i64>>> = vec![vec![None; cols]; rows];
        let mut from: Vec<Vec<Option<(usize, usize)>>> = vec![vec![None; cols]; rows];
        for r in 0..rows {
            for c in 0..cols {
                let Cell::Cost(cost) = self.cells[r][c] else { continue };
                if (r, c) == (0, 0) {
                    best[0][0] = Some(cost);
                    continue;
                }
                let choice = self
                    .predecessors(r, c)
                    .filter_map(|(pr, pc)| best[pr][pc].map(|b| (b, (pr, pc))))
                    .min_by_key(|&(b, _)| b);
                if let Some((b, prev)) = choice {
                    best[r][c] = Some(b + cost);
                    from[r][c] = Some(prev);
                }
            }
        }
        let cost = best[rows - 1][cols - 1].ok_or(GridError::NoPath)?;
        let mut path = vec![(rows - 1, cols - 1)];
        while let Some(prev) = from[path.last().unwrap().0][path.last().unwrap().1] {
            path.push(prev);
        }
        path.reverse();
        Ok(Solution { cost, path })
    }

    fn render(&self, path: &[(usize, usize)]) -> String {
        let mut out = String::new();
        for (r, row) in self.cells.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let on_path = path.contains(&(r, c));
                let s = match cell {
                    Cell::Wall => "  ##".to_string(),
                    Cell::Cost(v) if on_path => format!(" [{v}]"),
                    Cell::Cost(v) => format!("  {v} "),
                };
                out.push_str(&s);
            }
            out.push('\n');
        }
        out
    }
}

impl fmt::Display for Solution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let steps: Vec<String> = self.path.iter().map(|(r, c)| format!("({r},{c})")).collect();
        write!(f, "cost {} via {} steps: {}", self.cost, self.path.len() - 1, steps.join(" -> "))
    }
}

fn solve_and_print(name: &str, grid: &Grid) -> anyhow::Result<()> {
    println!("== {name} ({}x{}, diagonal moves: {}) ==", grid.rows(), grid.cols(), grid.allow_diagonal);
    let count = grid.count_paths().with_context(|| format!("counting paths in {name}"))?;
    println!("distinct paths: {count}");
    let solution = grid.min_cost_path().with_context(|| format!("solving {name}"))?;
    println!("{solution}");
    print!("{}", grid.render(&solution.path));
    println!();
    Ok(())
}

const SAMPLE: &str = "
1 3 1 2 8
1 5 # 1 1
4 2 1 # 1
# 9 1 1 1
3 1 7 2 1
";

fn main() -> anyhow::Result<()> {
    let text = match std::env::args().nth(1) {
        Some(path) => std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?,
        None => SAMPLE.to_string(),
    };

    let grid = GridBuilder::new().from_text(&text).build().context("building grid from text")?;
    solve_and_print("text grid", &grid)?;

    let diag = GridBuilder::new().from_text(&text).diagonal(true).build()?;
    solve_and_print("text grid with diagonals", &diag)?;

    let classic = GridBuilder::new().row(&[1, 3, 1]).row(&[1, 5, 1]).row(&[4, 2, 1]).build()?;
    solve_and_print("classic 3x3", &classic)?;

    let big = (0..60).fold(GridBuilder::new(), |b, r| b.row(&(0..60).map(|c| ((r * 7 + c * 13) % 10) as i64).collect::<Vec<_>>())).build()?;
    match big.count_paths() {
        Ok(n) => println!("60x60 open grid: {n} paths"),
        Err(e) => println!("60x60 open grid: {e}"),
    }
    let big_solution = big.min_cost_path()?;
    println!("60x60 minimal cost: {}\n", big_solution.cost);

    println!("== error handling ==");
    let bad_inputs = [
        ("ragged", "1 2 3\n4 5\n"),
        ("bad token", "1 2\n3 x\n"),
        ("negative", "1 -2\n3 4\n"),
        ("blocked start", "# 1\n1 1\n"),
        ("walled off", "1 #\n# 1\n"),
        ("empty", "\n\n"),
    ];
    for (name, input) in bad_inputs {
        let result = GridBuilder::new()
            .wall_marker('#')
            .from_text(input)
            .build()
            .map_err(anyhow::Error::from)
            .and_then(|g| g.min_cost_path().map_err(anyhow::Error::from));
        match result {
            Ok(s) => println!("  {name:<14} unexpectedly solved: {s}"),
            Err(e) => println!("  {name:<14} {e:#}"),
        }
    }
    let both = GridBuilder::new().from_text("1").row(&[1]).build();
    if let Err(e) = both {
        println!("  {:<14} {e}", "builder misuse");
    }
    Ok(())
}
