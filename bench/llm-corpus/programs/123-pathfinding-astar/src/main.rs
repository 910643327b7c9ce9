use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::fmt;

const STRAIGHT: u32 = 10;
const DIAGONAL: u32 = 14;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Pos {
    row: usize,
    col: usize,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({},{})", self.row, self.col)
    }
}

#[derive(Debug, Clone, Copy)]
enum Heuristic {
    Manhattan,
    Euclidean,
    Octile,
}

impl Heuristic {
    fn estimate(self, a: Pos, b: Pos) -> u32 {
        let dr = a.row.abs_diff(b.row) as f64;
        let dc = a.col.abs_diff(b.col) as f64;
        let straight = STRAIGHT as f64;
        let value = match self {
            Heuristic::Manhattan => straight * (dr + dc),
            Heuristic::Euclidean => straight * (dr * dr + dc * dc).sqrt(),
            Heuristic::Octile => straight * dr.max(dc) + (DIAGONAL - STRAIGHT) as f64 * dr.min(dc),
        };
        value as u32
    }
}

struct Grid {
    width: usize,
    height: usize,
    blocked: Vec<bool>,
    start: Pos,
    goal: Pos,
}

impl Grid {
    fn parse(text: &str) -> Result<Grid, String> {
        let lines: Vec<&str> = text.lines().map(str::trim_end).filter(|l| !l.is_empty()).collect();
        let height = lines.len();
        let width = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
        let mut blocked = vec![false; width * height];
        let (mut start, mut goal) = (None, None);
        for (row, line) in lines.iter().enumerate() {
            for (col, ch) in line.chars().enumerate() {
                match ch {
                    '#' => blocked[row * width + col] = true,
                    'S' => start = Some(Pos { row, col }),
                    'G' => goal = Some(Pos { row, col }),
                    '.' | ' ' => {}
                    other => return Err(format!("unexpected character '{other}' at {row},{col}")),
                }
            }
        }
        Ok(Grid {
            width,
            height,
            blocked,
            start: start.ok_or("map has no start 'S'")?,
            goal: goal.ok_or("map has no goal 'G'")?,
        })
    }

    fn is_open(&self, row: isize, col: isize) -> bool {
        row >= 0
            && col >= 0
            && (row as usize) < self.height
            && (col as usize) < self.width
            && !self.blocked[row as usize * self.width + col as usize]
    }

    fn neighbors(&self, pos: Pos, diagonal: bool) -> Vec<(Pos, u32)> {
        let (r, c) = (pos.row as isize, pos.col as isize);
        let mut out = Vec::with_capacity(8);
        for (dr, dc) in [(-1, 0), (1, 0), (0, -1), (0, 1)] {
            if self.is_open(r + dr, c + dc) {
                out.push((Pos { row: (r + dr) as usize, col: (c + dc) as usize }, STRAIGHT));
            }
        }
        if diagonal {
            for (dr, dc) in [(-1, -1), (-1, 1), (1, -1), (1, 1)] {
                // No corner cutting: both orthogonal cells must be open.
                if self.is_open(r + dr, c + dc) && self.is_open(r + dr, c) && self.is_open(r, c + dc) {
                    out.push((Pos { row: (r + dr) as usize, col: (c + dc) as usize }, DIAGONAL));
                }
            }
        }
        out
    }

    fn render(&self, path: Option<&Path>) -> String {
        let on_path: HashSet<Pos> = path.map(|p| p.into_iter().copied().collect()).unwrap_or_default();
        let mut out = String::new();
        for row in 0..self.height {
            for col in 0..self.width {
                let pos = Pos { row, col };
                let ch = if pos == self.start {
                    'S'
                } else if pos == self.goal {
                    'G'
                } else if self.blocked[row * self.width + col] {
                    '#'
                } else if on_path.contains(&pos) {
                    '*'
                } else {
                    '.'
                };
                out.push(ch);
            }
            out.push('\n');
        }
        out
    }
}

/// The main collection: a found path with its cost.
struct Path {
    points: Vec<Pos>,
    cost: u32,
}

struct PathIter<'a> {
    points: &'a [Pos],
    index: usize,
}

impl<'a> Iterator for PathIter<'a> {
    type Item = &'a Pos;

    fn next(&mut self) -> Option<&'a Pos> {
        let item = self.points.get(self.index)?;
        self.index += 1;
        Some(item)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.points.len() - self.index;
        (left, Some(left))
    }
}

impl ExactSizeIterator for PathIter<'_> {}

