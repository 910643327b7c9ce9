use std::collections::{BTreeMap, HashMap};
use std::io::Read;

use chrono::NaiveDate;
use thiserror::Error;

#[derive(Debug, Error)]
enum ValidationError {
    #[error("line {line}: missing field '{field}'")]
    MissingField { line: u64, field: &'static str },
    #[error("line {line}: duplicate id '{id}' (first seen on line {first_line})")]
    DuplicateId { line: u64, id: String, first_line: u64 },
    #[error("line {line}: invalid date '{value}' ({reason})")]
    InvalidDate { line: u64, value: String, reason: String },
    #[error("line {line}: date {date} is in the future")]
    FutureDate { line: u64, date: NaiveDate },
    #[error("line {line}: amount '{value}' is not a number")]
    BadAmount { line: u64, value: String },
    #[error("line {line}: amount must be positive, got {value}")]
    NonPositiveAmount { line: u64, value: f64 },
    #[error("line {line}: malformed CSV record: {source}")]
    Csv {
        line: u64,
        #[source]
        source: csv::Error,
    },
}

impl ValidationError {
    fn kind(&self) -> &'static str {
        match self {
            ValidationError::MissingField { .. } => "missing field",
            ValidationError::DuplicateId { .. } => "duplicate id",
            ValidationError::InvalidDate { .. } => "invalid date",
            ValidationError::FutureDate { .. } => "future date",
            ValidationError::BadAmount { .. } => "bad amount",
            ValidationError::NonPositiveAmount { .. } => "non-positive amount",
            ValidationError::Csv { .. } => "csv error",
        }
    }
}

#[derive(Debug, Clone, Default)]
struct Row {
    line: u64,
    id: String,
    date: String,
    customer: String,
    amount: String,
}

#[derive(Debug, Default)]
struct State {
    seen_ids: HashMap<String, u64>,
    accepted: usize,
    rejected: usize,
    errors_by_kind: BTreeMap<&'static str, usize>,
    total_amount: f64,
    per_customer: BTreeMap<String, f64>,
    report: Vec<String>,
}

enum Event<'a> {
    RowAccepted(&'a Row, f64),
    RowRejected(&'a Row, &'a [ValidationError]),
    Finished,
}

