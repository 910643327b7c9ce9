//! Quiz parser and grader.
//!
//! Parses a line-based quiz format with error recovery (a broken question is
//! reported and skipped up to the next `Q:` line), parses answer sheets, grades
//! them with partial credit, and persists the whole state as JSON: enums with
//! data, chrono timestamps, uuid ids and HashMaps keyed by those ids.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum QuestionKind {
    SingleChoice { options: Vec<String>, correct: usize },
    MultipleChoice { options: Vec<String>, correct: Vec<usize> },
    TrueFalse { answer: bool },
    ShortAnswer { accepted: Vec<String> },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Question {
    id: Uuid,
    number: usize,
    prompt: String,
    points: f64,
    kind: QuestionKind,
    source_line: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ParseIssue {
    line: usize,
    message: String,
    question: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Quiz {
    id: Uuid,
    title: String,
    created_at: DateTime<Utc>,
    questions: Vec<Question>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Response {
    Choice(usize),
    Choices(Vec<usize>),
    Bool(bool),
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct AnswerSheet {
    id: Uuid,
    student: String,
    submitted_at: DateTime<Utc>,
    responses: HashMap<Uuid, Response>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Verdict {
    Correct,
    Partial { fraction: f64 },
    Incorrect,
    Unanswered,
    Mismatched { expected: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct QuestionResult {
    number: usize,
    awarded: f64,
    verdict: Verdict,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct GradeReport {
    sheet_id: Uuid,
    student: String,
    score: f64,
    max_score: f64,
    percent: f64,
    grade: char,
    results: HashMap<Uuid, QuestionResult>,
    graded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct QuizState {
    quiz: Quiz,
    issues: Vec<ParseIssue>,
    sheets: HashMap<Uuid, AnswerSheet>,
    reports: HashMap<Uuid, GradeReport>,
    saved_at: DateTime<Utc>,
}

fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn letter_index(s: &str, option_count: usize) -> Result<usize, String> {
    let mut chars = s.trim().chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_uppercase() => {
            let idx = (c as u8 - b'A') as usize;
            if idx < option_count {
                Ok(idx)
            } else {
                Err(format!(
                    "answer '{c}' does not match any option (A-{})",
                    (b'A' + option_count.saturating_sub(1) as u8) as char
                ))
            }
        }
        _ => Err(format!("expected an option letter, found '{}'", s.trim())),
    }
}

fn parse_bool(s: &str) -> Result<bool, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "t" | "yes" => Ok(true),
        "false" | "f" | "no" => Ok(false),
        other => Err(format!("true/false answer expected, found '{other}'")),
    }
}

fn parse_option(line: &str) -> Option<(char, &str)> {
    let mut chars = line.chars();
    let letter = chars.next()?;
    if letter.is_ascii_uppercase() && chars.next()? == ')' {
        Some((letter, line[2..].trim()))
    } else {
        None
    }
}

struct Draft {
    line: usize,
    prompt: String,
    kind: Option<String>,
    options: Vec<String>,
    answer: Option<String>,
    points: Option<f64>,
    broken: bool,
}

impl Draft {
    fn new(line: usize, prompt: &str) -> Self {
        Draft { line, prompt: prompt.to_string(), kind: None, options: Vec::new(), answer: None, points: None, broken: false }
    }

    fn absorb(&mut self, line: &str) -> Result<(), String> {
        if let Some((letter, text)) = parse_option(line) {
            let expected = (b'A' + self.options.len() as u8) as char;
            if letter != expected {
                return Err(format!("option {letter}) out of order, expected {expected})"));
            }
            self.options.push(text.to_string());
            return Ok(());
        }
        let (key, value) = line.split_once(':').ok_or_else(|| format!("unrecognised line '{line}'"))?;
        let value = value.trim();
        match key.trim().to_ascii_uppercase().as_str() {
            "TYPE" => self.kind = Some(value.to_ascii_lowercase()),
            "ANSWER" => {
                if self.answer.is_some() {
                    return Err("duplicate ANSWER line".into());
                }
                self.answer = Some(value.to_string());
            }
            "POINTS" => {
                let p: f64 = value.parse().map_err(|_| format!("invalid POINTS value '{value}'"))?;
                if !(p > 0.0) {
                    return Err(format!("POINTS must be positive, found {p}"));
                }
                self.points = Some(p);
            }
            other => return Err(format!("unknown directive '{other}'")),
        }
        Ok(())
    }

    fn need_options(&self) -> Result<(), String> {
        if self.options.len() < 2 {
            Err(format!("choice question needs at least two options, found {}", self.options.len()))
        } else {
            Ok(())
        }
    }

    fn build(&self, number: usize) -> Result<Question, String> {
        let answer = self.answer.as_deref().ok_or("missing ANSWER line")?;
        let kind_name = match &self.kind {
            Some(k) => k.clone(),
            None if self.options.is_empty() => {
                if parse_bool(answer).is_ok() { "tf".into() } else { "short".into() }
            }
            None if answer.contains(',') => "multi".into(),
            None => "single".into(),
        };
        let kind = match kind_name.as_str() {
            "single" => {
                self.need_options()?;
                QuestionKind::SingleChoice { options: self.options.clone(), correct: letter_index(answer, self.options.len())? }
            }
            "multi" => {
                self.need_options()?;
                let mut correct = answer
                    .split(',')
                    .map(|a| letter_index(a, self.options.len()))
                    .collect::<Result<Vec<_>, _>>()?;
                correct.sort_unstable();
                correct.dedup();
                QuestionKind::MultipleChoice { options: self.options.clone(), correct }
            }
            "tf" => QuestionKind::TrueFalse { answer: parse_bool(answer)? },
            "short" => {
                let accepted: Vec<String> = answer.split('|').map(normalise).filter(|a| !a.is_empty()).collect();
                if accepted.is_empty() {
                    return Err("short answer needs at least one accepted value".into());
                }
                QuestionKind::ShortAnswer { accepted }
            }
            other => return Err(format!("unknown question TYPE '{other}'")),
        };
        Ok(Question {
            id: Uuid::new_v4(),
            number,
            prompt: self.prompt.clone(),
            points: self.points.unwrap_or(1.0),
            kind,
            source_line: self.line,
        })
    }
}

fn finish(draft: &mut Option<Draft>, questions: &mut Vec<Question>, issues: &mut Vec<ParseIssue>) {
    if let Some(d) = draft.take() {
        if d.broken {
            issues.push(ParseIssue {
                line: d.line,
                message: "question skipped because of the error(s) above".into(),
                question: Some(d.prompt),
            });
            return;
        }
        match d.build(questions.len() + 1) {
            Ok(q) => questions.push(q),
            Err(message) => issues.push(ParseIssue { line: d.line, message, question: Some(d.prompt.clone()) }),
        }
    }
}

fn parse_quiz(text: &str) -> (Quiz, Vec<ParseIssue>) {
    let mut title = "Untitled quiz".to_string();
    let mut questions = Vec::new();
    let mut issues = Vec::new();
    let mut draft: Option<Draft> = None;

    for (idx, raw) in text.lines().enumerate() {
        let line_no = idx + 1;
        let line = raw.trim();
        if line.starts_with('#') {
            continue;
        }
        if line.is_empty() {
            finish(&mut draft, &mut questions, &mut issues);
            continue;
        }
        if let Some(rest) = line.strip_prefix("Q:") {
            finish(&mut draft, &mut questions, &mut issues);
            draft = Some(Draft::new(line_no, rest.trim()));
            continue;
        }
        if draft.is_none() {
            if let Some(rest) = line.strip_prefix("TITLE:") {
                title = rest.trim().to_string();
                continue;
            }
        }
        match draft.as_mut() {
            None => issues.push(ParseIssue {
                line: line_no,
                message: format!("stray line outside a question: '{line}'"),
                question: None,
            }),
            Some(d) if d.broken => {} // recovering: ignore until the next question
            Some(d) => {
                if let Err(message) = d.absorb(line) {
                    issues.push(ParseIssue { line: line_no, message, question: Some(d.prompt.clone()) });
                    d.broken = true;
                }
            }
        }
    }
    finish(&mut draft, &mut questions, &mut issues);
    (Quiz { id: Uuid::new_v4(), title, created_at: Utc::now(), questions }, issues)
}

fn parse_response_line(line: &str, quiz: &Quiz) -> Result<(Uuid, Response), String> {
    let (num, value) = line.split_once(':').ok_or_else(|| format!("expected 'N: answer', found '{line}'"))?;
    let num: usize = num.trim().parse().map_err(|_| format!("invalid question number '{}'", num.trim()))?;
    let q = quiz.questions.iter().find(|q| q.number == num).ok_or_else(|| format!("there is no question {num}"))?;
    let value = value.trim();
    let response = match &q.kind {
        QuestionKind::SingleChoice { options, .. } => Response::Choice(letter_index(value, options.len())?),
        QuestionKind::MultipleChoice { options, .. } => Response::Choices(
            value.split(',').map(|v| letter_index(v, options.len())).collect::<Result<Vec<_>, _>>()?,
        ),
        QuestionKind::TrueFalse { .. } => Response::Bool(parse_bool(value)?),
        QuestionKind::ShortAnswer { .. } => Response::Text(value.to_string()),
    };
    Ok((q.id, response))
}

fn parse_sheets(text: &str, quiz: &Quiz, issues: &mut Vec<ParseIssue>) -> Vec<AnswerSheet> {
    let mut sheets = Vec::new();
    let mut current: Option<AnswerSheet> = None;
    for (idx, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(name) = line.strip_prefix("STUDENT:") {
            if let Some(done) = current.take() {
                sheets.push(done);
            }
            current = Some(AnswerSheet {
                id: Uuid::new_v4(),
                student: name.trim().to_string(),
                submitted_at: Utc::now(),
                responses: HashMap::new(),
            });
            continue;
        }
        let Some(sheet) = current.as_mut() else {
            issues.push(ParseIssue { line: idx + 1, message: format!("answer before any STUDENT line: '{line}'"), question: None });
            continue;
        };
        match parse_response_line(line, quiz) {
            Ok((qid, response)) => {
                sheet.responses.insert(qid, response);
            }
            Err(e) => issues.push(ParseIssue { line: idx + 1, message: format!("sheet of {}: {e}", sheet.student), question: None }),
        }
    }
    if let Some(done) = current {
        sheets.push(done);
    }
    sheets
}

fn judge(kind: &QuestionKind, response: &Response) -> Verdict {
    match (kind, response) {
        (QuestionKind::SingleChoice { correct, .. }, Response::Choice(c)) => {
            if c == correct { Verdict::Correct } else { Verdict::Incorrect }
        }
        (QuestionKind::MultipleChoice { correct, .. }, Response::Choices(picks)) => {
            let mut picks = picks.clone();
            picks.sort_unstable();
            picks.dedup();
            let right = picks.iter().filter(|p| correct.contains(*p)).count() as f64;
            let wrong = picks.len() as f64 - right;
            let fraction = ((right - wrong) / correct.len() as f64).max(0.0);
            if fraction >= 1.0 {
                Verdict::Correct
            } else if fraction > 0.0 {
                Verdict::Partial { fraction }
            } else {
                Verdict::Incorrect
            }
        }
        (QuestionKind::TrueFalse { answer }, Response::Bool(b)) => {
            if answer == b { Verdict::Correct } else { Verdict::Incorrect }
        }
        (QuestionKind::ShortAnswer { accepted }, Response::Text(t)) => {
            if accepted.contains(&normalise(t)) { Verdict::Correct } else { Verdict::Incorrect }
        }
        (kind, _) => Verdict::Mismatched { expected: format!("{kind:?}").split_whitespace().next().unwrap_or("?").to_string() },
    }
}

fn grade(quiz: &Quiz, sheet: &AnswerSheet) -> GradeReport {
    let mut results = HashMap::new();
    let (mut score, mut max_score) = (0.0, 0.0);
    for q in &quiz.questions {
        max_score += q.points;
        let verdict = match sheet.responses.get(&q.id) {
            None => Verdict::Unanswered,
            Some(r) => judge(&q.kind, r),
        };
        let fraction = match verdict {
            Verdict::Correct => 1.0,
            Verdict::Partial { fraction } => fraction,
            _ => 0.0,
        };
        let awarded = (q.points * fraction * 100.0).round() / 100.0;
        score += awarded;
        results.insert(q.id, QuestionResult { number: q.number, awarded, verdict });
    }
    let percent = if max_score > 0.0 { (score / max_score * 10_000.0).round() / 100.0 } else { 0.0 };
    let grade = match percent {
        p if p >= 90.0 => 'A',
        p if p >= 80.0 => 'B',
        p if p >= 70.0 => 'C',
        p if p >= 60.0 => 'D',
        _ => 'F',
    };
    GradeReport {
        sheet_id: sheet.id,
        student: sheet.student.clone(),
        score,
        max_score,
        percent,
        grade,
        results,
        graded_at: Utc::now(),
    }
}

const QUIZ_TEXT: &str = "\
TITLE: Rust & Science Basics
# Lines starting with '#' are comments.

Q: Which keyword declares an immutable binding in Rust?
A) var
B) let
C) const fn
ANSWER: B

Q: Which of these are primitive integer types?
A) u8
B) String
C) i64
D) Vec<u8>
ANSWER: A, C
POINTS: 2

