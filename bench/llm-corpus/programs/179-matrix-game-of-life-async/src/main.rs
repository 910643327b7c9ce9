//! Conway's Game of Life on a toroidal grid, computed serially and in
//! parallel (the next generation is split into horizontal bands, one per
//! scoped thread). The two versions are compared generation by generation.
//!
//! Statistics are fields of the `Life` struct itself and are updated by
//! methods that iterate over the struct's own cells.

use rand::{rngs::StdRng, Rng, SeedableRng};
use std::thread;
use std::time::{Duration, Instant};

#[derive(Clone)]
struct Life {
    width: usize,
    height: usize,
    cells: Vec<u8>,
    scratch: Vec<u8>,
    generation: u64,
    // statistics, kept up to date by `update_stats`
    population: usize,
    births: usize,
    deaths: usize,
    total_births: u64,
    total_deaths: u64,
    peak_population: usize,
    peak_generation: u64,
    min_population: usize,
    stable_streak: u32,
    bounding_box: Option<(usize, usize, usize, usize)>,
    history: Vec<usize>,
}

fn next_cell(cells: &[u8], w: usize, h: usize, x: usize, y: usize) -> u8 {
    let mut n = 0;
    for dy in [h - 1, 0, 1] {
        for dx in [w - 1, 0, 1] {
            if dx == 0 && dy == 0 {
                continue;
            }
            let nx = (x + dx) % w;
            let ny = (y + dy) % h;
            n += cells[ny * w + nx];
        }
    }
    match (cells[y * w + x], n) {
        (1, 2) | (1, 3) | (0, 3) => 1,
        _ => 0,
    }
}

impl Life {
    fn new(width: usize, height: usize) -> Self {
        assert!(width >= 3 && height >= 3, "grid must be at least 3x3");
        Life {
            width,
            height,
            cells: vec![0; width * height],
            scratch: vec![0; width * height],
            generation: 0,
            population: 0,
            births: 0,
            deaths: 0,
            total_births: 0,
            total_deaths: 0,
            peak_population: 0,
            peak_generation: 0,
            min_population: usize::MAX,
            stable_streak: 0,
            bounding_box: None,
            history: Vec::new(),
        }
    }

    fn random(width: usize, height: usize, density: f64, seed: u64) -> Self {
        let mut life = Life::new(width, height);
        let mut rng = StdRng::seed_from_u64(seed);
        for cell in life.cells.iter_mut() {
            *cell = u8::from(rng.gen_bool(density));
        }
        life.recount();
        life
    }

    fn set(&mut self, x: usize, y: usize) {
        let idx = (y % self.height) * self.width + (x % self.width);
        self.cells[idx] = 1;
    }

    fn alive(&self, x: usize, y: usize) -> bool {
        self.cells[y * self.width + x] == 1
    }

    /// Initial statistics from the current cells (no births/deaths yet).
    fn recount(&mut self) {
        self.population = self.cells.iter().filter(|&&c| c == 1).count();
        self.peak_population = self.population;
        self.peak_generation = self.generation;
        self.min_population = self.population;
        self.history = vec![self.population];
        self.bounding_box = self.compute_bounding_box();
    }

    fn compute_bounding_box(&self) -> Option<(usize, usize, usize, usize)> {
        self.cells.iter().enumerate().filter(|(_, &c)| c == 1).fold(None, |bbox, (i, _)| {
            let (x, y) = (i % self.width, i / self.width);
            Some(match bbox {
                None => (x, y, x, y),
                Some((x0, y0, x1, y1)) => (x0.min(x), y0.min(y), x1.max(x), y1.max(y)),
            })
        })
    }

    /// Compares the new generation (`cells`) with the previous one (`scratch`).
    fn update_stats(&mut self) {
        let (mut population, mut births, mut deaths) = (0, 0, 0);
        for (&now, &before) in self.cells.iter().zip(self.scratch.iter()) {
            population += now as usize;
            match (before, now) {
                (0, 1) => births += 1,
                (1, 0) => deaths += 1,
                _ => {}
            }
        }
        self.population = population;
        self.births = births;
        self.deaths = deaths;
        self.total_births += births as u64;
        self.total_deaths += deaths as u64;
        if population > self.peak_population {
            self.peak_population = population;
            self.peak_generation = self.generation;
        }
        self.min_population = self.min_population.min(population);
        self.stable_streak = if births == 0 && deaths == 0 { self.stable_streak + 1 } else { 0 };
        self.bounding_box = self.compute_bounding_box();
        self.history.push(population);
    }

    fn finish_step(&mut self) {
        std::mem::swap(&mut self.cells, &mut self.scratch);
        self.generation += 1;
        self.update_stats();
    }

