//! Conference peer review: reviewer assignment without conflicts of interest,
//! load balancing, simulated reviews and accept/reject decisions.
//!
//! The conference owns an `EventHub` of named closures registered at run time.
//! Every step emits events and each handler is called with mutable access to
//! the shared `ReviewState` (load tracking, audit log, chair inbox, decisions).

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;

#[derive(Debug, Clone)]
struct Reviewer {
    name: String,
    affiliation: String,
    expertise: Vec<&'static str>,
    max_load: usize,
    conflicts: Vec<String>,
    harshness: f64,
}

#[derive(Debug, Clone)]
struct Paper {
    id: u32,
    title: String,
    authors: Vec<String>,
    affiliations: Vec<String>,
    topics: Vec<&'static str>,
    true_quality: f64,
}

#[derive(Debug, Clone)]
struct Review {
    paper: u32,
    reviewer: String,
    score: i32,
    confidence: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Decision {
    Accept,
    Discuss,
    Reject,
}

#[derive(Debug, Clone)]
enum Event {
    Assigned { paper: u32, reviewer: String, load_after: usize, expertise_match: usize },
    ConflictAvoided { paper: u32, reviewer: String, reason: String },
    Understaffed { paper: u32, assigned: usize, needed: usize },
    ReviewSubmitted { paper: u32, reviewer: String, score: i32, confidence: u32 },
    Decided { paper: u32, title: String, weighted_mean: f64, decision: Decision },
}

type Handler<S> = Box<dyn FnMut(&mut S, &Event)>;

struct EventHub<S> {
    handlers: Vec<(String, Handler<S>)>,
}

impl<S> EventHub<S> {
    fn new() -> Self {
        EventHub { handlers: Vec::new() }
    }

    fn on(&mut self, name: &str, handler: impl FnMut(&mut S, &Event) + 'static) {
        self.handlers.push((name.to_string(), Box::new(handler)));
    }

    fn emit(&mut self, state: &mut S, event: &Event) {
        for (_, handler) in self.handlers.iter_mut() {
            handler(state, event);
        }
    }

    fn names(&self) -> Vec<&str> {
        self.handlers.iter().map(|(n, _)| n.as_str()).collect()
    }
}

#[derive(Debug, Default)]
struct ReviewState {
    assignments: usize,
    conflicts_avoided: usize,
    load: HashMap<String, usize>,
    reviews_received: usize,
    chair_inbox: Vec<String>,
    decisions: HashMap<Decision, Vec<u32>>,
    log: Vec<String>,
}

struct Conference {
    reviewers: Vec<Reviewer>,
    papers: Vec<Paper>,
    per_paper: usize,
    hub: EventHub<ReviewState>,
    assignment: HashMap<u32, Vec<String>>,
    reviews: Vec<Review>,
}

impl Conference {
    fn conflict(r: &Reviewer, p: &Paper) -> Option<String> {
        if p.authors.iter().any(|a| a == &r.name) {
            return Some("reviewer is an author".to_string());
        }
        if p.affiliations.iter().any(|a| a == &r.affiliation) {
            return Some(format!("same affiliation ({})", r.affiliation));
        }
        if let Some(a) = p.authors.iter().find(|a| r.conflicts.contains(*a)) {
            return Some(format!("declared conflict with {a}"));
        }
        None
    }

    fn expertise_match(r: &Reviewer, p: &Paper) -> usize {
        r.expertise.iter().filter(|t| p.topics.contains(*t)).count()
    }

    fn assign(&mut self, state: &mut ReviewState) {
        let mut load: HashMap<String, usize> = self.reviewers.iter().map(|r| (r.name.clone(), 0)).collect();
        // Hardest papers (fewest eligible reviewers) first.
        let mut order: Vec<usize> = (0..self.papers.len()).collect();
        order.sort_by_key(|&i| {
            self.reviewers.iter().filter(|r| Self::conflict(r, &self.papers[i]).is_none()).count()
        });

        let mut events = Vec::new();
        for i in order {
            let paper = &self.papers[i];
            let mut candidates: Vec<(&Reviewer, usize)> = Vec::new();
            for r in &self.reviewers {
                if let Some(reason) = Self::conflict(r, paper) {
                    events.push(Event::ConflictAvoided { paper: paper.id, reviewer: r.name.clone(), reason });
                    continue;
                }
                if load[&r.name] >= r.max_load {
                    continue;
                }
                candidates.push((r, Self::expertise_match(r, paper)));
            }
            // Prefer reviewers with matching expertise, then the least loaded.
            candidates.sort_by(|(a, am), (b, bm)| {
                (*am == 0)
                    .cmp(&(*bm == 0))
                    .then(load[&a.name].cmp(&load[&b.name]))
                    .then(bm.cmp(am))
                    .then(a.name.cmp(&b.name))
            });
            let chosen: Vec<(&Reviewer, usize)> = candidates.into_iter().take(self.per_paper).collect();
            for (r, matched) in &chosen {
                let l = load.get_mut(&r.name).expect("every reviewer has a load entry");
                *l += 1;
                events.push(Event::Assigned {
                    paper: paper.id,
                    reviewer: r.name.clone(),
                    load_after: *l,
                    expertise_match: *matched,
                });
            }
            if chosen.len() < self.per_paper {
                events.push(Event::Understaffed { paper: paper.id, assigned: chosen.len(), needed: self.per_paper });
            }
            self.assignment.insert(paper.id, chosen.iter().map(|(r, _)| r.name.clone()).collect());
        }
        for e in &events {
            self.hub.emit(state, e);
        }
    }

