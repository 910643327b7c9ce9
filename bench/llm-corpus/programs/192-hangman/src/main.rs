//! Hangman with a scripted player.
//!
//! The word list and the guess scripts are parsed without copying: every
//! `WordEntry`, `Script` and `Guess` borrows `&str` slices from the input
//! buffers. Words are picked with a seeded RNG, each round plays the scripted
//! guesses, draws the ASCII gallows and the rounds are summarised at the end.

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;

const MAX_MISSES: usize = 6;

const STAGES: [&str; MAX_MISSES + 1] = [
    "  +---+\n  |   |\n      |\n      |\n      |\n      |\n=========",
    "  +---+\n  |   |\n  O   |\n      |\n      |\n      |\n=========",
    "  +---+\n  |   |\n  O   |\n  |   |\n      |\n      |\n=========",
    "  +---+\n  |   |\n  O   |\n /|   |\n      |\n      |\n=========",
    "  +---+\n  |   |\n  O   |\n /|\\  |\n      |\n      |\n=========",
    "  +---+\n  |   |\n  O   |\n /|\\  |\n /    |\n      |\n=========",
    "  +---+\n  |   |\n  O   |\n /|\\  |\n / \\  |\n      |\n=========",
];

const WORDS: &str = "\
# category | word | hint
animals | giraffe | tallest land animal
animals | penguin | a bird that cannot fly
fruit   | pineapple | spiky tropical fruit
fruit   | mango | king of fruits
space   | nebula | cloud of gas and dust
space   | comet | icy body with a tail
tools   | hammer | drives nails
this line is broken
tools   | wrench | turns bolts
music   | violin | four strings and a bow
oops    | Upper | uppercase words are rejected
";

const SCRIPTS: &str = "\
# round: guesses (single letters, or guess:<word> for a full-word guess)
round-1: e a i o u n r t s l
round-2: s t r e a guess:hammer m h w n c
round-3: z q x j k v w y e a
round-4: a e guess:mango n g o m i p l
round-5: e n o i l p a r c t b u m g s
round-6: a 7 e ?? i o u
";

#[derive(Debug)]
struct WordEntry<'a> {
    category: &'a str,
    word: &'a str,
    hint: &'a str,
    line: usize,
}

#[derive(Debug, Clone, Copy)]
enum Guess<'a> {
    Letter(char),
    Word(&'a str),
}

#[derive(Debug)]
struct Script<'a> {
    name: &'a str,
    guesses: Vec<Guess<'a>>,
}

fn parse_words(input: &str) -> (Vec<WordEntry<'_>>, Vec<String>) {
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    for (i, raw) in input.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.split('|').map(str::trim);
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(category), Some(word), Some(hint), None)
                if !word.is_empty() && word.chars().all(|c| c.is_ascii_lowercase()) =>
            {
                entries.push(WordEntry { category, word, hint, line: i + 1 });
            }
            _ => errors.push(format!("line {}: skipped malformed entry '{}'", i + 1, line)),
        }
    }
    (entries, errors)
}

fn parse_scripts(input: &str) -> (Vec<Script<'_>>, Vec<String>) {
    let mut scripts = Vec::new();
    let mut errors = Vec::new();
    for (i, raw) in input.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((name, rest)) = line.split_once(':') else {
            errors.push(format!("line {}: missing ':' in '{}'", i + 1, line));
            continue;
        };
        let mut guesses = Vec::new();
        for token in rest.split_whitespace() {
            if let Some(word) = token.strip_prefix("guess:") {
                guesses.push(Guess::Word(word));
                continue;
            }
            let mut chars = token.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if c.is_ascii_alphabetic() => guesses.push(Guess::Letter(c.to_ascii_lowercase())),
                _ => errors.push(format!("line {}: ignoring invalid guess '{}' in {}", i + 1, token, name.trim())),
            }
        }
        scripts.push(Script { name: name.trim(), guesses });
    }
    (scripts, errors)
}

#[derive(Debug)]
enum Outcome {
    Hit(char, usize),
    Miss(char),
    Repeat(char),
    WordRight,
    WordWrong,
}

struct Game<'e, 'a> {
    entry: &'e WordEntry<'a>,
    guessed: Vec<char>,
    misses: Vec<char>,
    wrong_words: usize,
}

impl<'e, 'a> Game<'e, 'a> {
    fn new(entry: &'e WordEntry<'a>) -> Self {
        Game { entry, guessed: Vec::new(), misses: Vec::new(), wrong_words: 0 }
    }

    fn lives_used(&self) -> usize {
        self.misses.len() + self.wrong_words
    }

    fn is_lost(&self) -> bool {
        self.lives_used() >= MAX_MISSES
    }