    fn step_serial(&mut self) {
        let (w, h) = (self.width, self.height);
        for y in 0..h {
            for x in 0..w {
                self.scratch[y * w + x] = next_cell(&self.cells, w, h, x, y);
            }
        }
        self.finish_step();
    }

    fn step_parallel(&mut self, threads: usize) {
        let (w, h) = (self.width, self.height);
        let rows_per_band = (h + threads - 1) / threads.max(1);
        let cells = &self.cells;
        thread::scope(|s| {
            for (band, out) in self.scratch.chunks_mut(rows_per_band * w).enumerate() {
                s.spawn(move || {
                    let y0 = band * rows_per_band;
                    for (i, cell) in out.iter_mut().enumerate() {
                        *cell = next_cell(cells, w, h, i % w, y0 + i / w);
                    }
                });
            }
        });
        self.finish_step();
    }

    fn signature(&self) -> (u64, usize, u64, u64, usize, u64, usize) {
        (self.generation, self.population, self.total_births, self.total_deaths, self.peak_population, self.peak_generation, self.min_population)
    }

    fn summary(&self) -> String {
        let bbox = self.bounding_box.map_or("empty".to_string(), |(x0, y0, x1, y1)| format!("({x0},{y0})-({x1},{y1})"));
        format!(
            "gen {:>4}: population {:>6} (+{} / -{}), peak {} at gen {}, min {}, stable for {} gen, bbox {}",
            self.generation,
            self.population,
            self.births,
            self.deaths,
            self.peak_population,
            self.peak_generation,
            self.min_population,
            self.stable_streak,
            bbox
        )
    }

    fn render(&self, cols: usize, rows: usize) -> String {
        (0..rows.min(self.height))
            .map(|y| (0..cols.min(self.width)).map(|x| if self.alive(x, y) { '#' } else { '.' }).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

fn glider_check(threads: usize) -> bool {
    let mut serial = Life::new(12, 12);
    for (x, y) in [(1, 0), (2, 1), (0, 2), (1, 2), (2, 2)] {
        serial.set(x, y);
    }
    serial.recount();
    let mut parallel = serial.clone();
    for _ in 0..4 {
        serial.step_serial();
        parallel.step_parallel(threads);
    }
    let shifted = [(2, 1), (3, 2), (1, 3), (2, 3), (3, 3)];
    let moved = shifted.iter().all(|&(x, y)| serial.alive(x, y)) && serial.population == 5;
    println!("glider after 4 generations:\n{}", serial.render(6, 5));
    moved && serial.cells == parallel.cells
}

fn main() {
    let threads = thread::available_parallelism().map(|n| n.get()).unwrap_or(4).clamp(2, 8);
    println!("Glider moves diagonally and both versions agree: {}\n", glider_check(threads));

    // Generation-by-generation comparison on a random grid.
    let (width, height, generations) = (256, 192, 120);
    let mut serial = Life::random(width, height, 0.3, 7);
    let mut parallel = serial.clone();
    let (mut t_serial, mut t_parallel) = (Duration::ZERO, Duration::ZERO);
    let mut mismatch = None;
    for _ in 0..generations {
        let t = Instant::now();
        serial.step_serial();
        t_serial += t.elapsed();
        let t = Instant::now();
        parallel.step_parallel(threads);
        t_parallel += t.elapsed();
        if serial.cells != parallel.cells || serial.signature() != parallel.signature() {
            mismatch = Some(serial.generation);
            break;
        }
        if serial.generation % 30 == 0 {
            println!("{}", serial.summary());
        }
    }
    match mismatch {
        Some(g) => println!("MISMATCH between serial and parallel at generation {g}"),
        None => println!("serial and parallel identical for {generations} generations ({threads} threads)"),
    }
    println!("time: serial {t_serial:.2?}, parallel {t_parallel:.2?}");
    let first = serial.history.first().copied().unwrap_or(0);
    println!("population {first} -> {} ; births {} deaths {}\n", serial.population, serial.total_births, serial.total_deaths);
    println!("top-left corner:\n{}\n", serial.render(48, 12));

    // Scaling on a larger grid.
    let base = Life::random(1024, 1024, 0.25, 99);
    let gens = 20;
    let mut reference = base.clone();
    let start = Instant::now();
    for _ in 0..gens {
        reference.step_serial();
    }
    let serial_time = start.elapsed();
    println!("1024x1024, {gens} generations: serial {serial_time:.2?}");
    for t in [2, 4, threads] {
        let mut life = base.clone();
        let start = Instant::now();
        for _ in 0..gens {
            life.step_parallel(t);
        }
        let elapsed = start.elapsed();
        let speedup = serial_time.as_secs_f64() / elapsed.as_secs_f64().max(1e-9);
        println!(
            "  {t} threads: {elapsed:.2?} (speed-up {speedup:.2}x), matches serial: {}",
            life.cells == reference.cells && life.signature() == reference.signature()
        );
    }
}
