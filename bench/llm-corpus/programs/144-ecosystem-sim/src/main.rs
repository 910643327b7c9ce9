use std::fmt;
use std::str::FromStr;

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

/// A `key = value` entry; every field borrows from the config text.
#[derive(Debug, Clone, Copy)]
struct Entry<'a> {
    section: &'a str,
    key: &'a str,
    value: &'a str,
    line: usize,
}

#[derive(Debug)]
struct ConfigError<'a> {
    line: usize,
    text: &'a str,
    reason: String,
}

impl fmt::Display for ConfigError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {} ({:?})", self.line, self.reason, self.text)
    }
}

struct Config<'a> {
    entries: Vec<Entry<'a>>,
    map_rows: Vec<&'a str>,
}

impl<'a> Config<'a> {
    fn parse(input: &'a str) -> Result<Config<'a>, ConfigError<'a>> {
        let mut section = "";
        let mut entries = Vec::new();
        let mut map_rows = Vec::new();
        for (i, raw) in input.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with(';') || (line.starts_with('#') && section != "map") {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = name.trim();
                continue;
            }
            if section == "map" {
                map_rows.push(line);
                continue;
            }
            let (key, value) = line
                .split_once('=')
                .ok_or(ConfigError { line: i + 1, text: raw, reason: "expected key = value".into() })?;
            entries.push(Entry { section, key: key.trim(), value: value.trim(), line: i + 1 });
        }
        Ok(Config { entries, map_rows })
    }

    fn get(&self, section: &str, key: &str) -> Option<&Entry<'a>> {
        self.entries.iter().rev().find(|e| e.section == section && e.key == key)
    }

    fn text(&self, section: &str, key: &str, default: &'a str) -> &'a str {
        self.get(section, key).map_or(default, |e| e.value)
    }

    fn num<T: FromStr>(&self, section: &str, key: &str, default: T) -> Result<T, ConfigError<'a>> {
        match self.get(section, key) {
            None => Ok(default),
            Some(e) => e.value.parse().map_err(|_| ConfigError {
                line: e.line,
                text: e.value,
                reason: format!("[{section}] {key} is not a valid number"),
            }),
        }
    }
}

#[derive(Debug, Clone)]
struct Species<'a> {
    name: &'a str,
    symbol: char,
    initial: usize,
    breed_chance: f64,
    max_age: u32,
    start_energy: i32,
    food_energy: i32,
    breed_energy: i32,
}

