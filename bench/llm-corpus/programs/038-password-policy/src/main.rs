use serde::Deserialize;
use std::fmt;

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
struct Policy {
    min_length: usize,
    max_length: usize,
    require_lower: bool,
    require_upper: bool,
    require_digit: bool,
    require_symbol: bool,
    min_classes: usize,
    banned_words: Vec<String>,
    max_repeat: usize,
    forbid_sequences: usize,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            min_length: 10,
            max_length: 128,
            require_lower: true,
            require_upper: true,
            require_digit: true,
            require_symbol: false,
            min_classes: 3,
            banned_words: vec!["password".into(), "qwerty".into(), "letmein".into(), "admin".into(), "welcome".into()],
            max_repeat: 2,
            forbid_sequences: 4,
        }
    }
}

#[derive(Debug, PartialEq)]
enum Failure {
    TooShort { len: usize, min: usize },
    TooLong { len: usize, max: usize },
    MissingLower,
    MissingUpper,
    MissingDigit,
    MissingSymbol,
    TooFewClasses { have: usize, need: usize },
    BannedWord(String),
    RepeatedChars { ch: char, run: usize, max: usize },
    Sequence(String),
    Whitespace,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::TooShort { len, min } => write!(f, "too short: {} characters, minimum is {}", len, min),
            Failure::TooLong { len, max } => write!(f, "too long: {} characters, maximum is {}", len, max),
            Failure::MissingLower => write!(f, "must contain a lowercase letter"),
            Failure::MissingUpper => write!(f, "must contain an uppercase letter"),
            Failure::MissingDigit => write!(f, "must contain a digit"),
            Failure::MissingSymbol => write!(f, "must contain a symbol"),
            Failure::TooFewClasses { have, need } => write!(f, "uses {} character classes, needs at least {}", have, need),
            Failure::BannedWord(w) => write!(f, "contains banned word '{}'", w),
            Failure::RepeatedChars { ch, run, max } => write!(f, "'{}' repeated {} times in a row (max {})", ch, run, max),
            Failure::Sequence(s) => write!(f, "contains predictable sequence '{}'", s),
            Failure::Whitespace => write!(f, "must not contain whitespace"),
        }
    }
}

/// Undo common character substitutions so "P@ssw0rd" is caught as "password".
fn deleet(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '@' | '4' => 'a',
            '3' => 'e',
            '1' | '!' => 'i',
            '0' => 'o',
            '$' | '5' => 's',
            '7' => 't',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

impl Policy {
    fn check(&self, pw: &str) -> Vec<Failure> {
        let mut failures = Vec::new();
        let chars: Vec<char> = pw.chars().collect();
        let len = chars.len();
        if len < self.min_length {
            failures.push(Failure::TooShort { len, min: self.min_length });
        }
        if len > self.max_length {
            failures.push(Failure::TooLong { len, max: self.max_length });
        }
        if chars.iter().any(|c| c.is_whitespace()) {
            failures.push(Failure::Whitespace);
        }

        let has_lower = chars.iter().any(|c| c.is_lowercase());
        let has_upper = chars.iter().any(|c| c.is_uppercase());
        let has_digit = chars.iter().any(|c| c.is_ascii_digit());
        let has_symbol = chars.iter().any(|c| !c.is_alphanumeric() && !c.is_whitespace());
        let checks = [
            (self.require_lower, has_lower, Failure::MissingLower),
            (self.require_upper, has_upper, Failure::MissingUpper),
            (self.require_digit, has_digit, Failure::MissingDigit),
            (self.require_symbol, has_symbol, Failure::MissingSymbol),
        ];
        for (required, present, failure) in checks {
            if required && !present {
                failures.push(failure);
            }
        }
        let classes = [has_lower, has_upper, has_digit, has_symbol].iter().filter(|&&b| b).count();
        if classes < self.min_classes {
            failures.push(Failure::TooFewClasses { have: classes, need: self.min_classes });
        }

        let lower = pw.to_lowercase();
        let normalised = deleet(pw);
        for word in &self.banned_words {
            let w = word.to_lowercase();
            if lower.contains(&w) || normalised.contains(&w) {
                failures.push(Failure::BannedWord(word.clone()));
            }
        }

        if self.max_repeat > 0 {
            let mut worst: Option<(char, usize)> = None;
            let mut i = 0;
            while i < chars.len() {
                let mut j = i;
                while j < chars.len() && chars[j] == chars[i] {
                    j += 1;
                }
                let run = j - i;
                if run > self.max_repeat && worst.map_or(true, |(_, r)| run > r) {
                    worst = Some((chars[i], run));
                }
                i = j;
            }
            if let Some((ch, run)) = worst {
                failures.push(Failure::RepeatedChars { ch, run, max: self.max_repeat });
            }
        }

        if self.forbid_sequences >= 3 && chars.len() >= self.forbid_sequences {
            let n = self.forbid_sequences;
            for win in chars.windows(n) {
                let codes: Vec<i64> = win.iter().map(|c| c.to_ascii_lowercase() as i64).collect();
                let step = codes[1] - codes[0];
                if (step == 1 || step == -1)
                    && codes.windows(2).all(|p| p[1] - p[0] == step)
                    && win.iter().all(|c| c.is_ascii_alphanumeric())
                {
                    failures.push(Failure::Sequence(win.iter().collect()));
                    break;
                }
            }
        }
        failures
    }
}

fn main() {
    let default_policy = Policy::default();
    let strict: Policy = serde_json::from_str(
        r#"{ "min_length": 14, "require_symbol": true, "min_classes": 4, "max_repeat": 1,
             "banned_words": ["password", "company", "2024"] }"#,
    )
    .expect("valid policy JSON");

    let passwords = [
        "hunter2",
        "Password123",
        "P@ssw0rd!2024",
        "aaaBBB111cccc",
        "Abcdef123456",
        "correct horse battery staple",
        "Tr0ub4dor&3xyz",
        "mY-v3ry-l0ng-&-r4nd0m-Phrase",
        "Company!Rocks99",
    ];

    for (name, policy) in [("default", &default_policy), ("strict", &strict)] {
        println!("=== {} policy (min length {}, min classes {}) ===", name, policy.min_length, policy.min_classes);
        let mut accepted = 0;
        for pw in passwords {
            let failures = policy.check(pw);
            if failures.is_empty() {
                accepted += 1;
                println!("  ACCEPT {:?}", pw);
            } else {
                println!("  REJECT {:?}", pw);
                for f in &failures {
                    println!("      - {}", f);
                }
            }
        }
        println!("  {} of {} accepted\n", accepted, passwords.len());
    }
}
