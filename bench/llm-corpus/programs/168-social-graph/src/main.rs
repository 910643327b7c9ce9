//! A social graph of users and follows, parsed without copying: every record
//! and every graph node borrows `&str` slices from the input buffer.
//!
//! Friends are mutual follows. The program computes mutual friends, friend
//! suggestions ranked by common friends, and degrees of separation.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct User<'a> {
    handle: &'a str,
    name: &'a str,
    city: &'a str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Record<'a> {
    User(User<'a>),
    Follow { from: &'a str, to: &'a str },
}

#[derive(Debug)]
struct ParseError<'a> {
    line_no: usize,
    line: &'a str,
    reason: &'static str,
}

impl fmt::Display for ParseError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {} in {:?}", self.line_no, self.reason, self.line)
    }
}

fn valid_handle(h: &str) -> bool {
    !h.is_empty() && h.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Parses one line into zero or more records; all fields borrow from `line`.
fn parse_line<'a>(line_no: usize, line: &'a str) -> Result<Vec<Record<'a>>, ParseError<'a>> {
    let err = |reason| ParseError { line_no, line, reason };
    let mut fields = line.split('|').map(str::trim);
    match fields.next() {
        Some("U") => {
            let handle = fields.next().ok_or_else(|| err("missing handle"))?;
            if !valid_handle(handle) {
                return Err(err("invalid handle"));
            }
            let name = fields.next().filter(|s| !s.is_empty()).ok_or_else(|| err("missing display name"))?;
            let city = fields.next().unwrap_or("");
            Ok(vec![Record::User(User { handle, name, city })])
        }
        Some("F") => {
            let from = fields.next().filter(|h| valid_handle(h)).ok_or_else(|| err("invalid follower"))?;
            let targets = fields.next().ok_or_else(|| err("missing followees"))?;
            targets
                .split_whitespace()
                .map(|to| {
                    if to == from {
                        Err(err("a user cannot follow themselves"))
                    } else if !valid_handle(to) {
                        Err(err("invalid followee"))
                    } else {
                        Ok(Record::Follow { from, to })
                    }
                })
                .collect()
        }
        _ => Err(err("unknown record type")),
    }
}

fn parse<'a>(input: &'a str) -> (Vec<Record<'a>>, Vec<ParseError<'a>>) {
    let mut records = Vec::new();
    let mut errors = Vec::new();
    for (i, raw) in input.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match parse_line(i + 1, line) {
            Ok(mut recs) => records.append(&mut recs),
            Err(e) => errors.push(e),
        }
    }
    (records, errors)
}

#[derive(Default)]
struct SocialGraph<'a> {
    users: BTreeMap<&'a str, User<'a>>,
    following: HashMap<&'a str, BTreeSet<&'a str>>,
    followers: HashMap<&'a str, BTreeSet<&'a str>>,
}

impl<'a> SocialGraph<'a> {
    fn build(records: &[Record<'a>]) -> (Self, Vec<String>) {
        let mut graph = SocialGraph::default();
        let mut warnings = Vec::new();
        for r in records {
            if let Record::User(u) = r {
                if graph.users.insert(u.handle, *u).is_some() {
                    warnings.push(format!("duplicate user '{}' replaced", u.handle));
                }
            }
        }
        for r in records {
            if let Record::Follow { from, to } = *r {
                if !graph.users.contains_key(from) || !graph.users.contains_key(to) {
                    warnings.push(format!("follow {from} -> {to} ignored: unknown user"));
                    continue;
                }
                graph.following.entry(from).or_default().insert(to);
                graph.followers.entry(to).or_default().insert(from);
            }
        }
        (graph, warnings)
    }

    fn friends(&self, user: &str) -> BTreeSet<&'a str> {
        match (self.following.get(user), self.followers.get(user)) {
            (Some(out), Some(inc)) => out.intersection(inc).copied().collect(),
            _ => BTreeSet::new(),
        }
    }

    fn follows(&self, a: &str, b: &str) -> bool {
        self.following.get(a).map_or(false, |s| s.contains(b))
    }

