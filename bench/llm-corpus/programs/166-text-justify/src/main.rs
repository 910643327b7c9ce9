//! Full justification of paragraphs with simple hyphenation.
//!
//! Paragraphs are distributed round-robin over worker threads created with
//! `std::thread::scope`; each worker sends its justified paragraphs back over
//! an mpsc channel and the results are merged in paragraph order at the end.

use std::collections::VecDeque;
use std::sync::mpsc;
use std::thread;
use std::time::Instant;

const MIN_PART: usize = 2; // minimum letters on each side of a hyphen
const MIN_HYPHEN_WORD: usize = 7; // shorter words are never split voluntarily

#[derive(Debug, Clone)]
struct Justified {
    index: usize,
    worker: usize,
    lines: Vec<String>,
    hyphenations: usize,
}

fn split_paragraphs(text: &str) -> Vec<&str> {
    text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).collect()
}

fn is_vowel(c: char) -> bool {
    "aeiouyAEIOUYàâäéèêëïîôöùûü".contains(c)
}

/// Picks how many characters of `word` stay on the current line (before the
/// hyphen). Prefers a vowel/consonant boundary; when `forced` (the word is
/// longer than a whole line) any position is acceptable.
fn hyphen_point(word: &[char], max_prefix: usize, forced: bool) -> Option<usize> {
    if word.len() < 2 * MIN_PART || max_prefix < MIN_PART {
        return None;
    }
    let upper = max_prefix.min(word.len() - MIN_PART);
    if upper < MIN_PART {
        return None;
    }
    let natural = (MIN_PART..=upper).rev().find(|&k| {
        word[k - 1].is_alphabetic() && word[k].is_alphabetic() && is_vowel(word[k - 1]) && !is_vowel(word[k])
    });
    match natural {
        Some(k) => Some(k),
        None if forced => Some(upper),
        None => None,
    }
}

