use std::collections::HashMap;

use chrono::{DateTime, Duration, TimeZone, Utc};
use regex::Regex;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Priority {
    Low,
    Normal,
    High,
    Urgent,
}

impl Priority {
    fn from_score(score: i32) -> Priority {
        match score {
            s if s >= 60 => Priority::Urgent,
            s if s >= 30 => Priority::High,
            s if s >= 0 => Priority::Normal,
            _ => Priority::Low,
        }
    }
}

#[derive(Debug, Clone)]
struct Message {
    id: u32,
    from: String,
    subject: String,
    body: String,
    received: DateTime<Utc>,
    score: i32,
    priority: Priority,
    matched_rules: Vec<String>,
    snoozed_until: Option<DateTime<Utc>>,
    read: bool,
}

enum Condition {
    SenderIs(String),
    SenderDomain(String),
    Keyword(Regex),
    OlderThan(Duration),
    NewerThan(Duration),
}

struct Rule {
    name: String,
    condition: Condition,
    boost: i32,
}

fn score_message(rules: &[Rule], now: DateTime<Utc>, msg: &Message) -> (i32, Vec<String>) {
    let age = now - msg.received;
    let text = format!("{}\n{}", msg.subject, msg.body);
    rules.iter().fold((0, Vec::new()), |(score, mut hits), rule| {
        let matched = match &rule.condition {
            Condition::SenderIs(addr) => msg.from.eq_ignore_ascii_case(addr),
            Condition::SenderDomain(domain) => msg.from.to_lowercase().ends_with(&format!("@{}", domain.to_lowercase())),
            Condition::Keyword(re) => re.is_match(&text),
            Condition::OlderThan(d) => age > *d,
            Condition::NewerThan(d) => age <= *d,
        };
        if matched {
            hits.push(rule.name.clone());
            (score + rule.boost, hits)
        } else {
            (score, hits)
        }
    })
}

struct Inbox {
    messages: Vec<Message>,
    rules: Vec<Rule>,
    now: DateTime<Utc>,
    // Statistics, kept up to date by `refresh_stats`.
    total: usize,
    visible: usize,
    snoozed: usize,
    unread: usize,
    per_priority: [usize; 4],
    average_score: f64,
    rule_hits: HashMap<String, usize>,
    oldest_unread: Option<DateTime<Utc>>,
}

impl Inbox {
    fn new(now: DateTime<Utc>) -> Self {
        Inbox {
            messages: Vec::new(),
            rules: Vec::new(),
            now,
            total: 0,
            visible: 0,
            snoozed: 0,
            unread: 0,
            per_priority: [0; 4],
            average_score: 0.0,
            rule_hits: HashMap::new(),
            oldest_unread: None,
        }
    }

    fn add_rule(&mut self, name: &str, condition: Condition, boost: i32) {
        self.rules.push(Rule { name: name.to_string(), condition, boost });
    }

    fn receive(&mut self, from: &str, subject: &str, body: &str, received: DateTime<Utc>) -> u32 {
        let id = self.messages.len() as u32 + 1;
        self.messages.push(Message {
            id,
            from: from.to_string(),
            subject: subject.to_string(),
            body: body.to_string(),
            received,
            score: 0,
            priority: Priority::Normal,
            matched_rules: Vec::new(),
            snoozed_until: None,
            read: false,
        });
        self.classify_all();
        id
    }

    fn classify_all(&mut self) {
        for msg in self.messages.iter_mut() {
            let (score, hits) = score_message(&self.rules, self.now, msg);
            msg.score = score;
            msg.priority = Priority::from_score(score);
            msg.matched_rules = hits;
        }
        self.refresh_stats();
    }

    fn refresh_stats(&mut self) {
        self.total = self.messages.len();
        self.snoozed = 0;
        self.unread = 0;
        self.per_priority = [0; 4];
        self.rule_hits.clear();
        self.oldest_unread = None;
        let mut score_sum = 0i64;
        for msg in &self.messages {
            if msg.snoozed_until.map_or(false, |t| t > self.now) {
                self.snoozed += 1;
                continue;
            }
            self.per_priority[msg.priority as usize] += 1;
            score_sum += msg.score as i64;
            if !msg.read {
                self.unread += 1;
                self.oldest_unread = Some(self.oldest_unread.map_or(msg.received, |t| t.min(msg.received)));
            }
            for rule in &msg.matched_rules {
                *self.rule_hits.entry(rule.clone()).or_insert(0) += 1;
            }
        }
        self.visible = self.total - self.snoozed;
        self.average_score = if self.visible == 0 { 0.0 } else { score_sum as f64 / self.visible as f64 };
    }

    fn snooze(&mut self, id: u32, until: DateTime<Utc>) -> bool {
        let found = match self.messages.iter_mut().find(|m| m.id == id) {
            Some(msg) => {
                msg.snoozed_until = Some(until);
                true
            }
            None => false,
        };
        self.refresh_stats();
        found
    }

