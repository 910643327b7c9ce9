use std::fmt;

#[derive(Clone, PartialEq, Eq)]
struct Grid {
    width: usize,
    height: usize,
    cells: Vec<bool>,
}

impl Grid {
    fn new(width: usize, height: usize) -> Self {
        Grid { width, height, cells: vec![false; width * height] }
    }

    fn index(&self, row: isize, col: isize) -> usize {
        let h = self.height as isize;
        let w = self.width as isize;
        let r = ((row % h) + h) % h;
        let c = ((col % w) + w) % w;
        (r * w + c) as usize
    }

    fn get(&self, row: isize, col: isize) -> bool {
        self.cells[self.index(row, col)]
    }

    fn set(&mut self, row: isize, col: isize, alive: bool) {
        let i = self.index(row, col);
        self.cells[i] = alive;
    }

    fn place(&mut self, top: isize, left: isize, pattern: &[(isize, isize)]) {
        for &(r, c) in pattern {
            self.set(top + r, left + c, true);
        }
    }

    fn live_neighbours(&self, row: isize, col: isize) -> usize {
        let mut n = 0;
        for dr in -1..=1 {
            for dc in -1..=1 {
                if (dr, dc) != (0, 0) && self.get(row + dr, col + dc) {
                    n += 1;
                }
            }
        }
        n
    }

    fn step(&self) -> Grid {
        let mut next = Grid::new(self.width, self.height);
        for r in 0..self.height as isize {
            for c in 0..self.width as isize {
                let alive = self.get(r, c);
                let n = self.live_neighbours(r, c);
                let new_state = matches!((alive, n), (true, 2) | (true, 3) | (false, 3));
                next.set(r, c, new_state);
            }
        }
        next
    }

    fn live_count(&self) -> usize {
        self.cells.iter().filter(|&&c| c).count()
    }
}

impl fmt::Display for Grid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for r in 0..self.height {
            let line: String = (0..self.width)
                .map(|c| if self.cells[r * self.width + c] { '█' } else { '·' })
                .collect();
            writeln!(f, "{}", line)?;
        }
        Ok(())
    }
}

fn main() {
    const GLIDER: [(isize, isize); 5] = [(0, 1), (1, 2), (2, 0), (2, 1), (2, 2)];
    const BLINKER: [(isize, isize); 3] = [(0, 0), (0, 1), (0, 2)];

    let mut grid = Grid::new(20, 12);
    grid.place(0, 0, &GLIDER);
    grid.place(6, 13, &BLINKER);

    let mut history: Vec<Grid> = Vec::new();
    for generation in 0..10 {
        println!("Generation {} — live cells: {}", generation, grid.live_count());
        print!("{}", grid);
        println!();
        if let Some(prev) = history.iter().position(|g| *g == grid) {
            println!("(state repeats generation {})", prev);
        }
        history.push(grid.clone());
        grid = grid.step();
    }

    let counts: Vec<usize> = history.iter().map(|g| g.live_count()).collect();
    println!("Live cell counts per generation: {:?}", counts);
    println!(
        "Min: {}, Max: {}",
        counts.iter().min().unwrap_or(&0),
        counts.iter().max().unwrap_or(&0)
    );
}
