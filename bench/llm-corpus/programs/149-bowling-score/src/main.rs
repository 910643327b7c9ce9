use std::cell::RefCell;
use std::fmt;
use std::rc::{Rc, Weak};

#[derive(Debug, PartialEq)]
enum BowlingError {
    FrameCount(usize),
    BadSymbol { frame: usize, symbol: char },
    BadLength { frame: usize, text: String },
    SpareFirst { frame: usize },
    StrikeNotAlone { frame: usize },
    TooManyPins { frame: usize, pins: u32 },
    MissingFillBall,
    UnexpectedFillBall,
}

impl fmt::Display for BowlingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BowlingError::FrameCount(n) => write!(f, "a game has 10 frames, found {n}"),
            BowlingError::BadSymbol { frame, symbol } => write!(f, "frame {frame}: unknown symbol '{symbol}'"),
            BowlingError::BadLength { frame, text } => write!(f, "frame {frame}: '{text}' has the wrong number of rolls"),
            BowlingError::SpareFirst { frame } => write!(f, "frame {frame}: a spare cannot be the first roll"),
            BowlingError::StrikeNotAlone { frame } => write!(f, "frame {frame}: a strike ends the frame"),
            BowlingError::TooManyPins { frame, pins } => write!(f, "frame {frame}: {pins} pins knocked down, only 10 stand"),
            BowlingError::MissingFillBall => write!(f, "frame 10: strike or spare needs fill ball(s)"),
            BowlingError::UnexpectedFillBall => write!(f, "frame 10: fill ball without strike or spare"),
        }
    }
}

#[derive(Debug)]
struct Frame {
    index: usize,
    text: String,
    rolls: Vec<u8>,
    first_roll: usize,
    game: Weak<RefCell<Game>>,
}

#[derive(Debug, Default)]
struct Game {
    player: String,
    rolls: Vec<u8>,
    frames: Vec<Rc<RefCell<Frame>>>,
}

impl Frame {
    fn is_strike(&self) -> bool {
        self.rolls.first() == Some(&10)
    }

    fn is_spare(&self) -> bool {
        !self.is_strike() && self.rolls.len() >= 2 && self.rolls[0] + self.rolls[1] == 10
    }

    /// Score of this frame alone, or None while bonus rolls are still pending.
    fn score(&self) -> Option<u32> {
        let game_rc = self.game.upgrade()?;
        let game = game_rc.borrow();
        let base: u32 = self.rolls.iter().map(|&r| r as u32).sum();
        if self.index == 9 {
            return Some(base);
        }
        let bonus_rolls = if self.is_strike() {
            2
        } else if self.is_spare() {
            1
        } else {
            0
        };
        let start = self.first_roll + self.rolls.len();
        let bonus: u32 = game.rolls.get(start..start + bonus_rolls)?.iter().map(|&r| r as u32).sum();
        Some(base + bonus)
    }
}

fn roll_value(symbol: char, previous: Option<u8>, frame: usize) -> Result<u8, BowlingError> {
    match symbol {
        'X' | 'x' => Ok(10),
        '-' => Ok(0),
        '/' => match previous {
            Some(p) if p < 10 => Ok(10 - p),
            _ => Err(BowlingError::SpareFirst { frame }),
        },
        c if c.is_ascii_digit() => Ok(c as u8 - b'0'),
        c => Err(BowlingError::BadSymbol { frame, symbol: c }),
    }
}

fn parse_frame(frame: usize, text: &str) -> Result<Vec<u8>, BowlingError> {
    let chars: Vec<char> = text.chars().collect();
    let mut rolls = Vec::new();
    // Standing pins reset after a strike or spare (only possible in the tenth frame).
    let mut standing = 10u8;
    for (i, &c) in chars.iter().enumerate() {
        let previous = if standing == 10 { None } else { Some(10 - standing) };
        if c == '/' && standing == 10 {
            return Err(BowlingError::SpareFirst { frame });
        }
        if (c == 'X' || c == 'x') && standing != 10 {
            return Err(BowlingError::StrikeNotAlone { frame });
        }
        let v = roll_value(c, previous, frame)?;
        if v > standing || (c != '/' && v == standing && standing != 10 && i > 0) {
            return Err(BowlingError::TooManyPins { frame, pins: (10 - standing + v) as u32 });
        }
        rolls.push(v);
        standing -= v;
        if standing == 0 || (standing != 10 && rolls.len() % 2 == 0 && frame == 10) {
            standing = 10;
        }
    }
    let first_two = rolls.iter().take(2).map(|&r| r as u32).sum::<u32>();
    let strike = rolls.first() == Some(&10);
    let spare = !strike && rolls.len() >= 2 && first_two == 10;
    if frame < 10 {
        let ok = (strike && rolls.len() == 1) || (!strike && rolls.len() == 2);
        if strike && rolls.len() > 1 {
            return Err(BowlingError::StrikeNotAlone { frame });
        }
        if !ok {
            return Err(BowlingError::BadLength { frame, text: text.to_string() });
        }
    } else {
        match (strike || spare, rolls.len()) {
            (true, 3) | (false, 2) => {}
            (true, n) if n < 3 => return Err(BowlingError::MissingFillBall),
            (false, 3) => return Err(BowlingError::UnexpectedFillBall),
            _ => return Err(BowlingError::BadLength { frame, text: text.to_string() }),
        }
    }
    Ok(rolls)
}