impl<'a> Species<'a> {
    fn from_config(cfg: &Config<'a>, section: &'a str) -> Result<Species<'a>, ConfigError<'a>> {
        Ok(Species {
            name: cfg.text(section, "name", section),
            symbol: cfg.text(section, "symbol", "?").chars().next().unwrap_or('?'),
            initial: cfg.num(section, "initial", 10)?,
            breed_chance: cfg.num(section, "breed_chance", 0.1)?,
            max_age: cfg.num(section, "max_age", 20)?,
            start_energy: cfg.num(section, "start_energy", 10)?,
            food_energy: cfg.num(section, "food_energy", 2)?,
            breed_energy: cfg.num(section, "breed_energy", 6)?,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Rabbit,
    Fox,
}

#[derive(Debug, Clone, Copy)]
struct Animal {
    kind: Kind,
    energy: i32,
    age: u32,
    moved: bool,
}

#[derive(Debug, Clone, Copy)]
enum Cell {
    Empty,
    Rock,
    Occupied(Animal),
}

struct World<'a> {
    width: usize,
    height: usize,
    cells: Vec<Cell>,
    rabbit: Species<'a>,
    fox: Species<'a>,
    rng: StdRng,
}

impl<'a> World<'a> {
    fn species(&self, kind: Kind) -> &Species<'a> {
        match kind {
            Kind::Rabbit => &self.rabbit,
            Kind::Fox => &self.fox,
        }
    }

    fn neighbors(&self, i: usize) -> Vec<usize> {
        let (x, y) = ((i % self.width) as isize, (i / self.width) as isize);
        [(-1, 0), (1, 0), (0, -1), (0, 1)]
            .iter()
            .map(|(dx, dy)| (x + dx, y + dy))
            .filter(|&(nx, ny)| nx >= 0 && ny >= 0 && (nx as usize) < self.width && (ny as usize) < self.height)
            .map(|(nx, ny)| ny as usize * self.width + nx as usize)
            .collect()
    }

    fn populate(&mut self, kind: Kind, count: usize) {
        let mut empty: Vec<usize> = (0..self.cells.len()).filter(|&i| matches!(self.cells[i], Cell::Empty)).collect();
        empty.shuffle(&mut self.rng);
        let energy = self.species(kind).start_energy;
        for &i in empty.iter().take(count) {
            let age = self.rng.gen_range(0..self.species(kind).max_age / 2 + 1);
            self.cells[i] = Cell::Occupied(Animal { kind, energy, age, moved: false });
        }
    }

    fn count(&self, kind: Kind) -> usize {
        self.cells.iter().filter(|c| matches!(c, Cell::Occupied(a) if a.kind == kind)).count()
    }

    fn step(&mut self) {
        let mut order: Vec<usize> = (0..self.cells.len()).filter(|&i| matches!(self.cells[i], Cell::Occupied(_))).collect();
        order.shuffle(&mut self.rng);
        for i in order {
            let Cell::Occupied(mut animal) = self.cells[i] else { continue };
            if animal.moved {
                continue;
            }
            let sp = self.species(animal.kind).clone();
            animal.age += 1;
            animal.moved = true;
            if animal.age > sp.max_age {
                self.cells[i] = Cell::Empty;
                continue;
            }
            let neighbors = self.neighbors(i);
            let prey: Vec<usize> = neighbors
                .iter()
                .copied()
                .filter(|&n| matches!(self.cells[n], Cell::Occupied(a) if a.kind == Kind::Rabbit))
                .collect();
            let empty: Vec<usize> = neighbors.iter().copied().filter(|&n| matches!(self.cells[n], Cell::Empty)).collect();
            let target = match animal.kind {
                Kind::Rabbit => {
                    animal.energy = (animal.energy + sp.food_energy).min(sp.start_energy * 2);
                    empty.choose(&mut self.rng).copied()
                }
                Kind::Fox => {
                    animal.energy -= 1;
                    match prey.choose(&mut self.rng).copied() {
                        Some(p) => {
                            animal.energy += sp.food_energy;
                            Some(p)
                        }
                        None => empty.choose(&mut self.rng).copied(),
                    }
                }
            };
            if animal.energy <= 0 {
                self.cells[i] = Cell::Empty;
                continue;
            }
            let Some(dest) = target else {
                self.cells[i] = Cell::Occupied(animal);
                continue;
            };
            let breeds = animal.energy >= sp.breed_energy && self.rng.gen_bool(sp.breed_chance);
            if breeds {
                animal.energy /= 2;
                self.cells[i] = Cell::Occupied(Animal { kind: animal.kind, energy: animal.energy, age: 0, moved: true });
            } else {
                self.cells[i] = Cell::Empty;
            }
            self.cells[dest] = Cell::Occupied(animal);
        }
        for cell in self.cells.iter_mut() {
            if let Cell::Occupied(a) = cell {
                a.moved = false;
            }
        }
    }

    fn render(&self) -> String {
        let mut out = String::new();
        for row in self.cells.chunks(self.width) {
            for cell in row {
                out.push(match cell {
                    Cell::Empty => '.',
                    Cell::Rock => '#',
                    Cell::Occupied(a) => self.species(a.kind).symbol,
                });
            }
            out.push('\n');
        }
        out
    }
}

const SAMPLE: &str = "\
; predator-prey configuration
[world]
width = 32
height = 14
steps = 40
seed = 11

[rabbit]
name = Rabbits
symbol = r
initial = 70
breed_chance = 0.35
max_age = 18
start_energy = 4
food_energy = 1
breed_energy = 4

[fox]
name = Foxes
symbol = F
initial = 10
breed_chance = 0.5
max_age = 30
start_energy = 8
food_energy = 5
breed_energy = 9

[map]
................................
................................
.......####.....................
.......####..............##.....
.........................##.....
................................
..............#####.............
................................
....##..........................
....##...............####.......
................................
................................
................................
................................
";

fn main() {
    let text = match std::env::args().nth(1) {
        Some(path) => std::fs::read_to_string(&path).unwrap_or_else(|e| {
            eprintln!("cannot read {path}: {e}; using the built-in configuration");
            SAMPLE.to_string()
        }),
        None => SAMPLE.to_string(),
    };
    let run = || -> Result<(), String> {
        let cfg = Config::parse(&text).map_err(|e| e.to_string())?;
        let width: usize = cfg.num("world", "width", 30).map_err(|e| e.to_string())?;
        let height: usize = cfg.num("world", "height", 15).map_err(|e| e.to_string())?;
        let steps: usize = cfg.num("world", "steps", 30).map_err(|e| e.to_string())?;
        let seed: u64 = cfg.num("world", "seed", 1).map_err(|e| e.to_string())?;
        let rabbit = Species::from_config(&cfg, "rabbit").map_err(|e| e.to_string())?;
        let fox = Species::from_config(&cfg, "fox").map_err(|e| e.to_string())?;
        if width == 0 || height == 0 {
            return Err("world must have a positive size".into());
        }

        let mut cells = vec![Cell::Empty; width * height];
        for (y, row) in cfg.map_rows.iter().take(height).enumerate() {
            for (x, ch) in row.chars().take(width).enumerate() {
                if ch == '#' {
                    cells[y * width + x] = Cell::Rock;
                }
            }
        }
        println!("Loaded {} settings and {} map rows", cfg.entries.len(), cfg.map_rows.len());
        let mut world = World { width, height, cells, rabbit: rabbit.clone(), fox: fox.clone(), rng: StdRng::seed_from_u64(seed) };
        world.populate(Kind::Rabbit, rabbit.initial);
        world.populate(Kind::Fox, fox.initial);
        println!("Initial world:\n{}", world.render());

        println!("{:>4} {:>8} {:>6}", "step", rabbit.name, fox.name);
        let mut history = Vec::new();
        for step in 0..=steps {
            if step > 0 {
                world.step();
            }
            let (r, f) = (world.count(Kind::Rabbit), world.count(Kind::Fox));
            history.push((r, f));
            println!("{step:>4} {r:>8} {f:>6}  {}{}", rabbit.symbol.to_string().repeat(r / 4), fox.symbol.to_string().repeat(f / 2));
            if r == 0 && f == 0 {
                println!("Everything died out at step {step}.");
                break;
            }
        }
        println!("\nFinal world:\n{}", world.render());
        let peak_r = history.iter().map(|h| h.0).max().unwrap_or(0);
        let peak_f = history.iter().map(|h| h.1).max().unwrap_or(0);
        println!("Peak {}: {peak_r}, peak {}: {peak_f}", rabbit.name, fox.name);
        Ok(())
    };
    if let Err(e) = run() {
        eprintln!("configuration error: {e}");
        std::process::exit(1);
    }
}