impl<'a> IntoIterator for &'a Path {
    type Item = &'a Pos;
    type IntoIter = PathIter<'a>;

    fn into_iter(self) -> PathIter<'a> {
        self.iter()
    }
}

impl Path {
    fn iter(&self) -> PathIter<'_> {
        PathIter { points: &self.points, index: 0 }
    }

    fn diagonal_steps(&self) -> usize {
        self.points.windows(2).filter(|w| w[0].row != w[1].row && w[0].col != w[1].col).count()
    }
}

struct SearchResult {
    path: Path,
    expanded: usize,
}

fn astar(grid: &Grid, heuristic: Heuristic, diagonal: bool) -> Option<SearchResult> {
    let (start, goal) = (grid.start, grid.goal);
    let mut open = BinaryHeap::new();
    let mut best: HashMap<Pos, u32> = HashMap::new();
    let mut came_from: HashMap<Pos, Pos> = HashMap::new();
    let mut expanded = 0;

    best.insert(start, 0);
    open.push(Reverse((heuristic.estimate(start, goal), 0u32, start)));

    while let Some(Reverse((_f, cost, pos))) = open.pop() {
        if cost > *best.get(&pos).unwrap_or(&u32::MAX) {
            continue; // stale heap entry
        }
        expanded += 1;
        if pos == goal {
            let mut points = vec![goal];
            let mut current = goal;
            while let Some(&prev) = came_from.get(&current) {
                points.push(prev);
                current = prev;
            }
            points.reverse();
            return Some(SearchResult { path: Path { points, cost }, expanded });
        }
        for (next, step) in grid.neighbors(pos, diagonal) {
            let new_cost = cost + step;
            if new_cost < *best.get(&next).unwrap_or(&u32::MAX) {
                best.insert(next, new_cost);
                came_from.insert(next, pos);
                open.push(Reverse((new_cost + heuristic.estimate(next, goal), new_cost, next)));
            }
        }
    }
    None
}

const SAMPLE_MAP: &str = "\
S.........#.........
.######...#..####...
......#...#.....#...
..#...#...####..#...
..#...#......#..#...
..#...#####..#..###.
..#..........#......
..######..####..##..
.........#.......#..
....#....#...#...#.G
";

const BLOCKED_MAP: &str = "\
S..#....
...#....
####....
.......G
";

fn main() {
    let text = match std::env::args().nth(1) {
        Some(path) => std::fs::read_to_string(&path).unwrap_or_else(|e| {
            eprintln!("could not read {path}: {e}; using the sample map");
            SAMPLE_MAP.to_string()
        }),
        None => SAMPLE_MAP.to_string(),
    };
    let grid = match Grid::parse(&text) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("invalid map: {e}");
            std::process::exit(1);
        }
    };
    println!("Map {}x{}, start {} goal {}\n{}", grid.width, grid.height, grid.start, grid.goal, grid.render(None));

    let runs = [
        ("4-way / Manhattan", Heuristic::Manhattan, false),
        ("8-way / Octile", Heuristic::Octile, true),
        ("8-way / Euclidean", Heuristic::Euclidean, true),
        ("8-way / Manhattan (inadmissible)", Heuristic::Manhattan, true),
    ];

    println!("{:<34} {:>6} {:>6} {:>6} {:>9}", "Run", "Cost", "Steps", "Diag", "Expanded");
    let mut renders = Vec::new();
    for (label, heuristic, diagonal) in runs {
        match astar(&grid, heuristic, diagonal) {
            Some(result) => {
                println!(
                    "{:<34} {:>6.1} {:>6} {:>6} {:>9}",
                    label,
                    result.path.cost as f64 / STRAIGHT as f64,
                    result.path.iter().len() - 1,
                    result.path.diagonal_steps(),
                    result.expanded
                );
                renders.push((label, grid.render(Some(&result.path)), result.path));
            }
            None => println!("{label:<34} no path"),
        }
    }

    for (label, picture, path) in &renders {
        println!("\n{label}:\n{picture}");
        let preview: Vec<String> = path.into_iter().take(6).map(|p| p.to_string()).collect();
        println!("first cells: {} ...", preview.join(" -> "));
    }

    let walled = Grid::parse(BLOCKED_MAP).expect("blocked sample parses");
    match astar(&walled, Heuristic::Octile, true) {
        Some(r) => println!("\nUnexpected path in walled map with cost {}", r.path.cost),
        None => println!("\nWalled map: goal unreachable, as expected.\n{}", walled.render(None)),
    }
}
