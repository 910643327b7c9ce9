//! robot-grid: robots on a grid execute command strings (L, R, F) in
//! lock-step, avoiding collisions with each other, obstacles and the walls.
//! The world is stored in a generic sparse grid keyed by coordinates.

use std::collections::{BTreeMap, HashMap};
use std::fmt::{self, Display};
use std::hash::Hash;

/// Keys of a 2-D grid must convert to and from (x, y).
trait Coord {
    fn xy(&self) -> (i32, i32);
    fn from_xy(x: i32, y: i32) -> Self;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Pos {
    y: i32, // y first so ordering is row-major
    x: i32,
}

impl Coord for Pos {
    fn xy(&self) -> (i32, i32) {
        (self.x, self.y)
    }
    fn from_xy(x: i32, y: i32) -> Self {
        Pos { x, y }
    }
}

impl Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({},{})", self.x, self.y)
    }
}

/// A bounded sparse grid: only occupied cells are stored.
#[derive(Debug, Clone)]
struct SparseGrid<K, V>
where
    K: Hash + Eq + Ord + Clone + Display + Coord,
    V: Clone + Display,
{
    width: i32,
    height: i32,
    cells: HashMap<K, V>,
}

impl<K, V> SparseGrid<K, V>
where
    K: Hash + Eq + Ord + Clone + Display + Coord,
    V: Clone + Display,
{
    fn new(width: i32, height: i32) -> Self {
        SparseGrid { width, height, cells: HashMap::new() }
    }

    fn in_bounds(&self, key: &K) -> bool {
        let (x, y) = key.xy();
        x >= 0 && y >= 0 && x < self.width && y < self.height
    }

    fn get(&self, key: &K) -> Option<&V> {
        self.cells.get(key)
    }

    fn insert(&mut self, key: K, value: V) -> Result<(), String> {
        if !self.in_bounds(&key) {
            return Err(format!("{key} is outside the {}x{} grid", self.width, self.height));
        }
        if let Some(existing) = self.cells.get(&key) {
            return Err(format!("{key} is already occupied by {existing}"));
        }
        self.cells.insert(key, value);
        Ok(())
    }

    fn move_value(&mut self, from: &K, to: K) -> Result<(), String> {
        let v = self.cells.remove(from).ok_or_else(|| format!("nothing at {from}"))?;
        if let Err(e) = self.insert(to, v.clone()) {
            self.cells.insert(from.clone(), v);
            return Err(e);
        }
        Ok(())
    }

    /// Entries in key order (row-major for Pos).
    fn sorted(&self) -> BTreeMap<&K, &V> {
        self.cells.iter().collect()
    }
}

impl<K, V> Display for SparseGrid<K, V>
where
    K: Hash + Eq + Ord + Clone + Display + Coord,
    V: Clone + Display,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "   ")?;
        for x in 0..self.width {
            write!(f, "{}", x % 10)?;
        }
        writeln!(f)?;
        for y in (0..self.height).rev() {
            write!(f, "{y:>2} ")?;
            for x in 0..self.width {
                match self.cells.get(&K::from_xy(x, y)) {
                    Some(v) => write!(f, "{v}")?,
                    None => write!(f, ".")?,
                }
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Heading {
    N,
    E,
    S,
    W,
}

impl Heading {
    fn left(self) -> Heading {
        match self {
            Heading::N => Heading::W,
            Heading::W => Heading::S,
            Heading::S => Heading::E,
            Heading::E => Heading::N,
        }
    }
    fn right(self) -> Heading {
        self.left().left().left()
    }
    fn delta(self) -> (i32, i32) {
        match self {
            Heading::N => (0, 1),
            Heading::E => (1, 0),
            Heading::S => (0, -1),
            Heading::W => (-1, 0),
        }
    }
    fn arrow(self) -> char {
        match self {
            Heading::N => '^',
            Heading::E => '>',
            Heading::S => 'v',
            Heading::W => '<',
        }
    }
}

#[derive(Debug, Clone)]
enum Cell {
    Obstacle,
    Robot { id: char, heading: Heading },
}

impl Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cell::Obstacle => write!(f, "#"),
            Cell::Robot { id, .. } => write!(f, "{id}"),
        }
    }
}