type Rule = Box<dyn Fn(&Row, &mut State) -> Result<(), ValidationError>>;
type Handler = Box<dyn FnMut(&Event<'_>, &mut State)>;

struct Validator {
    rules: Vec<(&'static str, Rule)>,
    handlers: Vec<Handler>,
    state: State,
    today: NaiveDate,
}

impl Validator {
    fn new(today: NaiveDate) -> Self {
        Self { rules: Vec::new(), handlers: Vec::new(), state: State::default(), today }
    }

    fn add_rule<F>(&mut self, name: &'static str, rule: F) -> &mut Self
    where
        F: Fn(&Row, &mut State) -> Result<(), ValidationError> + 'static,
    {
        self.rules.push((name, Box::new(rule)));
        self
    }

    fn on_event<F>(&mut self, handler: F) -> &mut Self
    where
        F: FnMut(&Event<'_>, &mut State) + 'static,
    {
        self.handlers.push(Box::new(handler));
        self
    }

    fn emit(&mut self, event: &Event<'_>) {
        for handler in self.handlers.iter_mut() {
            handler(event, &mut self.state);
        }
    }

    fn check_row(&mut self, row: &Row) {
        let mut errors = Vec::new();
        for (_name, rule) in &self.rules {
            if let Err(e) = rule(row, &mut self.state) {
                errors.push(e);
            }
        }
        if errors.is_empty() {
            let amount = row.amount.parse::<f64>().unwrap_or(0.0);
            self.emit(&Event::RowAccepted(row, amount));
        } else {
            self.emit(&Event::RowRejected(row, &errors));
        }
    }

    fn validate<R: Read>(&mut self, reader: R) -> Result<(), csv::Error> {
        let mut rdr = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(reader);
        let headers = rdr.headers()?.clone();
        let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
        let (id_i, date_i, cust_i, amount_i) = (column("id"), column("date"), column("customer"), column("amount"));

        for result in rdr.records() {
            match result {
                Ok(record) => {
                    let get = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("").to_string();
                    let row = Row {
                        line: record.position().map(|p| p.line()).unwrap_or(0),
                        id: get(id_i),
                        date: get(date_i),
                        customer: get(cust_i),
                        amount: get(amount_i),
                    };
                    self.check_row(&row);
                }
                Err(e) => {
                    let line = e.position().map(|p| p.line()).unwrap_or(0);
                    let row = Row { line, ..Row::default() };
                    let errors = [ValidationError::Csv { line, source: e }];
                    self.emit(&Event::RowRejected(&row, &errors));
                }
            }
        }
        self.emit(&Event::Finished);
        Ok(())
    }
}

fn install_rules(v: &mut Validator) {
    let today = v.today;
    v.add_rule("required", |row, _| {
        for (field, value) in [("id", &row.id), ("date", &row.date), ("customer", &row.customer), ("amount", &row.amount)] {
            if value.is_empty() {
                return Err(ValidationError::MissingField { line: row.line, field });
            }
        }
        Ok(())
    })
    .add_rule("unique-id", |row, state| {
        if row.id.is_empty() {
            return Ok(());
        }
        match state.seen_ids.get(&row.id) {
            Some(&first_line) => Err(ValidationError::DuplicateId { line: row.line, id: row.id.clone(), first_line }),
            None => {
                state.seen_ids.insert(row.id.clone(), row.line);
                Ok(())
            }
        }
    })
    .add_rule("date", move |row, _| {
        if row.date.is_empty() {
            return Ok(());
        }
        let date = NaiveDate::parse_from_str(&row.date, "%Y-%m-%d").map_err(|e| ValidationError::InvalidDate {
            line: row.line,
            value: row.date.clone(),
            reason: e.to_string(),
        })?;
        if date > today {
            return Err(ValidationError::FutureDate { line: row.line, date });
        }
        Ok(())
    })
    .add_rule("amount", |row, _| {
        if row.amount.is_empty() {
            return Ok(());
        }
        let value: f64 = row
            .amount
            .parse()
            .map_err(|_| ValidationError::BadAmount { line: row.line, value: row.amount.clone() })?;
        if !value.is_finite() || value <= 0.0 {
            return Err(ValidationError::NonPositiveAmount { line: row.line, value });
        }
        Ok(())
    });
}

fn install_handlers(v: &mut Validator) {
    v.on_event(|event, state| match event {
        Event::RowAccepted(row, amount) => {
            state.accepted += 1;
            state.total_amount += amount;
            *state.per_customer.entry(row.customer.clone()).or_insert(0.0) += amount;
        }
        Event::RowRejected(_, errors) => {
            state.rejected += 1;
            for e in errors.iter() {
                *state.errors_by_kind.entry(e.kind()).or_insert(0) += 1;
            }
        }
        Event::Finished => {}
    })
    .on_event(|event, state| {
        if let Event::RowRejected(row, errors) = event {
            let label = if row.id.is_empty() { "<no id>" } else { row.id.as_str() };
            for e in errors.iter() {
                state.report.push(format!("[{label}] {e}"));
            }
        }
    })
    .on_event(|event, state| {
        if let Event::Finished = event {
            state.report.push(format!("done: {} accepted, {} rejected", state.accepted, state.rejected));
        }
    });
}

const SAMPLE: &str = "\
id,date,customer,amount,currency
A001,2024-01-15,Acme Corp,1200.50,EUR
A002,2024-02-30,Globex,300.00,EUR
A003,2024-03-01,Initech,-50,EUR
A001,2024-03-05,Acme Corp,99.99,EUR
A004,2024-13-01,Umbrella,10,EUR
A005,2024-04-10,,abc,EUR
A006,2024-04-11,Hooli,0,EUR
A007,2024-05-20,Globex,450.25,EUR
,2024-05-21,Stark Industries,10,EUR
A008,2099-01-01,Wayne Enterprises,75,EUR
A009,2024-06-01,Acme Corp,250
A010,2024-06-02,Initech,19.90,EUR
";

fn main() {
    let today = chrono::Local::now().date_naive();
    let mut validator = Validator::new(today);
    install_rules(&mut validator);
    install_handlers(&mut validator);

    let result = match std::env::args().nth(1) {
        Some(path) => match std::fs::File::open(&path) {
            Ok(file) => {
                println!("Validating {path}");
                validator.validate(file)
            }
            Err(e) => {
                eprintln!("cannot open {path}: {e}");
                std::process::exit(1);
            }
        },
        None => {
            println!("Validating built-in sample data");
            validator.validate(SAMPLE.as_bytes())
        }
    };
    if let Err(e) = result {
        eprintln!("fatal CSV error: {e}");
        std::process::exit(1);
    }

    let state = &validator.state;
    println!("\nRules: {}", validator.rules.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", "));
    println!("\nErrors per line:");
    for line in &state.report {
        println!("  {line}");
    }
    println!("\nErrors by kind:");
    for (kind, count) in &state.errors_by_kind {
        println!("  {kind:<22} {count}");
    }
    println!("\nAccepted totals per customer:");
    for (customer, total) in &state.per_customer {
        println!("  {customer:<22} {total:>10.2}");
    }
    println!("  {:<22} {:>10.2}", "TOTAL", state.total_amount);
}
