use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};
use std::env;
use std::fs;

#[derive(Debug, Clone, Deserialize)]
struct Question {
    id: u32,
    category: String,
    prompt: String,
    choices: Vec<String>,
    answer: usize,
    #[serde(default = "default_points")]
    points: u32,
}

fn default_points() -> u32 {
    1
}

#[derive(Debug, Deserialize)]
struct QuizFile {
    title: String,
    #[serde(default = "default_pass_mark")]
    pass_mark: f64,
    questions: Vec<Question>,
}

fn default_pass_mark() -> f64 {
    60.0
}

/// A question with its choices shuffled and the correct index remapped.
struct Prepared {
    question: Question,
    choices: Vec<String>,
    correct: usize,
}

enum Answer {
    Choice(usize),
    Skipped,
    Invalid(String),
}

fn validate(quiz: &QuizFile) -> Result<(), String> {
    if quiz.questions.is_empty() {
        return Err("quiz has no questions".to_string());
    }
    let mut ids = HashSet::new();
    for q in &quiz.questions {
        if !ids.insert(q.id) {
            return Err(format!("duplicate question id {}", q.id));
        }
        if q.choices.len() < 2 || q.choices.len() > 26 {
            return Err(format!("question {} needs 2-26 choices", q.id));
        }
        if q.answer >= q.choices.len() {
            return Err(format!("question {}: answer index {} out of range", q.id, q.answer));
        }
    }
    Ok(())
}

fn prepare(question: Question, rng: &mut StdRng) -> Prepared {
    let mut order: Vec<usize> = (0..question.choices.len()).collect();
    order.shuffle(rng);
    let choices = order.iter().map(|&i| question.choices[i].clone()).collect();
    let correct = order
        .iter()
        .position(|&i| i == question.answer)
        .expect("answer is one of the choices");
    Prepared {
        question,
        choices,
        correct,
    }
}

/// Accepts a letter ("b"), a 1-based number ("2") or the choice text itself.
fn interpret(input: &str, choices: &[String]) -> Answer {
    let t = input.trim();
    if t.is_empty() || t.eq_ignore_ascii_case("skip") {
        return Answer::Skipped;
    }
    if t.len() == 1 {
        let c = t.chars().next().unwrap_or(' ').to_ascii_uppercase();
        if c.is_ascii_uppercase() {
            let idx = (c as u8 - b'A') as usize;
            return if idx < choices.len() {
                Answer::Choice(idx)
            } else {
                Answer::Invalid(format!("there is no option {}", c))
            };
        }
    }
    if let Ok(n) = t.parse::<usize>() {
        if (1..=choices.len()).contains(&n) {
            return Answer::Choice(n - 1);
        }
    }
    match choices.iter().position(|c| c.eq_ignore_ascii_case(t)) {
        Some(i) => Answer::Choice(i),
        None => Answer::Invalid(format!("`{}` is not one of the options", t)),
    }
}

fn letter(i: usize) -> char {
    (b'A' + i as u8) as char
}

fn grade(percent: f64) -> &'static str {
    match percent {
        p if p >= 90.0 => "A",
        p if p >= 80.0 => "B",
        p if p >= 70.0 => "C",
        p if p >= 60.0 => "D",
        _ => "F",
    }
}

const SAMPLE_QUIZ: &str = r#"{
  "title": "General Knowledge Warm-up",
  "pass_mark": 60,
  "questions": [
    {"id": 1, "category": "Geography", "prompt": "What is the capital of France?",
     "choices": ["Paris", "London", "Berlin", "Madrid"], "answer": 0},
    {"id": 2, "category": "Science", "prompt": "Which planet is the largest in our solar system?",
     "choices": ["Jupiter", "Saturn", "Earth", "Neptune"], "answer": 0},
    {"id": 3, "category": "History", "prompt": "In which year did Apollo 11 land on the Moon?",
     "choices": ["1965", "1969", "1972", "1958"], "answer": 1, "points": 2},
    {"id": 4, "category": "Science", "prompt": "What is the chemical symbol for gold?",
     "choices": ["Au", "Ag", "Gd", "Go"], "answer": 0},
    {"id": 5, "category": "Geography", "prompt": "Which is the largest ocean?",
     "choices": ["Pacific", "Atlantic", "Indian", "Arctic"], "answer": 0},
    {"id": 6, "category": "Literature", "prompt": "Who wrote \"1984\"?",
     "choices": ["George Orwell", "Aldous Huxley", "Ray Bradbury", "H. G. Wells"], "answer": 0},
    {"id": 7, "category": "Math", "prompt": "What is 2 to the power of 10?",
     "choices": ["1024", "1000", "2048", "512"], "answer": 0},
    {"id": 8, "category": "Tech", "prompt": "Which language is famous for its borrow checker?",
     "choices": ["Rust", "Go", "C", "Python"], "answer": 0, "points": 2},
    {"id": 9, "category": "Math", "prompt": "What is the square root of 144?",
     "choices": ["12", "14", "10", "16"], "answer": 0},
    {"id": 10, "category": "Literature", "prompt": "Who wrote \"Pride and Prejudice\"?",
     "choices": ["Jane Austen", "Charlotte Bronte", "Emily Dickinson", "Mary Shelley"], "answer": 0}
  ]
}"#;

