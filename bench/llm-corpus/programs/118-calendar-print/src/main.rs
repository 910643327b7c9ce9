//! calendar-print: print month calendars like `cal`, with today highlighted.
//!
//! Usage:
//!   calendar-print                 current month
//!   calendar-print MONTH YEAR      one month
//!   calendar-print YEAR            whole year (months rendered in parallel)
//!   calendar-print -3              previous, current and next month
//!   add --monday to start weeks on Monday, --no-color to disable highlighting

use chrono::{Datelike, Local, NaiveDate};
use std::sync::mpsc;
use std::thread;

const WIDTH: usize = 20; // 7 cells of 2 chars + 6 separators

#[derive(Debug, Clone, Copy)]
struct Options {
    monday_first: bool,
    color: bool,
    today: NaiveDate,
}

fn month_name(m: u32) -> &'static str {
    [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    ][(m - 1) as usize]
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let (ny, nm) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1)
        .and_then(|d| d.pred_opt())
        .map(|d| d.day())
        .unwrap_or(30)
}

fn center(s: &str, width: usize) -> String {
    let len = s.chars().count();
    if len >= width {
        return s.to_string();
    }
    let left = (width - len) / 2;
    format!("{}{}{}", " ".repeat(left), s, " ".repeat(width - len - left))
}

/// Render one month as exactly 8 lines, each 20 visible columns wide.
fn render_month(year: i32, month: u32, with_year: bool, opts: Options) -> Vec<String> {
    let title = if with_year { format!("{} {}", month_name(month), year) } else { month_name(month).to_string() };
    let mut lines = vec![center(&title, WIDTH)];
    lines.push(if opts.monday_first { "Mo Tu We Th Fr Sa Su" } else { "Su Mo Tu We Th Fr Sa" }.to_string());

    let first = match NaiveDate::from_ymd_opt(year, month, 1) {
        Some(d) => d,
        None => return vec![center("invalid date", WIDTH)],
    };
    let offset = if opts.monday_first { first.weekday().num_days_from_monday() } else { first.weekday().num_days_from_sunday() } as usize;
    let days = days_in_month(year, month) as usize;

    let mut cells: Vec<String> = vec!["  ".to_string(); offset];
    for day in 1..=days {
        let cell = format!("{day:>2}");
        let is_today = opts.today.year() == year && opts.today.month() == month && opts.today.day() as usize == day;
        cells.push(match (is_today, opts.color) {
            (true, true) => format!("\x1b[7m{cell}\x1b[0m"),
            (true, false) => format!("{:>2}", "**"),
            _ => cell,
        });
    }
    while cells.len() < 42 {
        cells.push("  ".to_string());
    }
    for week in cells.chunks(7) {
        lines.push(week.join(" "));
    }
    lines
}

/// Render several months on worker threads and return them in order.
fn render_many(months: &[(i32, u32)], with_year: bool, opts: Options) -> Vec<Vec<String>> {
    let mut rendered: Vec<(usize, Vec<String>)> = thread::scope(|scope| {
        let (tx, rx) = mpsc::channel();
        for (idx, &(year, month)) in months.iter().enumerate() {
            let tx = tx.clone();
            scope.spawn(move || {
                let lines = render_month(year, month, with_year, opts);
                tx.send((idx, lines)).expect("main thread is receiving");
            });
        }
        drop(tx);
        rx.iter().collect()
    });
    rendered.sort_by_key(|(idx, _)| *idx);
    rendered.into_iter().map(|(_, lines)| lines).collect()
}

fn print_side_by_side(blocks: &[Vec<String>], per_row: usize) {
    for row in blocks.chunks(per_row) {
        let height = row.iter().map(Vec::len).max().unwrap_or(0);
        for i in 0..height {
            let line: Vec<&str> = row.iter().map(|b| b.get(i).map(String::as_str).unwrap_or("                    ")).collect();
            println!("{}", line.join("   ").trim_end());
        }
        println!();
    }
}

fn shift_month(year: i32, month: u32, delta: i32) -> (i32, u32) {
    let total = year * 12 + month as i32 - 1 + delta;
    (total.div_euclid(12), (total.rem_euclid(12) + 1) as u32)
}

fn main() {
    let today = Local::now().date_naive();
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let monday_first = args.iter().any(|a| a == "--monday");
    let color = !args.iter().any(|a| a == "--no-color");
    args.retain(|a| !a.starts_with("--"));
    let opts = Options { monday_first, color, today };

    let parse_month = |s: &str| -> Option<u32> {
        s.parse::<u32>().ok().filter(|m| (1..=12).contains(m)).or_else(|| {
            let lower = s.to_lowercase();
            (1..=12).find(|&m| lower.len() >= 3 && month_name(m).to_lowercase().starts_with(&lower))
        })
    };

    match args.as_slice() {
        [] => print_side_by_side(&render_many(&[(today.year(), today.month())], true, opts), 1),
        [flag] if flag == "-3" => {
            let months: Vec<(i32, u32)> = (-1..=1).map(|d| shift_month(today.year(), today.month(), d)).collect();
            print_side_by_side(&render_many(&months, true, opts), 3);
        }
        [year] => match year.parse::<i32>() {
            Ok(y) if (1..=9999).contains(&y) => {
                println!("{}\n", center(&y.to_string(), WIDTH * 3 + 6));
                let months: Vec<(i32, u32)> = (1..=12).map(|m| (y, m)).collect();
                print_side_by_side(&render_many(&months, false, opts), 3);
            }
            _ => eprintln!("invalid year '{year}' (expected 1-9999)"),
        },
        [month, year] => match (parse_month(month), year.parse::<i32>()) {
            (Some(m), Ok(y)) if (1..=9999).contains(&y) => print_side_by_side(&render_many(&[(y, m)], true, opts), 1),
            _ => eprintln!("usage: calendar-print [MONTH YEAR | YEAR | -3] [--monday] [--no-color]"),
        },
        _ => eprintln!("usage: calendar-print [MONTH YEAR | YEAR | -3] [--monday] [--no-color]"),
    }
}