fn parse_game(player: &str, line: &str, allow_partial: bool) -> Result<Rc<RefCell<Game>>, BowlingError> {
    let texts: Vec<&str> = line.split_whitespace().collect();
    if texts.len() > 10 || (!allow_partial && texts.len() != 10) {
        return Err(BowlingError::FrameCount(texts.len()));
    }
    let game = Rc::new(RefCell::new(Game { player: player.to_string(), ..Game::default() }));
    for (i, text) in texts.iter().enumerate() {
        let rolls = parse_frame(i + 1, text)?;
        let first_roll = game.borrow().rolls.len();
        let frame = Rc::new(RefCell::new(Frame {
            index: i,
            text: text.to_string(),
            rolls: rolls.clone(),
            first_roll,
            game: Rc::downgrade(&game),
        }));
        let mut g = game.borrow_mut();
        g.rolls.extend(rolls);
        g.frames.push(frame);
    }
    Ok(game)
}

fn running_totals(game: &Rc<RefCell<Game>>) -> Vec<Option<u32>> {
    let frames: Vec<Rc<RefCell<Frame>>> = game.borrow().frames.clone();
    let mut total = Some(0u32);
    frames
        .iter()
        .map(|f| {
            total = match (total, f.borrow().score()) {
                (Some(t), Some(s)) => Some(t + s),
                _ => None,
            };
            total
        })
        .collect()
}

fn print_scoreboard(game: &Rc<RefCell<Game>>) {
    let g = game.borrow();
    let totals = running_totals(game);
    let symbols: Vec<String> = g.frames.iter().map(|f| format!("{:^5}", f.borrow().text)).collect();
    let scores: Vec<String> = totals.iter().map(|t| format!("{:^5}", t.map(|v| v.to_string()).unwrap_or_default())).collect();
    println!("{:<8}|{}|", g.player, symbols.join("|"));
    println!("{:<8}|{}|", "", scores.join("|"));
}

fn main() {
    let games = [
        ("Perfect", "X X X X X X X X X XXX", Some(300)),
        ("Spares", "5/ 5/ 5/ 5/ 5/ 5/ 5/ 5/ 5/ 5/5", Some(150)),
        ("Gutter", "-- -- -- -- -- -- -- -- -- --", Some(0)),
        ("Mixed", "X 7/ 9- X -8 8/ -6 X X X81", Some(167)),
        ("Nines", "9- 9- 9- 9- 9- 9- 9- 9- 9- 9-", Some(90)),
        ("Tenth", "X X X X X X X X X 9/X", Some(279)),
    ];
    println!("Valid games:\n");
    for (player, line, expected) in games {
        match parse_game(player, line, false) {
            Ok(game) => {
                print_scoreboard(&game);
                let final_score = running_totals(&game).last().copied().flatten();
                assert_eq!(final_score, expected, "{player}: unexpected score");
                println!("{:<8} final score {}\n", "", final_score.unwrap_or(0));
            }
            Err(e) => println!("{player}: unexpected error: {e}\n"),
        }
    }

    println!("Game in progress (pending bonuses show blank totals):");
    if let Ok(game) = parse_game("Live", "X 7/ 9- X X", true) {
        print_scoreboard(&game);
        let frames = game.borrow().frames.clone();
        if let Some(last) = frames.last() {
            let f = last.borrow();
            let owner = f.game.upgrade().map(|g| g.borrow().player.clone()).unwrap_or_default();
            println!("frame {} belongs to {owner} (via Weak parent); strike: {}\n", f.index + 1, f.is_strike());
        }
    }

    println!("Invalid inputs:");
    let invalid = [
        "X X X X X X X X X X8",
        "75 -- -- -- -- -- -- -- -- --",
        "/5 -- -- -- -- -- -- -- -- --",
        "X X X",
        "-- -- -- -- -- -- -- -- -- 81X",
        "3X -- -- -- -- -- -- -- -- --",
        "X5 -- -- -- -- -- -- -- -- --",
        "9? -- -- -- -- -- -- -- -- --",
        "64 -- -- -- -- -- -- -- -- --",
        "-- -- -- -- -- -- -- -- -- -- --",
    ];
    for line in invalid {
        match parse_game("?", line, false) {
            Ok(g) => println!("  {line:<34} accepted?! total {:?}", running_totals(&g).last()),
            Err(e) => println!("  {line:<34} {e}"),
        }
    }
}