    fn is_won(&self) -> bool {
        self.entry.word.chars().all(|c| self.guessed.contains(&c))
    }

    fn masked(&self) -> String {
        self.entry
            .word
            .chars()
            .map(|c| if self.guessed.contains(&c) { c.to_string() } else { "_".to_string() })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn apply(&mut self, guess: &Guess<'_>) -> Outcome {
        match *guess {
            Guess::Letter(c) => {
                if self.guessed.contains(&c) || self.misses.contains(&c) {
                    return Outcome::Repeat(c);
                }
                let count = self.entry.word.chars().filter(|&w| w == c).count();
                if count > 0 {
                    self.guessed.push(c);
                    Outcome::Hit(c, count)
                } else {
                    self.misses.push(c);
                    Outcome::Miss(c)
                }
            }
            Guess::Word(w) => {
                if w.eq_ignore_ascii_case(self.entry.word) {
                    for c in self.entry.word.chars() {
                        if !self.guessed.contains(&c) {
                            self.guessed.push(c);
                        }
                    }
                    Outcome::WordRight
                } else {
                    self.wrong_words += 1;
                    Outcome::WordWrong
                }
            }
        }
    }
}

fn describe(guess: &Guess<'_>) -> String {
    match guess {
        Guess::Letter(c) => format!("'{c}'"),
        Guess::Word(w) => format!("\"{w}\""),
    }
}

fn outcome_text(o: &Outcome) -> String {
    match o {
        Outcome::Hit(c, n) => format!("hit: {n} x '{c}'"),
        Outcome::Miss(c) => format!("miss: no '{c}'"),
        Outcome::Repeat(c) => format!("already tried '{c}'"),
        Outcome::WordRight => "correct word!".to_string(),
        Outcome::WordWrong => "wrong word (costs a life)".to_string(),
    }
}

#[derive(Debug)]
enum RoundResult {
    Won { guesses_used: usize },
    Lost,
    OutOfGuesses,
}

fn main() {
    let (entries, word_errors) = parse_words(WORDS);
    let (scripts, script_errors) = parse_scripts(SCRIPTS);
    println!("loaded {} words and {} scripts", entries.len(), scripts.len());
    for e in word_errors.iter().chain(script_errors.iter()) {
        println!("  warning: {e}");
    }

    let mut rng = StdRng::seed_from_u64(7);
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.shuffle(&mut rng);

    let mut results: Vec<(&str, &str, RoundResult, usize)> = Vec::new();
    for (round, script) in scripts.iter().enumerate() {
        let entry = &entries[order[round % order.len()]];
        let mut game = Game::new(entry);
        println!(
            "\n=== {} === category: {}, {} letters, hint: {} (word list line {})",
            script.name,
            entry.category,
            entry.word.len(),
            entry.hint,
            entry.line
        );
        println!("  start: {}", game.masked());
        let mut used = 0;
        for guess in &script.guesses {
            if game.is_won() || game.is_lost() {
                break;
            }
            used += 1;
            let outcome = game.apply(guess);
            println!(
                "  {:>2}. {:<12} {:<26} {}   lives left {}",
                used,
                describe(guess),
                outcome_text(&outcome),
                game.masked(),
                MAX_MISSES - game.lives_used().min(MAX_MISSES)
            );
        }
        println!("{}", STAGES[game.lives_used().min(MAX_MISSES)]);
        let result = if game.is_won() {
            println!("  WON - the word was '{}'", entry.word);
            RoundResult::Won { guesses_used: used }
        } else if game.is_lost() {
            println!("  LOST - the word was '{}'", entry.word);
            RoundResult::Lost
        } else {
            println!("  script ran out of guesses - the word was '{}'", entry.word);
            RoundResult::OutOfGuesses
        };
        if !game.misses.is_empty() {
            let misses: String = game.misses.iter().collect();
            println!("  wrong letters: {misses}");
        }
        results.push((script.name, entry.word, result, game.lives_used()));
    }

    println!("\n=== Final result ===");
    println!("{:<9} {:<10} {:<22} {}", "round", "word", "result", "lives used");
    for (name, word, result, lives) in &results {
        let text = match result {
            RoundResult::Won { guesses_used } => format!("won in {guesses_used} guesses"),
            RoundResult::Lost => "hanged".to_string(),
            RoundResult::OutOfGuesses => "unfinished".to_string(),
        };
        println!("{:<9} {:<10} {:<22} {}", name, word, text, lives);
    }
    let wins = results.iter().filter(|r| matches!(r.2, RoundResult::Won { .. })).count();
    println!("\nscore: {wins} of {} rounds won", results.len());
}
