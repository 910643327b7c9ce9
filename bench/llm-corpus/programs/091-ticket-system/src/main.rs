//! ticket-system: support tickets with priorities, agent assignment, SLA
//! deadlines and escalation. The whole state is persisted as JSON.
//!
//! Usage: ticket-system [STATE_FILE]

use anyhow::{anyhow, bail, Context, Result};
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::PathBuf;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
enum Priority {
    Low,
    Medium,
    High,
    Critical,
}

impl Priority {
    fn sla(self) -> Duration {
        match self {
            Priority::Critical => Duration::hours(4),
            Priority::High => Duration::hours(8),
            Priority::Medium => Duration::hours(24),
            Priority::Low => Duration::hours(72),
        }
    }

    fn bump(self) -> Priority {
        match self {
            Priority::Low => Priority::Medium,
            Priority::Medium => Priority::High,
            _ => Priority::Critical,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
enum Status {
    Open,
    InProgress { agent: Uuid, since: DateTime<Utc> },
    WaitingOnCustomer { reason: String },
    Resolved { at: DateTime<Utc>, resolution: String },
    Closed { at: DateTime<Utc> },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Event {
    Created { at: DateTime<Utc> },
    Assigned { at: DateTime<Utc>, agent: Uuid },
    StatusChanged { at: DateTime<Utc>, to: String },
    Escalated { at: DateTime<Utc>, level: u8, new_priority: Priority },
    Comment { at: DateTime<Utc>, author: String, text: String },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Agent {
    id: Uuid,
    name: String,
    tier: u8, // 1 = frontline, 2 = senior, 3 = engineering
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Ticket {
    id: Uuid,
    title: String,
    customer: String,
    priority: Priority,
    status: Status,
    created_at: DateTime<Utc>,
    sla_deadline: DateTime<Utc>,
    assignee: Option<Uuid>,
    escalation_level: u8,
    history: Vec<Event>,
}

impl Ticket {
    fn is_active(&self) -> bool {
        !matches!(self.status, Status::Resolved { .. } | Status::Closed { .. })
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct HelpDesk {
    agents: HashMap<Uuid, Agent>,
    tickets: HashMap<Uuid, Ticket>,
}

impl HelpDesk {
    fn add_agent(&mut self, name: &str, tier: u8) -> Uuid {
        let id = Uuid::new_v4();
        self.agents.insert(id, Agent { id, name: name.to_string(), tier });
        id
    }

    fn open_ticket(&mut self, title: &str, customer: &str, priority: Priority, now: DateTime<Utc>) -> Uuid {
        let id = Uuid::new_v4();
        let ticket = Ticket {
            id,
            title: title.to_string(),
            customer: customer.to_string(),
            priority,
            status: Status::Open,
            created_at: now,
            sla_deadline: now + priority.sla(),
            assignee: None,
            escalation_level: 0,
            history: vec![Event::Created { at: now }],
        };
        self.tickets.insert(id, ticket);
        id
    }

    fn workload(&self, agent: Uuid) -> usize {
        self.tickets.values().filter(|t| t.is_active() && t.assignee == Some(agent)).count()
    }

    /// Assign to the least-loaded agent of at least `min_tier`.
    fn auto_assign(&mut self, ticket_id: Uuid, min_tier: u8, now: DateTime<Utc>) -> Result<Uuid> {
        let agent = self
            .agents
            .values()
            .filter(|a| a.tier >= min_tier)
            .min_by_key(|a| (self.workload(a.id), a.tier, a.name.clone()))
            .map(|a| a.id)
            .ok_or_else(|| anyhow!("no agent of tier {min_tier} available"))?;
        let ticket = self.tickets.get_mut(&ticket_id).context("unknown ticket")?;
        ticket.assignee = Some(agent);
        ticket.status = Status::InProgress { agent, since: now };
        ticket.history.push(Event::Assigned { at: now, agent });
        Ok(agent)
    }

    fn set_status(&mut self, ticket_id: Uuid, status: Status, now: DateTime<Utc>) -> Result<()> {
        let ticket = self.tickets.get_mut(&ticket_id).context("unknown ticket")?;
        if matches!(ticket.status, Status::Closed { .. }) {
            bail!("ticket '{}' is closed", ticket.title);
        }
        let label = match &status {
            Status::Open => "open".to_string(),
            Status::InProgress { .. } => "in progress".to_string(),
            Status::WaitingOnCustomer { reason } => format!("waiting: {reason}"),
            Status::Resolved { resolution, .. } => format!("resolved: {resolution}"),
            Status::Closed { .. } => "closed".to_string(),
        };
        ticket.status = status;
        ticket.history.push(Event::StatusChanged { at: now, to: label });
        Ok(())
    }

    fn comment(&mut self, ticket_id: Uuid, author: &str, text: &str, now: DateTime<Utc>) -> Result<()> {
        let ticket = self.tickets.get_mut(&ticket_id).context("unknown ticket")?;
        ticket.history.push(Event::Comment { at: now, author: author.into(), text: text.into() });
        Ok(())
    }

    /// Escalate every active ticket whose SLA deadline has passed.
    fn escalate_overdue(&mut self, now: DateTime<Utc>) -> Result<Vec<Uuid>> {
        let overdue: Vec<Uuid> = self
            .tickets
            .values()
            .filter(|t| t.is_active() && !matches!(t.status, Status::WaitingOnCustomer { .. }) && t.sla_deadline < now)
            .map(|t| t.id)
            .collect();
        for id in &overdue {
            let (level, priority) = {
                let t = self.tickets.get_mut(id).context("ticket vanished")?;
                t.escalation_level += 1;
                t.priority = t.priority.bump();
                t.sla_deadline = now + t.priority.sla();
                t.history.push(Event::Escalated { at: now, level: t.escalation_level, new_priority: t.priority });
                (t.escalation_level, t.priority)
            };
            let tier = (level + 1).min(3);
            self.auto_assign(*id, tier, now)?;
            println!("  escalated #{} to level {level} ({priority:?}), tier {tier}", short(*id));
        }
        Ok(overdue)
    }

    fn save(&self, path: &PathBuf) -> Result<()> {
        let json = serde_json::to_string_pretty(self)?;
        std::fs::write(path, json).with_context(|| format!("writing {}", path.display()))
    }

    fn load(path: &PathBuf) -> Result<Self> {
        let json = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        Ok(serde_json::from_str(&json)?)
    }

    fn report(&self, now: DateTime<Utc>) {
        let mut tickets: Vec<&Ticket> = self.tickets.values().collect();
        tickets.sort_by_key(|t| (std::cmp::Reverse(t.priority), t.created_at));
        println!("{:<9} {:<30} {:<9} {:<22} {:<8} {:>4} {}", "id", "title", "priority", "status", "agent", "esc", "SLA");
        for t in tickets {
            let agent = t.assignee.and_then(|a| self.agents.get(&a)).map(|a| a.name.as_str()).unwrap_or("-");
            let status = match &t.status {
                Status::Open => "open".to_string(),
                Status::InProgress { .. } => "in progress".to_string(),
                Status::WaitingOnCustomer { .. } => "waiting on customer".to_string(),
                Status::Resolved { .. } => "resolved".to_string(),
                Status::Closed { .. } => "closed".to_string(),
            };
            let sla = if !t.is_active() {
                "met/closed".to_string()
            } else {
                let left = t.sla_deadline - now;
                if left < Duration::zero() { format!("BREACHED {}h ago", -left.num_hours()) } else { format!("{}h left", left.num_hours()) }
            };
            println!("{:<9} {:<30} {:<9} {:<22} {:<8} {:>4} {}", short(t.id), t.title, format!("{:?}", t.priority), status, agent, t.escalation_level, sla);
        }
    }
}

fn short(id: Uuid) -> String {
    id.to_string()[..8].to_string()
}

fn main() -> Result<()> {
    let path = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("ticket-system-state.json"));

    let mut now = Utc.with_ymd_and_hms(2024, 3, 4, 9, 0, 0).single().context("bad start time")?;
    let mut desk = HelpDesk::default();
    desk.add_agent("Ana", 1);
    desk.add_agent("Ben", 1);
    desk.add_agent("Chen", 2);
    desk.add_agent("Dara", 3);

    let login = desk.open_ticket("Cannot log in", "acme", Priority::High, now);
    let invoice = desk.open_ticket("Invoice shows wrong VAT", "globex", Priority::Medium, now);
    let outage = desk.open_ticket("API returns 500 for all calls", "initech", Priority::Critical, now + Duration::minutes(30));
    let feature = desk.open_ticket("Dark mode request", "umbrella", Priority::Low, now + Duration::hours(1));

    println!("09:00 assigning new tickets");
    for id in [login, invoice, outage] {
        let agent = desk.auto_assign(id, 1, now)?;
        println!("  #{} -> {}", short(id), desk.agents[&agent].name);
    }
    desk.comment(login, "Ana", "Asked customer to reset password", now + Duration::hours(1))?;
    desk.set_status(login, Status::WaitingOnCustomer { reason: "password reset link sent".into() }, now + Duration::hours(1))?;

    now += Duration::hours(5);
    println!("\n{} escalation check", now.format("%H:%M"));
    desk.escalate_overdue(now)?;

    desk.set_status(outage, Status::Resolved { at: now, resolution: "rolled back deploy".into() }, now)?;
    now += Duration::hours(20);
    println!("\n{} escalation check", now.format("%a %H:%M"));
    desk.escalate_overdue(now)?;
    desk.set_status(outage, Status::Closed { at: now }, now)?;
    if let Err(e) = desk.set_status(outage, Status::Open, now) {
        println!("  expected error: {e}");
    }

    println!("\nState at {}:", now.format("%Y-%m-%d %H:%M UTC"));
    desk.report(now);

    desk.save(&path)?;
    let restored = HelpDesk::load(&path)?;
    println!("\nSaved state to {} and reloaded: {} agents, {} tickets", path.display(), restored.agents.len(), restored.tickets.len());
    let events: usize = restored.tickets.values().map(|t| t.history.len()).sum();
    println!("History events preserved: {events}");
    let sample = &restored.tickets[&feature];
    println!("Sample ticket JSON:\n{}", serde_json::to_string_pretty(sample)?);
    Ok(())
}
