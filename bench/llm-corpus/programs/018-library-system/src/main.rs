use chrono::{Duration, NaiveDate};
use std::collections::HashMap;
use thiserror::Error;

const LOAN_DAYS: i64 = 14;
const FINE_PER_DAY_CENTS: i64 = 25;
const MAX_FINE_CENTS: i64 = 1000;
const MAX_LOANS: usize = 3;

#[derive(Debug, Error)]
enum LibraryError {
    #[error("book {0} not found")]
    NoSuchBook(u32),
    #[error("member {0} not found")]
    NoSuchMember(u32),
    #[error("'{0}' is already on loan")]
    AlreadyLoaned(String),
    #[error("'{0}' is not on loan")]
    NotLoaned(String),
    #[error("{0} has reached the loan limit of {1}")]
    LoanLimit(String, usize),
    #[error("{0} has unpaid fines of ${1:.2}")]
    UnpaidFines(String, f64),
}

#[derive(Debug)]
struct Book {
    id: u32,
    title: String,
    author: String,
    year: u16,
}

#[derive(Debug)]
struct Member {
    id: u32,
    name: String,
    fines_cents: i64,
}

#[derive(Debug, Clone)]
struct Loan {
    book_id: u32,
    member_id: u32,
    borrowed: NaiveDate,
    due: NaiveDate,
}

#[derive(Default)]
struct Library {
    books: HashMap<u32, Book>,
    members: HashMap<u32, Member>,
    loans: HashMap<u32, Loan>, // keyed by book id
}

fn fine_for(due: NaiveDate, returned: NaiveDate) -> i64 {
    let late = (returned - due).num_days();
    if late <= 0 { 0 } else { (late * FINE_PER_DAY_CENTS).min(MAX_FINE_CENTS) }
}

impl Library {
    fn add_book(&mut self, id: u32, title: &str, author: &str, year: u16) {
        self.books.insert(id, Book { id, title: title.into(), author: author.into(), year });
    }

    fn add_member(&mut self, id: u32, name: &str) {
        self.members.insert(id, Member { id, name: name.into(), fines_cents: 0 });
    }

    fn checkout(&mut self, book_id: u32, member_id: u32, today: NaiveDate) -> Result<NaiveDate, LibraryError> {
        let book = self.books.get(&book_id).ok_or(LibraryError::NoSuchBook(book_id))?;
        let member = self.members.get(&member_id).ok_or(LibraryError::NoSuchMember(member_id))?;
        if self.loans.contains_key(&book_id) {
            return Err(LibraryError::AlreadyLoaned(book.title.clone()));
        }
        if member.fines_cents > 0 {
            return Err(LibraryError::UnpaidFines(member.name.clone(), member.fines_cents as f64 / 100.0));
        }
        let count = self.loans.values().filter(|l| l.member_id == member_id).count();
        if count >= MAX_LOANS {
            return Err(LibraryError::LoanLimit(member.name.clone(), MAX_LOANS));
        }
        let due = today + Duration::days(LOAN_DAYS);
        self.loans.insert(book_id, Loan { book_id, member_id, borrowed: today, due });
        Ok(due)
    }

    fn return_book(&mut self, book_id: u32, today: NaiveDate) -> Result<i64, LibraryError> {
        let book = self.books.get(&book_id).ok_or(LibraryError::NoSuchBook(book_id))?;
        let loan = self.loans.remove(&book_id).ok_or_else(|| LibraryError::NotLoaned(book.title.clone()))?;
        let fine = fine_for(loan.due, today);
        if let Some(m) = self.members.get_mut(&loan.member_id) {
            m.fines_cents += fine;
        }
        Ok(fine)
    }

    fn pay(&mut self, member_id: u32, cents: i64) -> Result<i64, LibraryError> {
        let m = self.members.get_mut(&member_id).ok_or(LibraryError::NoSuchMember(member_id))?;
        m.fines_cents = (m.fines_cents - cents).max(0);
        Ok(m.fines_cents)
    }

