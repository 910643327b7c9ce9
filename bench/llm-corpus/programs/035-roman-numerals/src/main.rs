use std::env;
use thiserror::Error;

#[derive(Debug, Error, PartialEq, Eq)]
enum RomanError {
    #[error("{0} is out of range (1..=3999)")]
    OutOfRange(u32),
    #[error("empty numeral")]
    Empty,
    #[error("invalid character '{0}'")]
    InvalidChar(char),
    #[error("'{0}' is not in canonical form (did you mean '{1}'?)")]
    NonCanonical(String, String),
}

const TABLE: [(u32, &str); 13] = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
];

fn to_roman(mut n: u32) -> Result<String, RomanError> {
    if n == 0 || n > 3999 {
        return Err(RomanError::OutOfRange(n));
    }
    let mut out = String::new();
    for &(value, sym) in TABLE.iter() {
        while n >= value {
            out.push_str(sym);
            n -= value;
        }
    }
    Ok(out)
}

fn char_value(c: char) -> Result<u32, RomanError> {
    Ok(match c {
        'I' => 1,
        'V' => 5,
        'X' => 10,
        'L' => 50,
        'C' => 100,
        'D' => 500,
        'M' => 1000,
        other => return Err(RomanError::InvalidChar(other)),
    })
}

/// Parses a Roman numeral, accepting only the canonical (strict) form.
fn from_roman(s: &str) -> Result<u32, RomanError> {
    let s = s.trim().to_uppercase();
    if s.is_empty() {
        return Err(RomanError::Empty);
    }
    let values: Vec<u32> = s.chars().map(char_value).collect::<Result<_, _>>()?;
    let mut total: u32 = 0;
    for (i, &v) in values.iter().enumerate() {
        match values.get(i + 1) {
            Some(&next) if next > v => total = total.wrapping_sub(v),
            _ => total = total.wrapping_add(v),
        }
    }
    // Canonical check: re-encode and compare. Catches IIII, IC, VX, MMMM, etc.
    match to_roman(total) {
        Ok(canonical) if canonical == s => Ok(total),
        Ok(canonical) => Err(RomanError::NonCanonical(s, canonical)),
        Err(_) => Err(RomanError::NonCanonical(s, "<out of range>".to_string())),
    }
}

fn self_check() -> Result<(), String> {
    for n in 1..=3999u32 {
        let r = to_roman(n).map_err(|e| format!("to_roman({}) failed: {}", n, e))?;
        let back = from_roman(&r).map_err(|e| format!("from_roman({}) failed: {}", r, e))?;
        if back != n {
            return Err(format!("round trip mismatch: {} -> {} -> {}", n, r, back));
        }
    }
    Ok(())
}

fn main() {
    let args: Vec<String> = env::args().skip(1).collect();
    let inputs: Vec<String> = if args.is_empty() {
        ["1994", "2024", "3999", "4000", "0", "MCMXCIV", "mmxxiv", "XLII", "IIII", "IC", "VX", "MMMM", "ABC", ""]
            .iter()
            .map(|s| s.to_string())
            .collect()
    } else {
        args
    };

    for input in &inputs {
        let shown = format!("'{}'", input);
        match input.trim().parse::<u32>() {
            Ok(n) => match to_roman(n) {
                Ok(r) => println!("{:<12} -> {}", shown, r),
                Err(e) => println!("{:<12} -> error: {}", shown, e),
            },
            Err(_) => match from_roman(input) {
                Ok(n) => println!("{:<12} -> {}", shown, n),
                Err(e) => println!("{:<12} -> error: {}", shown, e),
            },
        }
    }

    print!("\nRound-trip self-check over 1..=3999: ");
    match self_check() {
        Ok(()) => println!("all 3999 values OK"),
        Err(e) => {
            println!("FAILED: {}", e);
            std::process::exit(1);
        }
    }
    let longest = (1..=3999).map(|n| to_roman(n).unwrap()).max_by_key(|r| r.len()).unwrap();
    println!("Longest numeral: {} ({} chars) = {}", longest, longest.len(), from_roman(&longest).unwrap());
}
