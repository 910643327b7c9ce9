use std::collections::{HashMap, HashSet, VecDeque};
use std::env;
use std::fmt;
use std::fs;

#[derive(Debug, PartialEq)]
enum LadderError {
    LengthMismatch(String, String),
    NotInDictionary(String),
    NoLadder { start: String, end: String, explored: usize },
}

impl fmt::Display for LadderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LadderError::LengthMismatch(a, b) => {
                write!(f, "`{}` and `{}` have different lengths", a, b)
            }
            LadderError::NotInDictionary(w) => write!(f, "`{}` is not in the dictionary", w),
            LadderError::NoLadder {
                start,
                end,
                explored,
            } => write!(
                f,
                "no ladder from `{}` to `{}` (explored {} words)",
                start, end, explored
            ),
        }
    }
}

struct Dictionary {
    words: HashSet<String>,
}

/// Replaces the i-th character with `*`: "cold" -> "c*ld" for i = 1.
fn pattern(word: &str, i: usize) -> String {
    word.chars()
        .enumerate()
        .map(|(j, c)| if j == i { '*' } else { c })
        .collect()
}

impl Dictionary {
    fn from_text(text: &str) -> Self {
        let words = text
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
            .map(|w| w.to_lowercase())
            .collect();
        Dictionary { words }
    }

    /// Breadth-first search; neighbours are found through wildcard buckets
    /// ("c*ld" -> cold, cord...) instead of comparing every pair of words.
    fn shortest_ladder(&self, start: &str, end: &str) -> Result<(Vec<String>, usize), LadderError> {
        let start = start.to_lowercase();
        let end = end.to_lowercase();
        let len = start.chars().count();
        if len != end.chars().count() {
            return Err(LadderError::LengthMismatch(start, end));
        }
        if !self.words.contains(&end) {
            return Err(LadderError::NotInDictionary(end));
        }
        if start == end {
            return Ok((vec![start], 0));
        }

        let mut buckets: HashMap<String, Vec<&str>> = HashMap::new();
        for word in self.words.iter().filter(|w| w.chars().count() == len) {
            for i in 0..len {
                buckets.entry(pattern(word, i)).or_default().push(word.as_str());
            }
        }

        let mut parent: HashMap<String, String> = HashMap::new();
        let mut visited: HashSet<String> = HashSet::from([start.clone()]);
        let mut queue = VecDeque::from([start.clone()]);
        let mut explored = 0;

        while let Some(word) = queue.pop_front() {
            explored += 1;
            for i in 0..len {
                let neighbours = match buckets.get(&pattern(&word, i)) {
                    Some(n) => n,
                    None => continue,
                };
                for &next in neighbours {
                    if !visited.insert(next.to_string()) {
                        continue;
                    }
                    parent.insert(next.to_string(), word.clone());
                    if next == end {
                        let mut path = vec![end.clone()];
                        let mut current = end.clone();
                        while let Some(p) = parent.get(&current) {
                            path.push(p.clone());
                            current = p.clone();
                        }
                        path.reverse();
                        return Ok((path, explored));
                    }
                    queue.push_back(next.to_string());
                }
            }
        }
        Err(LadderError::NoLadder {
            start,
            end,
            explored,
        })
    }
}

const BUILTIN_WORDS: &str = "
cat cot cog dog dig dug bug bag bat hat hot hit pit pot pat mat man men ten tan can
con cop top tip tap cap cup pup pun pin tin ton tow cow how hog log lot let get got
god nod not nut cut hut ape apt opt oat oak
cold cord card ward warm worm word wore core care ware warn worn corn bold bolt boat
coat cost cast colt told toll tall tail tell teal heal head heap hell hall hail mail
main rain gain grin gait bait wait wail fail fall fell feel heel peel pool poll pole
hole hold gold golf wolf wood good goad load lord ford fold food foot fort port post
past pest best bust must mist most host hose rose rise wise wide wade made mode more
mare male mole role rule mule mile mine wine wind wand band bend bond fond find kind
mind mint hint hunt hurt curt cart part pant want went rent rest test text quiz
stone store stare share shale whale while white write wrote
";

fn run(dict: &Dictionary, start: &str, end: &str) {
    match dict.shortest_ladder(start, end) {
        Ok((path, explored)) => println!(
            "{:>5} -> {:<5} {} step(s): {}   (explored {} words)",
            start,
            end,
            path.len() - 1,
            path.join(" -> "),
            explored
        ),
        Err(e) => println!("{:>5} -> {:<5} {}", start, end, e),
    }
}

fn main() {
    let args: Vec<String> = env::args().collect();
    let dict = match args.get(3) {
        Some(path) => match fs::read_to_string(path) {
            Ok(text) => Dictionary::from_text(&text),
            Err(e) => {
                eprintln!("cannot read dictionary {}: {}", path, e);
                std::process::exit(1);
            }
        },
        None => Dictionary::from_text(BUILTIN_WORDS),
    };
    println!("dictionary: {} words\n", dict.words.len());

    match (args.get(1), args.get(2)) {
        (Some(start), Some(end)) => run(&dict, start, end),
        _ => {
            for (start, end) in [
                ("cold", "warm"),
                ("head", "tail"),
                ("cat", "dog"),
                ("ape", "man"),
                ("wolf", "fold"),
                ("stone", "write"),
                ("cold", "cold"),
                ("cat", "word"),
                ("cat", "xyz"),
                ("quiz", "cold"),
            ] {
                run(&dict, start, end);
            }
        }
    }
}
