use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::collections::{HashSet, VecDeque};
use std::env;

type Pos = (usize, usize);

/// A maze stored as a grid of wall flags. Cells live at odd coordinates,
/// the even coordinates between them are either walls or passages.
struct Maze {
    walls: Vec<Vec<bool>>,
}

impl Maze {
    /// Generates a perfect maze with the recursive-backtracker algorithm and
    /// then knocks out a few extra walls so there are multiple routes.
    fn generate<R: Rng>(cells_w: usize, cells_h: usize, extra_openings: usize, rng: &mut R) -> Self {
        let grid_w = 2 * cells_w + 1;
        let grid_h = 2 * cells_h + 1;
        let mut walls = vec![vec![true; grid_w]; grid_h];
        let mut visited = vec![vec![false; cells_w]; cells_h];
        let mut stack: Vec<Pos> = vec![(0, 0)];
        visited[0][0] = true;
        walls[1][1] = false;

        while let Some(&(r, c)) = stack.last() {
            let mut neighbours: Vec<Pos> = Vec::with_capacity(4);
            if r > 0 && !visited[r - 1][c] {
                neighbours.push((r - 1, c));
            }
            if r + 1 < cells_h && !visited[r + 1][c] {
                neighbours.push((r + 1, c));
            }
            if c > 0 && !visited[r][c - 1] {
                neighbours.push((r, c - 1));
            }
            if c + 1 < cells_w && !visited[r][c + 1] {
                neighbours.push((r, c + 1));
            }
            match neighbours.choose(rng) {
                Some(&(nr, nc)) => {
                    visited[nr][nc] = true;
                    walls[2 * nr + 1][2 * nc + 1] = false;
                    // the wall between the two cells sits at their midpoint
                    walls[r + nr + 1][c + nc + 1] = false;
                    stack.push((nr, nc));
                }
                None => {
                    stack.pop();
                }
            }
        }

        let mut opened = 0;
        let mut attempts = 0;
        while opened < extra_openings && attempts < extra_openings * 50 {
            attempts += 1;
            let r = rng.gen_range(1..grid_h - 1);
            let c = rng.gen_range(1..grid_w - 1);
            let between_horizontal = r % 2 == 1 && c % 2 == 0;
            let between_vertical = r % 2 == 0 && c % 2 == 1;
            if (between_horizontal || between_vertical) && walls[r][c] {
                walls[r][c] = false;
                opened += 1;
            }
        }

        Maze { walls }
    }

    fn rows(&self) -> usize {
        self.walls.len()
    }

    fn cols(&self) -> usize {
        self.walls[0].len()
    }

    fn start(&self) -> Pos {
        (1, 1)
    }

    fn goal(&self) -> Pos {
        (self.rows() - 2, self.cols() - 2)
    }

    /// Breadth-first search from start to goal. Returns the path (if any)
    /// and the number of cells that were dequeued.
    fn solve(&self) -> (Option<Vec<Pos>>, usize) {
        let (rows, cols) = (self.rows(), self.cols());
        let mut prev: Vec<Vec<Option<Pos>>> = vec![vec![None; cols]; rows];
        let mut seen = vec![vec![false; cols]; rows];
        let mut queue = VecDeque::new();
        let start = self.start();
        let goal = self.goal();
        seen[start.0][start.1] = true;
        queue.push_back(start);
        let mut explored = 0;

        while let Some((r, c)) = queue.pop_front() {
            explored += 1;
            if (r, c) == goal {
                let mut path = vec![goal];
                let mut cur = goal;
                while let Some(p) = prev[cur.0][cur.1] {
                    path.push(p);
                    cur = p;
                }
                path.reverse();
                return (Some(path), explored);
            }
            let neighbours = [
                (r.wrapping_sub(1), c),
                (r + 1, c),
                (r, c.wrapping_sub(1)),
                (r, c + 1),
            ];
            for (nr, nc) in neighbours {
                if nr >= rows || nc >= cols || self.walls[nr][nc] || seen[nr][nc] {
                    continue;
                }
                seen[nr][nc] = true;
                prev[nr][nc] = Some((r, c));
                queue.push_back((nr, nc));
            }
        }
        (None, explored)
    }

    fn render(&self, path: &[Pos]) -> String {
        let on_path: HashSet<Pos> = path.iter().copied().collect();
        let mut out = String::new();
        for (r, row) in self.walls.iter().enumerate() {
            for (c, &wall) in row.iter().enumerate() {
                let cell = if (r, c) == self.start() {
                    "S "
                } else if (r, c) == self.goal() {
                    "E "
                } else if wall {
                    "██"
                } else if on_path.contains(&(r, c)) {
                    "· "
                } else {
                    "  "
                };
                out.push_str(cell);
            }
            out.push('\n');
        }
        out
    }
}

fn main() {
    let args: Vec<String> = env::args().collect();
    let width: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(18).max(2);
    let height: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(9).max(2);
    let seed: u64 = args
        .get(3)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| rand::thread_rng().gen());

    let mut rng = StdRng::seed_from_u64(seed);
    let extra = (width * height) / 12;
    let maze = Maze::generate(width, height, extra, &mut rng);

    println!(
        "Maze {}x{} cells (seed {}, {} extra openings)",
        width, height, seed, extra
    );
    println!("{}", maze.render(&[]));

    let open_cells = maze.walls.iter().flatten().filter(|w| !**w).count();
    match maze.solve() {
        (Some(path), explored) => {
            println!(
                "Solved with BFS: shortest path is {} steps, explored {} of {} open cells",
                path.len() - 1,
                explored,
                open_cells
            );
            println!("{}", maze.render(&path));
        }
        (None, explored) => {
            println!("No path exists (explored {} cells)", explored);
        }
    }
}