Q: The borrow checker runs at compile time.
TYPE: tf
ANSWER: true

Q: Name the Rust mascot.
TYPE: short
ANSWER: Ferris | Ferris the crab

Q: This answer points to an option that does not exist.
A) one
B) two
ANSWER: D

Q: Is this question well formed?
A) yes
B) no
ANSWER: A
POINTS: lots
COLOR: blue

Q: Is Rust garbage collected?
TYPE: tf
ANSWER: maybe

Q: What is 6 * 7?
TYPE: short
ANSWER: 42
POINTS: 1.5

ANSWER: orphan answer line
Q: Water boils at 100 degrees Celsius at sea level.
ANSWER: true
";

const SHEETS_TEXT: &str = "\
STUDENT: Ada
1: B
2: A, C
3: true
4: ferris
5: 42
6: true

STUDENT: Linus
1: A
2: A
3: false
4: crab
7: B
5: forty-two
6: yes

STUDENT: Grace
1: B
2: A, C, B
3: t
4:   Ferris   the Crab
5: 42
";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (quiz, mut issues) = parse_quiz(QUIZ_TEXT);
    println!("Quiz '{}' ({}): {} questions parsed", quiz.title, quiz.id, quiz.questions.len());
    for q in &quiz.questions {
        println!("  {}. [{} pt] {} (line {})", q.number, q.points, q.prompt, q.source_line);
    }

    let sheets = parse_sheets(SHEETS_TEXT, &quiz, &mut issues);
    println!("\n{} issue(s) found while parsing:", issues.len());
    for issue in &issues {
        match &issue.question {
            Some(q) => println!("  line {:>2}: {} [question: {}]", issue.line, issue.message, q),
            None => println!("  line {:>2}: {}", issue.line, issue.message),
        }
    }

    let mut reports = HashMap::new();
    println!("\nResults:");
    for sheet in &sheets {
        let report = grade(&quiz, sheet);
        println!(
            "  {:<6} {:>5.2}/{:<4} {:>6.2}%  grade {}",
            report.student, report.score, report.max_score, report.percent, report.grade
        );
        let mut lines: Vec<&QuestionResult> = report.results.values().collect();
        lines.sort_by_key(|r| r.number);
        for r in lines {
            println!("      Q{}: {:?} -> {} pt", r.number, r.verdict, r.awarded);
        }
        reports.insert(report.sheet_id, report);
    }

    let state = QuizState {
        quiz,
        issues,
        sheets: sheets.into_iter().map(|s| (s.id, s)).collect(),
        reports,
        saved_at: Utc::now(),
    };

    let path = std::env::temp_dir().join(format!("quiz_state_{}.json", state.quiz.id));
    let json = serde_json::to_string_pretty(&state)?;
    std::fs::write(&path, &json)?;
    println!("\nSaved state to {} ({} bytes)", path.display(), json.len());

    let loaded: QuizState = serde_json::from_str(&std::fs::read_to_string(&path)?)?;
    println!("Reloaded state equals original: {}", loaded == state);
    let best = loaded.reports.values().max_by(|a, b| a.score.total_cmp(&b.score));
    if let Some(best) = best {
        println!("Top student after reload: {} with {:.2} points", best.student, best.score);
    }
    let first_q = &loaded.quiz.questions[0];
    println!("Question 1 as JSON: {}", serde_json::to_string(first_q)?);
    std::fs::remove_file(&path)?;
    Ok(())
}