/// What the "player" types, in order.
const SCRIPTED_INPUTS: &[&str] = &[
    "Paris", "saturn", "1969", "Au", "skip", "George Orwell", "2048", "rust", "b", "Jane Austen",
];

fn main() {
    let args: Vec<String> = env::args().collect();
    let json = match args.get(1) {
        Some(path) => fs::read_to_string(path).unwrap_or_else(|e| {
            eprintln!("cannot read {}: {}", path, e);
            std::process::exit(1);
        }),
        None => SAMPLE_QUIZ.to_string(),
    };
    let seed: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(7);

    let quiz: QuizFile = match serde_json::from_str(&json) {
        Ok(q) => q,
        Err(e) => {
            eprintln!("invalid quiz file: {}", e);
            std::process::exit(1);
        }
    };
    if let Err(e) = validate(&quiz) {
        eprintln!("invalid quiz: {}", e);
        std::process::exit(1);
    }

    let mut rng = StdRng::seed_from_u64(seed);
    let mut questions = quiz.questions.clone();
    questions.shuffle(&mut rng);
    let prepared: Vec<Prepared> = questions.into_iter().map(|q| prepare(q, &mut rng)).collect();

    println!("{} ({} questions, shuffle seed {})\n", quiz.title, prepared.len(), seed);

    let mut inputs = SCRIPTED_INPUTS.iter();
    let (mut earned, mut possible) = (0u32, 0u32);
    let mut by_category: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    let mut review = Vec::new();

    for (n, p) in prepared.iter().enumerate() {
        let q = &p.question;
        println!("Q{} [{}, {} pt] {}", n + 1, q.category, q.points, q.prompt);
        let options: Vec<String> = p
            .choices
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{}) {}", letter(i), c))
            .collect();
        println!("    {}", options.join("   "));

        let input = inputs.next().copied().unwrap_or("");
        let answer = interpret(input, &p.choices);
        possible += q.points;
        let entry = by_category.entry(q.category.clone()).or_insert((0, 0));
        entry.1 += q.points;
        let correct_text = format!("{}) {}", letter(p.correct), p.choices[p.correct]);
        match answer {
            Answer::Choice(i) if i == p.correct => {
                earned += q.points;
                entry.0 += q.points;
                println!("    > {:<14} correct! +{}", format!("{:?}", input), q.points);
            }
            Answer::Choice(i) => {
                println!("    > {:<14} wrong ({}) {}", format!("{:?}", input), letter(i), p.choices[i]);
                review.push(format!("Q{}: you chose {}, answer was {}", n + 1, p.choices[i], correct_text));
            }
            Answer::Skipped => {
                println!("    > {:<14} skipped", format!("{:?}", input));
                review.push(format!("Q{}: skipped, answer was {}", n + 1, correct_text));
            }
            Answer::Invalid(why) => {
                println!("    > {:<14} not understood: {}", format!("{:?}", input), why);
                review.push(format!("Q{}: invalid input, answer was {}", n + 1, correct_text));
            }
        }
        println!();
    }

    let percent = earned as f64 * 100.0 / possible as f64;
    println!("==== results ====");
    println!("score: {}/{} points ({:.1}%)", earned, possible, percent);
    println!(
        "grade: {} - {}",
        grade(percent),
        if percent >= quiz.pass_mark { "PASSED" } else { "FAILED" }
    );
    println!("\nby category:");
    for (category, (got, max)) in &by_category {
        println!("  {:<11} {}/{}", category, got, max);
    }
    if !review.is_empty() {
        println!("\nreview:");
        for line in review {
            println!("  {}", line);
        }
    }
}
