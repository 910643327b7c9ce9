use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::VecDeque;
use std::env;

type Pos = (i32, i32);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    Up,
    Down,
    Left,
    Right,
}

impl Dir {
    fn from_char(c: char) -> Option<Dir> {
        match c.to_ascii_uppercase() {
            'U' => Some(Dir::Up),
            'D' => Some(Dir::Down),
            'L' => Some(Dir::Left),
            'R' => Some(Dir::Right),
            _ => None,
        }
    }

    fn delta(self) -> Pos {
        match self {
            Dir::Up => (0, -1),
            Dir::Down => (0, 1),
            Dir::Left => (-1, 0),
            Dir::Right => (1, 0),
        }
    }

    fn opposite(self) -> Dir {
        match self {
            Dir::Up => Dir::Down,
            Dir::Down => Dir::Up,
            Dir::Left => Dir::Right,
            Dir::Right => Dir::Left,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StepResult {
    Moved,
    Ate,
    HitWall,
    HitSelf,
    BoardFull,
}

struct Game {
    width: i32,
    height: i32,
    snake: VecDeque<Pos>, // front is the head
    dir: Dir,
    food: Option<Pos>,
    score: u32,
    steps: u32,
    ignored_reversals: u32,
    rng: StdRng,
}

impl Game {
    fn new(width: i32, height: i32, seed: u64) -> Self {
        let (cx, cy) = (width / 2 - 1, height / 2);
        let snake: VecDeque<Pos> = [(cx, cy), (cx - 1, cy), (cx - 2, cy)].into_iter().collect();
        let mut game = Game {
            width,
            height,
            snake,
            dir: Dir::Right,
            food: None,
            score: 0,
            steps: 0,
            ignored_reversals: 0,
            rng: StdRng::seed_from_u64(seed),
        };
        game.spawn_food();
        game
    }

    fn spawn_food(&mut self) {
        let free: Vec<Pos> = (0..self.height)
            .flat_map(|y| (0..self.width).map(move |x| (x, y)))
            .filter(|p| !self.snake.contains(p))
            .collect();
        self.food = if free.is_empty() {
            None
        } else {
            Some(free[self.rng.gen_range(0..free.len())])
        };
    }

    fn step(&mut self, turn: Option<Dir>) -> StepResult {
        if let Some(d) = turn {
            // A snake cannot reverse into itself; such input is ignored.
            if d == self.dir.opposite() {
                self.ignored_reversals += 1;
            } else {
                self.dir = d;
            }
        }
        self.steps += 1;
        let (dx, dy) = self.dir.delta();
        let (hx, hy) = *self.snake.front().expect("snake is never empty");
        let head = (hx + dx, hy + dy);
        if head.0 < 0 || head.1 < 0 || head.0 >= self.width || head.1 >= self.height {
            return StepResult::HitWall;
        }
        let eating = self.food == Some(head);
        // Unless it grows, the tail moves away this step, so it is not an obstacle.
        let body_len = if eating {
            self.snake.len()
        } else {
            self.snake.len() - 1
        };
        if self.snake.iter().take(body_len).any(|&p| p == head) {
            return StepResult::HitSelf;
        }
        self.snake.push_front(head);
        if eating {
            self.score += 1;
            self.spawn_food();
            if self.food.is_none() {
                return StepResult::BoardFull;
            }
            StepResult::Ate
        } else {
            self.snake.pop_back();
            StepResult::Moved
        }
    }

    fn render(&self) -> String {
        let border = format!("+{}+\n", "-".repeat(self.width as usize * 2));
        let mut out = border.clone();
        for y in 0..self.height {
            out.push('|');
            for x in 0..self.width {
                let p = (x, y);
                let cell = if self.snake.front() == Some(&p) {
                    "@ "
                } else if self.snake.contains(&p) {
                    "o "
                } else if self.food == Some(p) {
                    "* "
                } else {
                    ". "
                };
                out.push_str(cell);
            }
            out.push_str("|\n");
        }
        out.push_str(&border);
        out
    }
}

/// Moves: U/D/L/R turn and step, `.` steps straight on, whitespace is ignored.
const DEFAULT_SCRIPT: &str = "RRRRRR UUUU LLLLLLLLLLL DDDDDDD RRRRRRRRRRR UUU LLLLLLLLLL \
                              UU RRRRRRRRR U LLLL .... D R UUU";

fn main() {
    let args: Vec<String> = env::args().collect();
    let seed: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(42);
    let script = args.get(2).cloned().unwrap_or_else(|| DEFAULT_SCRIPT.to_string());

    let mut game = Game::new(12, 8, seed);
    println!("Snake on a {}x{} board, seed {}", game.width, game.height, seed);
    println!("{}", game.render());

    let mut outcome = None;
    for ch in script.chars().filter(|c| !c.is_whitespace()) {
        let turn = if ch == '.' {
            None
        } else {
            match Dir::from_char(ch) {
                Some(d) => Some(d),
                None => {
                    eprintln!("ignoring unknown move `{}`", ch);
                    continue;
                }
            }
        };
        match game.step(turn) {
            StepResult::Moved => {}
            StepResult::Ate => {
                println!(
                    "step {:>3}: ate food, score {}, length {}",
                    game.steps,
                    game.score,
                    game.snake.len()
                );
                println!("{}", game.render());
            }
            result @ (StepResult::HitWall | StepResult::HitSelf | StepResult::BoardFull) => {
                outcome = Some(result);
                break;
            }
        }
    }

    match outcome {
        Some(StepResult::HitWall) => println!("step {:>3}: crashed into the wall!", game.steps),
        Some(StepResult::HitSelf) => println!("step {:>3}: bit its own tail!", game.steps),
        Some(StepResult::BoardFull) => println!("step {:>3}: the board is full - you win!", game.steps),
        _ => println!("script finished after {} steps, snake still alive", game.steps),
    }
    println!("{}", game.render());
    println!(
        "final score {}, length {}, {} reversal(s) ignored",
        game.score,
        game.snake.len(),
        game.ignored_reversals
    );
}