    fn collect_reviews(&mut self, state: &mut ReviewState, rng: &mut StdRng) {
        let mut events = Vec::new();
        for paper in &self.papers {
            let Some(names) = self.assignment.get(&paper.id) else { continue };
            for name in names {
                let reviewer = self.reviewers.iter().find(|r| &r.name == name).expect("assigned reviewer exists");
                let expert = Self::expertise_match(reviewer, paper) > 0;
                let noise: f64 = if expert { rng.gen_range(-0.8..0.8) } else { rng.gen_range(-1.8..1.8) };
                let score = (paper.true_quality + noise - reviewer.harshness).round().clamp(-3.0, 3.0) as i32;
                let confidence = if expert { rng.gen_range(3..=5) } else { rng.gen_range(1..=3) };
                self.reviews.push(Review { paper: paper.id, reviewer: name.clone(), score, confidence });
                events.push(Event::ReviewSubmitted { paper: paper.id, reviewer: name.clone(), score, confidence });
            }
        }
        for e in &events {
            self.hub.emit(state, e);
        }
    }

    fn decide(&mut self, state: &mut ReviewState) {
        let mut events = Vec::new();
        for paper in &self.papers {
            let reviews: Vec<&Review> = self.reviews.iter().filter(|r| r.paper == paper.id).collect();
            let (weighted_mean, decision) = if reviews.is_empty() {
                (0.0, Decision::Discuss)
            } else {
                let weight: f64 = reviews.iter().map(|r| r.confidence as f64).sum();
                let mean = reviews.iter().map(|r| r.score as f64 * r.confidence as f64).sum::<f64>() / weight;
                let min = reviews.iter().map(|r| r.score).min().unwrap_or(0);
                let max = reviews.iter().map(|r| r.score).max().unwrap_or(0);
                let decision = if reviews.len() < self.per_paper || max - min >= 4 {
                    Decision::Discuss
                } else if mean >= 1.0 && min > -2 {
                    Decision::Accept
                } else if mean <= 0.0 {
                    Decision::Reject
                } else {
                    Decision::Discuss
                };
                (mean, decision)
            };
            events.push(Event::Decided { paper: paper.id, title: paper.title.clone(), weighted_mean, decision });
        }
        for e in &events {
            self.hub.emit(state, e);
        }
    }
}

fn sample_reviewers() -> Vec<Reviewer> {
    let r = |name: &str, aff: &str, exp: &[&'static str], max_load: usize, conflicts: &[&str], harshness: f64| Reviewer {
        name: name.to_string(),
        affiliation: aff.to_string(),
        expertise: exp.to_vec(),
        max_load,
        conflicts: conflicts.iter().map(|c| c.to_string()).collect(),
        harshness,
    };
    vec![
        r("Ada", "ETH", &["compilers", "types"], 4, &[], 0.2),
        r("Barbara", "MIT", &["distributed", "databases"], 4, &["Edsger"], 0.0),
        r("Claude", "Bell Labs", &["security", "crypto"], 3, &[], 0.5),
        r("Donald", "Stanford", &["algorithms", "types"], 4, &[], -0.2),
        r("Edsger", "UT Austin", &["algorithms", "distributed"], 4, &[], 0.8),
        r("Frances", "IBM", &["compilers", "hpc"], 3, &["Grace"], 0.0),
        r("Grace", "Navy", &["compilers", "databases"], 4, &[], -0.3),
        r("Hedy", "MIT", &["crypto", "distributed"], 3, &[], 0.1),
    ]
}

fn sample_papers() -> Vec<Paper> {
    let p = |id: u32, title: &str, authors: &[&str], affs: &[&str], topics: &[&'static str], q: f64| Paper {
        id,
        title: title.to_string(),
        authors: authors.iter().map(|a| a.to_string()).collect(),
        affiliations: affs.iter().map(|a| a.to_string()).collect(),
        topics: topics.to_vec(),
        true_quality: q,
    };
    vec![
        p(1, "Gradual Types for Legacy Code", &["Donald", "Lin"], &["Stanford"], &["types", "compilers"], 2.0),
        p(2, "Consensus Without Clocks", &["Edsger"], &["UT Austin"], &["distributed"], 1.5),
        p(3, "Side Channels in Shared Caches", &["Mei"], &["ETH"], &["security", "hpc"], 0.5),
        p(4, "Query Plans by Example", &["Grace", "Omar"], &["Navy"], &["databases"], -0.5),
        p(5, "Lattice Crypto on Microcontrollers", &["Rui"], &["MIT"], &["crypto", "security"], 2.5),
        p(6, "A Faster Union-Find", &["Sam"], &["CMU"], &["algorithms"], -1.5),
        p(7, "Vectorising Compilers for Sparse Code", &["Tara", "Grace"], &["IBM", "Navy"], &["compilers", "hpc"], 1.0),
        p(8, "Replicated Logs at Scale", &["Uma"], &["Google"], &["distributed", "databases"], 0.0),
    ]
}

fn main() {
    let mut rng = StdRng::seed_from_u64(11);
    let mut conf = Conference {
        reviewers: sample_reviewers(),
        papers: sample_papers(),
        per_paper: 3,
        hub: EventHub::new(),
        assignment: HashMap::new(),
        reviews: Vec::new(),
    };
    let mut state = ReviewState::default();

    conf.hub.on("load-tracker", |s: &mut ReviewState, e: &Event| match e {
        Event::Assigned { reviewer, .. } => {
            s.assignments += 1;
            *s.load.entry(reviewer.clone()).or_insert(0) += 1;
        }
        Event::ConflictAvoided { .. } => s.conflicts_avoided += 1,
        Event::ReviewSubmitted { .. } => s.reviews_received += 1,
        _ => {}
    });
    conf.hub.on("audit-log", |s: &mut ReviewState, e: &Event| {
        let line = match e {
            Event::Assigned { paper, reviewer, load_after, expertise_match } => {
                format!("paper {paper}: assigned {reviewer} (load {load_after}, topic matches {expertise_match})")
            }
            Event::ConflictAvoided { paper, reviewer, reason } => format!("paper {paper}: skipped {reviewer}: {reason}"),
            Event::Understaffed { paper, assigned, needed } => format!("paper {paper}: only {assigned}/{needed} reviewers"),
            Event::ReviewSubmitted { paper, reviewer, score, confidence } => {
                format!("paper {paper}: {reviewer} scored {score:+} (confidence {confidence})")
            }
            Event::Decided { paper, decision, weighted_mean, .. } => {
                format!("paper {paper}: {decision:?} (weighted mean {weighted_mean:+.2})")
            }
        };
        s.log.push(line);
    });
    conf.hub.on("chair-alerts", |s: &mut ReviewState, e: &Event| match e {
        Event::Understaffed { paper, assigned, needed } => {
            s.chair_inbox.push(format!("find {} more reviewer(s) for paper {paper}", needed - assigned))
        }
        Event::ReviewSubmitted { paper, reviewer, score: -3, .. } => {
            s.chair_inbox.push(format!("strong reject on paper {paper} from {reviewer}"))
        }
        _ => {}
    });

    println!("handlers before assignment: {:?}", conf.hub.names());
    conf.assign(&mut state);

    println!("\n=== Assignments ===");
    for paper in &conf.papers {
        let names = conf.assignment.get(&paper.id).cloned().unwrap_or_default();
        println!("  #{} {:<40} -> {}", paper.id, paper.title, names.join(", "));
    }
    let mut loads: Vec<(&String, &usize)> = state.load.iter().collect();
    loads.sort();
    println!("\nreviewer load: {:?}", loads);
    let max = state.load.values().max().copied().unwrap_or(0);
    let min = conf.reviewers.iter().map(|r| state.load.get(&r.name).copied().unwrap_or(0)).min().unwrap_or(0);
    println!("load spread: min {min}, max {max}; conflicts avoided: {}", state.conflicts_avoided);

    // A handler registered later, only interested in decisions.
    conf.hub.on("decision-board", |s: &mut ReviewState, e: &Event| {
        if let Event::Decided { paper, decision, .. } = e {
            s.decisions.entry(*decision).or_default().push(*paper);
        }
    });
    println!("handlers after registration: {:?}", conf.hub.names());

    conf.collect_reviews(&mut state, &mut rng);
    conf.decide(&mut state);

    println!("\n=== Reviews and decisions ===");
    for paper in &conf.papers {
        let scores: Vec<String> = conf
            .reviews
            .iter()
            .filter(|r| r.paper == paper.id)
            .map(|r| format!("{}:{:+}/c{}", r.reviewer, r.score, r.confidence))
            .collect();
        let decision = state
            .decisions
            .iter()
            .find(|(_, ids)| ids.contains(&paper.id))
            .map(|(d, _)| format!("{d:?}"))
            .unwrap_or_else(|| "-".to_string());
        println!("  #{} {:<40} [{}] => {}", paper.id, paper.title, scores.join(" "), decision);
    }

    let mut summary: Vec<(&Decision, &Vec<u32>)> = state.decisions.iter().collect();
    summary.sort();
    println!("\ndecision board: {:?}", summary);
    println!("reviews received: {}, assignments: {}", state.reviews_received, state.assignments);
    println!("\nchair inbox:");
    for msg in &state.chair_inbox {
        println!("  - {msg}");
    }
    println!("\naudit log ({} entries), last five:", state.log.len());
    for line in state.log.iter().rev().take(5).collect::<Vec<_>>().into_iter().rev() {
        println!("  {line}");
    }
}