    fn mark_read(&mut self, id: u32) {
        if let Some(msg) = self.messages.iter_mut().find(|m| m.id == id) {
            msg.read = true;
        }
        self.refresh_stats();
    }

    /// Move the clock forward: snoozes expire and age-based rules are re-evaluated.
    fn advance(&mut self, by: Duration) -> Vec<u32> {
        self.now = self.now + by;
        let mut woken = Vec::new();
        for msg in self.messages.iter_mut() {
            if let Some(until) = msg.snoozed_until {
                if until <= self.now {
                    msg.snoozed_until = None;
                    woken.push(msg.id);
                }
            }
        }
        self.classify_all();
        woken
    }

    fn view(&self) -> Vec<&Message> {
        let mut visible: Vec<&Message> =
            self.messages.iter().filter(|m| m.snoozed_until.map_or(true, |t| t <= self.now)).collect();
        visible.sort_by(|a, b| {
            b.priority.cmp(&a.priority).then(b.score.cmp(&a.score)).then(b.received.cmp(&a.received))
        });
        visible
    }

    fn print(&self, title: &str) {
        println!("\n=== {title} (now {}) ===", self.now.format("%a %Y-%m-%d %H:%M"));
        let mut current: Option<Priority> = None;
        for msg in self.view() {
            if current != Some(msg.priority) {
                println!("-- {:?} --", msg.priority);
                current = Some(msg.priority);
            }
            let age = self.now - msg.received;
            println!(
                "  {} #{:<2} {:>4} {:<22} {:<38} {:>4}h old  [{}]",
                if msg.read { " " } else { "*" },
                msg.id,
                msg.score,
                msg.from,
                msg.subject,
                age.num_hours(),
                msg.matched_rules.join(", ")
            );
        }
        println!(
            "stats: {} total, {} visible, {} snoozed, {} unread, avg score {:.1}, per priority L/N/H/U = {:?}",
            self.total, self.visible, self.snoozed, self.unread, self.average_score, self.per_priority
        );
        if let Some(t) = self.oldest_unread {
            println!("oldest unread message arrived {}", t.format("%Y-%m-%d %H:%M"));
        }
        let mut hits: Vec<_> = self.rule_hits.iter().collect();
        hits.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        println!("rule hits: {}", hits.iter().map(|(r, n)| format!("{r}={n}")).collect::<Vec<_>>().join(", "));
    }
}

fn main() {
    let now = Utc.with_ymd_and_hms(2024, 6, 3, 9, 0, 0).unwrap();
    let mut inbox = Inbox::new(now);
    let re = |p: &str| Regex::new(p).expect("valid rule regex");
    inbox.add_rule("boss", Condition::SenderIs("ceo@acme.com".into()), 50);
    inbox.add_rule("team", Condition::SenderDomain("acme.com".into()), 10);
    inbox.add_rule("urgent-words", Condition::Keyword(re(r"(?i)\b(urgent|asap|outage|down)\b")), 35);
    inbox.add_rule("invoice", Condition::Keyword(re(r"(?i)invoice\s*#?\d+")), 20);
    inbox.add_rule("bulk", Condition::Keyword(re(r"(?i)unsubscribe|newsletter|% off")), -30);
    inbox.add_rule("stale", Condition::OlderThan(Duration::days(3)), -15);
    inbox.add_rule("fresh", Condition::NewerThan(Duration::hours(2)), 10);

    let h = |hours: i64| now - Duration::hours(hours);
    inbox.receive("ceo@acme.com", "Board deck review", "Please review the deck before Thursday.", h(1));
    inbox.receive("alerts@monitoring.io", "Production DOWN: api-gateway", "Outage detected in eu-west.", h(0));
    inbox.receive("billing@vendor.com", "Invoice #4821 due", "Your invoice #4821 is attached.", h(30));
    inbox.receive("news@shop.com", "Summer sale: 40% off", "Click to unsubscribe.", h(5));
    inbox.receive("bob@acme.com", "Lunch?", "Tacos today?", h(3));
    inbox.receive("carol@acme.com", "Need this ASAP", "Can you sign the contract asap?", h(20));
    inbox.receive("old.friend@mail.com", "Long time no see", "How have you been?", h(24 * 5));
    inbox.receive("newsletter@rust-weekly.org", "This week in Rust", "Newsletter issue 550.", h(26));

    inbox.print("Initial inbox");

    inbox.snooze(3, now + Duration::hours(4));
    inbox.snooze(5, now + Duration::hours(8));
    inbox.mark_read(1);
    inbox.print("After snoozing #3 (4h) and #5 (8h), reading #1");

    let woken = inbox.advance(Duration::hours(5));
    println!("\nAdvanced 5 hours; woke snoozed messages {woken:?}");
    inbox.receive("ceo@acme.com", "URGENT: client call", "Join the call asap.", inbox.now - Duration::minutes(10));
    inbox.print("Five hours later");

    let woken = inbox.advance(Duration::hours(4));
    println!("\nAdvanced 4 more hours; woke {woken:?}");
    inbox.print("End of day");
}