    fn search(&self, query: &str) -> Vec<&Book> {
        let q = query.to_lowercase();
        let mut found: Vec<&Book> = self
            .books
            .values()
            .filter(|b| b.title.to_lowercase().contains(&q) || b.author.to_lowercase().contains(&q))
            .collect();
        found.sort_by_key(|b| b.id);
        found
    }

    fn overdue_report(&self, today: NaiveDate) {
        let mut overdue: Vec<&Loan> = self.loans.values().filter(|l| l.due < today).collect();
        overdue.sort_by_key(|l| l.due);
        println!("\n=== Overdue loans as of {} ===", today);
        if overdue.is_empty() {
            println!("None.");
            return;
        }
        println!("{:<28} {:<10} {:<12} {:>5} {:>8}", "Title", "Member", "Due", "Days", "Fine");
        for l in overdue {
            let b = &self.books[&l.book_id];
            let m = &self.members[&l.member_id];
            let days = (today - l.due).num_days();
            println!(
                "{:<28} {:<10} {:<12} {:>5} {:>8.2}",
                b.title,
                m.name,
                l.due.to_string(),
                days,
                fine_for(l.due, today) as f64 / 100.0
            );
        }
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn main() {
    let mut lib = Library::default();
    lib.add_book(1, "The Rust Programming Language", "Steve Klabnik", 2018);
    lib.add_book(2, "Programming Rust", "Jim Blandy", 2021);
    lib.add_book(3, "Dune", "Frank Herbert", 1965);
    lib.add_book(4, "Children of Dune", "Frank Herbert", 1976);
    lib.add_book(5, "The Left Hand of Darkness", "Ursula K. Le Guin", 1969);
    lib.add_book(6, "A Wizard of Earthsea", "Ursula K. Le Guin", 1968);
    lib.add_member(100, "Ana");
    lib.add_member(101, "Ben");
    lib.add_member(102, "Chloe");

    for q in ["rust", "herbert", "le guin", "python"] {
        let hits = lib.search(q);
        println!("search '{}': {} result(s)", q, hits.len());
        for b in hits {
            println!("    #{} {} by {} ({})", b.id, b.title, b.author, b.year);
        }
    }
    println!();

    let events: Vec<(&str, u32, u32, NaiveDate)> = vec![
        ("checkout", 1, 100, date(2024, 3, 1)),
        ("checkout", 3, 100, date(2024, 3, 1)),
        ("checkout", 4, 100, date(2024, 3, 2)),
        ("checkout", 5, 100, date(2024, 3, 2)),
        ("checkout", 3, 101, date(2024, 3, 3)),
        ("checkout", 2, 101, date(2024, 3, 5)),
        ("checkout", 6, 102, date(2024, 3, 10)),
        ("return", 1, 0, date(2024, 3, 12)),
        ("return", 3, 0, date(2024, 3, 20)),
        ("checkout", 5, 100, date(2024, 3, 21)),
        ("return", 3, 0, date(2024, 3, 22)),
        ("checkout", 9, 101, date(2024, 3, 22)),
    ];
    for (kind, book, member, day) in events {
        match kind {
            "checkout" => match lib.checkout(book, member, day) {
                Ok(due) => println!("{} checkout book {} by member {}: due {}", day, book, member, due),
                Err(e) => println!("{} checkout book {} by member {}: FAILED {}", day, book, member, e),
            },
            _ => match lib.return_book(book, day) {
                Ok(0) => println!("{} return book {}: on time", day, book),
                Ok(f) => println!("{} return book {}: late, fine ${:.2}", day, book, f as f64 / 100.0),
                Err(e) => println!("{} return book {}: FAILED {}", day, book, e),
            },
        }
    }

    if let Ok(left) = lib.pay(100, 500) {
        println!("Ana paid $5.00, remaining fines ${:.2}", left as f64 / 100.0);
    }

    lib.overdue_report(date(2024, 4, 1));
}