/// Greedy line breaking; returns the words of each line and the number of
/// hyphenations performed.
fn layout(paragraph: &str, width: usize) -> (Vec<Vec<String>>, usize) {
    let mut lines: Vec<Vec<String>> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let mut current_len = 0;
    let mut hyphenations = 0;
    let mut queue: VecDeque<String> = paragraph.split_whitespace().map(String::from).collect();

    while let Some(word) = queue.pop_front() {
        let wlen = word.chars().count();
        let needed = if current.is_empty() { wlen } else { current_len + 1 + wlen };
        if needed <= width {
            current_len = needed;
            current.push(word);
            continue;
        }

        let used = if current.is_empty() { 0 } else { current_len + 1 };
        let room = width.saturating_sub(used); // includes the hyphen itself
        let forced = wlen > width;
        if (wlen >= MIN_HYPHEN_WORD || forced) && room > MIN_PART {
            let chars: Vec<char> = word.chars().collect();
            if let Some(k) = hyphen_point(&chars, room - 1, forced) {
                let mut head: String = chars[..k].iter().collect();
                head.push('-');
                let tail: String = chars[k..].iter().collect();
                current.push(head);
                lines.push(std::mem::take(&mut current));
                current_len = 0;
                queue.push_front(tail);
                hyphenations += 1;
                continue;
            }
        }

        if current.is_empty() {
            // Cannot be split (width too small): emit it on its own line.
            lines.push(vec![word]);
        } else {
            lines.push(std::mem::take(&mut current));
            current_len = 0;
            queue.push_front(word);
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    (lines, hyphenations)
}

fn justify_line(words: &[String], width: usize, last: bool) -> String {
    if last || words.len() == 1 {
        return words.join(" ");
    }
    let text_len: usize = words.iter().map(|w| w.chars().count()).sum();
    let gaps = words.len() - 1;
    let spaces = width.saturating_sub(text_len);
    let (base, extra) = (spaces / gaps, spaces % gaps);
    let mut out = String::with_capacity(width);
    for (i, w) in words.iter().enumerate() {
        out.push_str(w);
        if i < gaps {
            let n = base + usize::from(i < extra);
            out.extend(std::iter::repeat(' ').take(n));
        }
    }
    out
}

fn justify_paragraph(paragraph: &str, width: usize) -> (Vec<String>, usize) {
    let (lines, hyphenations) = layout(paragraph, width);
    let n = lines.len();
    let text = lines.iter().enumerate().map(|(i, words)| justify_line(words, width, i + 1 == n)).collect();
    (text, hyphenations)
}

fn justify_parallel(paragraphs: &[&str], width: usize, workers: usize) -> Vec<Justified> {
    let workers = workers.max(1);
    let (tx, rx) = mpsc::channel::<Justified>();
    thread::scope(|s| {
        for worker in 0..workers {
            let tx = tx.clone();
            let jobs: Vec<(usize, &str)> =
                paragraphs.iter().copied().enumerate().skip(worker).step_by(workers).collect();
            s.spawn(move || {
                for (index, paragraph) in jobs {
                    let (lines, hyphenations) = justify_paragraph(paragraph, width);
                    tx.send(Justified { index, worker, lines, hyphenations }).expect("receiver is alive");
                }
            });
        }
    });
    drop(tx);
    let mut results: Vec<Justified> = rx.into_iter().collect();
    results.sort_by_key(|r| r.index);
    results
}

/// Every line must fit; every non-final line with several words must be
/// exactly `width` characters wide.
fn validate(results: &[Justified], width: usize) -> Vec<String> {
    let mut problems = Vec::new();
    for r in results {
        let n = r.lines.len();
        for (i, line) in r.lines.iter().enumerate() {
            let len = line.chars().count();
            let multi_word = line.split_whitespace().count() > 1;
            if len > width && multi_word {
                problems.push(format!("paragraph {} line {}: {len} chars exceed {width}", r.index + 1, i + 1));
            }
            if i + 1 < n && multi_word && len != width {
                problems.push(format!("paragraph {} line {}: {len} chars, expected {width}", r.index + 1, i + 1));
            }
        }
    }
    problems
}

const TEXT: &str = "
Typography is the art and technique of arranging type to make written language legible, readable and appealing when displayed. Full justification stretches the spaces between words so that both margins are perfectly straight.

Long words such as internationalization, incomprehensibilities or characteristically make justification difficult, because without hyphenation they leave rivers of white space running down the column.

Supercalifragilisticexpialidocious is longer than a narrow column, so it must be broken across several lines no matter what.

The last line of every paragraph is left aligned, as tradition demands.

Short.

Parallel workers justify independent paragraphs, and the coordinator merges the results in their original order before printing them.
";

fn main() {
    let paragraphs = split_paragraphs(TEXT);
    let workers = thread::available_parallelism().map(|n| n.get()).unwrap_or(4).min(4);

    for width in [44, 24] {
        let start = Instant::now();
        let results = justify_parallel(&paragraphs, width, workers);
        let elapsed = start.elapsed();

        println!("Width {width}, {} paragraphs on {workers} worker thread(s) in {elapsed:.2?}", paragraphs.len());
        println!("+{}+", "-".repeat(width));
        for (pi, r) in results.iter().enumerate() {
            if pi > 0 {
                println!("|{}|", " ".repeat(width));
            }
            for line in &r.lines {
                let pad = width.saturating_sub(line.chars().count());
                println!("|{line}{}|", " ".repeat(pad));
            }
        }
        println!("+{}+", "-".repeat(width));

        let per_worker: Vec<usize> =
            (0..workers).map(|w| results.iter().filter(|r| r.worker == w).count()).collect();
        let hyphenations: usize = results.iter().map(|r| r.hyphenations).sum();
        println!("paragraphs per worker: {per_worker:?}, hyphenations: {hyphenations}");

        // The merged parallel output must be identical to a serial run.
        let serial: Vec<Vec<String>> = paragraphs.iter().map(|p| justify_paragraph(p, width).0).collect();
        let identical = results.iter().map(|r| &r.lines).eq(serial.iter());
        println!("identical to serial result: {identical}");

        let problems = validate(&results, width);
        if problems.is_empty() {
            println!("validation: all lines correctly justified\n");
        } else {
            for p in &problems {
                println!("validation problem: {p}");
            }
            println!();
        }
    }
}