    fn mutual_friends(&self, a: &str, b: &str) -> Vec<&'a str> {
        self.friends(a).intersection(&self.friends(b)).copied().collect()
    }

    /// Friends-of-friends ranked by the number of common friends.
    fn suggestions(&self, user: &str, limit: usize) -> Vec<(&'a str, Vec<&'a str>)> {
        let mine = self.friends(user);
        let mut candidates: HashMap<&'a str, Vec<&'a str>> = HashMap::new();
        for &friend in &mine {
            for fof in self.friends(friend) {
                if fof != user && !mine.contains(fof) && !self.follows(user, fof) {
                    candidates.entry(fof).or_default().push(friend);
                }
            }
        }
        let mut ranked: Vec<(&'a str, Vec<&'a str>)> = candidates.into_iter().collect();
        ranked.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
        ranked.truncate(limit);
        ranked
    }

    fn shortest_path<F>(&self, from: &'a str, to: &'a str, neighbors: F) -> Option<Vec<&'a str>>
    where
        F: Fn(&'a str) -> Vec<&'a str>,
    {
        if from == to {
            return Some(vec![from]);
        }
        let mut prev: HashMap<&'a str, &'a str> = HashMap::new();
        let mut seen: HashSet<&'a str> = HashSet::from([from]);
        let mut queue = VecDeque::from([from]);
        while let Some(current) = queue.pop_front() {
            for next in neighbors(current) {
                if !seen.insert(next) {
                    continue;
                }
                prev.insert(next, current);
                if next == to {
                    let mut path = vec![to];
                    let mut at = to;
                    while let Some(&p) = prev.get(at) {
                        path.push(p);
                        at = p;
                    }
                    path.reverse();
                    return Some(path);
                }
                queue.push_back(next);
            }
        }
        None
    }

    /// Degrees of separation over friendships (mutual follows).
    fn separation(&self, from: &'a str, to: &'a str) -> Option<Vec<&'a str>> {
        self.shortest_path(from, to, |u| self.friends(u).into_iter().collect())
    }

    /// Shortest chain of (one-directional) follows.
    fn follow_chain(&self, from: &'a str, to: &'a str) -> Option<Vec<&'a str>> {
        self.shortest_path(from, to, |u| self.following.get(u).map(|s| s.iter().copied().collect()).unwrap_or_default())
    }
}

const DATA: &str = "
# U|handle|display name|city
U|alice|Alice Martin|Lyon
U|bob|Bob Okafor|Lagos
U|carol|Carol Nguyen|Hanoi
U|dave|Dave Schmidt|Berlin
U|erin|Erin Walsh|Dublin
U|frank|Frank Rossi|Turin
U|grace|Grace Kim|Seoul
U|heidi|Heidi Larsen|Oslo
U|ivan|Ivan Petrov|Sofia
U|judy|Judy Alvarez|Lima
U|mallory|Mallory Price|Leeds
U||Nobody|Nowhere
# F|follower|followees...
F|alice|bob carol dave
F|bob|alice carol erin
F|carol|alice bob frank
F|dave|alice grace
F|erin|bob frank heidi
F|frank|carol erin ivan
F|grace|dave heidi
F|heidi|erin grace judy
F|ivan|frank judy
F|judy|heidi
F|mallory|alice bob
F|alice|alice
F|bob|zed
X|something else
";

fn main() {
    let (records, errors) = parse(DATA);
    println!("parsed {} records, {} parse error(s)", records.len(), errors.len());
    for e in &errors {
        println!("  {e}");
    }

    let (graph, warnings) = SocialGraph::build(&records);
    for w in &warnings {
        println!("  warning: {w}");
    }

    println!("\nUsers:");
    for u in graph.users.values() {
        let friends = graph.friends(u.handle);
        let followers = graph.followers.get(u.handle).map_or(0, |s| s.len());
        println!(
            "  {:<8} {:<15} {:<7} followers {:>2}  friends: {}",
            u.handle,
            u.name,
            u.city,
            followers,
            friends.iter().copied().collect::<Vec<_>>().join(", ")
        );
    }

    let mut popular: Vec<(&str, usize)> = graph.followers.iter().map(|(u, s)| (*u, s.len())).collect();
    popular.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    println!("\nMost followed: {:?}", &popular[..popular.len().min(3)]);

    println!("\nMutual friends:");
    for (a, b) in [("alice", "bob"), ("erin", "carol"), ("alice", "heidi")] {
        println!("  {a} & {b}: {:?}", graph.mutual_friends(a, b));
    }

    println!("\nFriend suggestions:");
    for user in ["alice", "erin", "judy", "mallory"] {
        let suggestions = graph.suggestions(user, 3);
        if suggestions.is_empty() {
            println!("  {user}: none");
        }
        for (candidate, via) in suggestions {
            println!("  {user}: {candidate} ({} common friend(s): {})", via.len(), via.join(", "));
        }
    }

    println!("\nDegrees of separation (friendships):");
    for (a, b) in [("alice", "judy"), ("dave", "ivan"), ("alice", "alice"), ("alice", "mallory")] {
        match graph.separation(a, b) {
            Some(path) => println!("  {a} -> {b}: {} degree(s) via {}", path.len() - 1, path.join(" > ")),
            None => println!("  {a} -> {b}: not connected"),
        }
    }

    println!("\nFollow chains (directed):");
    for (a, b) in [("mallory", "judy"), ("judy", "alice"), ("ivan", "alice")] {
        match graph.follow_chain(a, b) {
            Some(path) => println!("  {a} -> {b}: {}", path.join(" -> ")),
            None => println!("  {a} -> {b}: unreachable"),
        }
    }
}