#[derive(Debug)]
struct Robot {
    id: char,
    pos: Pos,
    heading: Heading,
    program: Vec<char>,
    pc: usize,
    moves: u32,
    blocked: u32,
}

fn simulate(grid: &mut SparseGrid<Pos, Cell>, robots: &mut [Robot], log: &mut Vec<String>) -> u32 {
    let mut tick = 0;
    while robots.iter().any(|r| r.pc < r.program.len()) {
        tick += 1;
        for r in robots.iter_mut() {
            let Some(&cmd) = r.program.get(r.pc) else { continue };
            r.pc += 1;
            match cmd {
                'L' => r.heading = r.heading.left(),
                'R' => r.heading = r.heading.right(),
                'F' => {
                    let (dx, dy) = r.heading.delta();
                    let target = Pos::from_xy(r.pos.x + dx, r.pos.y + dy);
                    let reason = if !grid.in_bounds(&target) {
                        Some("wall".to_string())
                    } else {
                        match grid.get(&target) {
                            Some(Cell::Obstacle) => Some("obstacle".to_string()),
                            Some(Cell::Robot { id, .. }) => Some(format!("robot {id}")),
                            None => None,
                        }
                    };
                    match reason {
                        Some(what) => {
                            r.blocked += 1;
                            log.push(format!("t{tick:>2}: {} at {} blocked by {what} at {target}", r.id, r.pos));
                        }
                        None => {
                            grid.move_value(&r.pos, target).expect("target checked free");
                            r.pos = target;
                            r.moves += 1;
                        }
                    }
                }
                other => log.push(format!("t{tick:>2}: {} ignores unknown command '{other}'", r.id)),
            }
            // Keep the heading stored in the grid in sync.
            grid.cells.insert(r.pos, Cell::Robot { id: r.id, heading: r.heading });
        }
    }
    tick
}

fn main() {
    let mut grid: SparseGrid<Pos, Cell> = SparseGrid::new(12, 8);
    for (x, y) in [(3, 3), (3, 4), (4, 4), (7, 1), (8, 5), (9, 5), (5, 7)] {
        grid.insert(Pos::from_xy(x, y), Cell::Obstacle).expect("obstacle placement");
    }

    let specs = [
        ('A', (0, 0), Heading::N, "FFFRFFFFFLFF"),
        ('B', (11, 0), Heading::W, "FFFFFFFRFFFX"),
        ('C', (5, 3), Heading::N, "FFRFFFFFRF"),
        ('D', (0, 7), Heading::E, "FFFFFRFFLFFFF"),
        ('E', (3, 3), Heading::N, "F"), // starts on an obstacle: rejected
    ];

    let mut robots = Vec::new();
    for (id, (x, y), heading, program) in specs {
        let pos = Pos::from_xy(x, y);
        match grid.insert(pos, Cell::Robot { id, heading }) {
            Ok(()) => robots.push(Robot { id, pos, heading, program: program.chars().collect(), pc: 0, moves: 0, blocked: 0 }),
            Err(e) => println!("cannot place robot {id}: {e}"),
        }
    }

    println!("Initial grid ('#' obstacle):\n{grid}");
    let mut log = Vec::new();
    let ticks = simulate(&mut grid, &mut robots, &mut log);

    println!("Events:");
    for line in &log {
        println!("  {line}");
    }
    println!("\nFinal grid after {ticks} ticks:\n{grid}");
    println!("{:<6} {:<8} {:<8} {:>6} {:>8}", "robot", "pos", "heading", "moves", "blocked");
    for r in &robots {
        println!("{:<6} {:<8} {:<8} {:>6} {:>8}", r.id, r.pos.to_string(), r.heading.arrow(), r.moves, r.blocked);
    }

    println!("\nOccupied cells in row-major order:");
    for (pos, cell) in grid.sorted() {
        let desc = match cell {
            Cell::Obstacle => "obstacle".to_string(),
            Cell::Robot { id, heading } => format!("robot {id} facing {}", heading.arrow()),
        };
        println!("  {pos} {desc}");
    }
}
