use anyhow::{anyhow, bail, Context, Result};
use chrono::{Local, NaiveDate};
use serde::{Deserialize, Serialize};
use std::env;
use std::fs;
use std::path::Path;

const DB_FILE: &str = "todos.json";

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
enum Priority {
    High,
    Medium,
    Low,
}

impl std::str::FromStr for Priority {
    type Err = anyhow::Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_lowercase().as_str() {
            "high" | "h" => Ok(Priority::High),
            "medium" | "med" | "m" => Ok(Priority::Medium),
            "low" | "l" => Ok(Priority::Low),
            other => Err(anyhow!("unknown priority '{}'", other)),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Task {
    id: u32,
    title: String,
    priority: Priority,
    due: Option<NaiveDate>,
    done: bool,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct TodoList {
    next_id: u32,
    tasks: Vec<Task>,
}

impl TodoList {
    fn load(path: &Path) -> Result<Self> {
        if !path.exists() {
            return Ok(TodoList { next_id: 1, tasks: Vec::new() });
        }
        let data = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let list = serde_json::from_str(&data).context("parsing todo file")?;
        Ok(list)
    }

    fn save(&self, path: &Path) -> Result<()> {
        let data = serde_json::to_string_pretty(self)?;
        fs::write(path, data).with_context(|| format!("writing {}", path.display()))?;
        Ok(())
    }

    fn add(&mut self, title: String, priority: Priority, due: Option<NaiveDate>) -> u32 {
        let id = self.next_id.max(1);
        self.next_id = id + 1;
        self.tasks.push(Task { id, title, priority, due, done: false });
        id
    }

    fn find_mut(&mut self, id: u32) -> Result<&mut Task> {
        self.tasks
            .iter_mut()
            .find(|t| t.id == id)
            .ok_or_else(|| anyhow!("no task with id {}", id))
    }

    fn remove(&mut self, id: u32) -> Result<Task> {
        let pos = self
            .tasks
            .iter()
            .position(|t| t.id == id)
            .ok_or_else(|| anyhow!("no task with id {}", id))?;
        Ok(self.tasks.remove(pos))
    }

    fn print(&self, show_all: bool) {
        let today = Local::now().date_naive();
        let mut tasks: Vec<&Task> = self.tasks.iter().filter(|t| show_all || !t.done).collect();
        tasks.sort_by(|a, b| {
            a.done
                .cmp(&b.done)
                .then(a.priority.cmp(&b.priority))
                .then(a.due.unwrap_or(NaiveDate::MAX).cmp(&b.due.unwrap_or(NaiveDate::MAX)))
        });
        if tasks.is_empty() {
            println!("Nothing to do!");
            return;
        }
        println!("{:<4} {:<6} {:<8} {:<12} {}", "ID", "Done", "Priority", "Due", "Title");
        for t in tasks {
            let due = match t.due {
                Some(d) if d < today && !t.done => format!("{} !", d),
                Some(d) => d.to_string(),
                None => "-".to_string(),
            };
            println!(
                "{:<4} {:<6} {:<8} {:<12} {}",
                t.id,
                if t.done { "[x]" } else { "[ ]" },
                format!("{:?}", t.priority),
                due,
                t.title
            );
        }
    }
}

fn usage() {
    println!("Usage:");
    println!("  todo-cli add <title> [--priority high|medium|low] [--due YYYY-MM-DD]");
    println!("  todo-cli list [--all]");
    println!("  todo-cli done <id>");
    println!("  todo-cli remove <id>");
}

fn parse_id(arg: Option<&String>) -> Result<u32> {
    let s = arg.ok_or_else(|| anyhow!("missing task id"))?;
    s.parse::<u32>().with_context(|| format!("invalid id '{}'", s))
}

fn run(args: &[String]) -> Result<()> {
    let path = Path::new(DB_FILE);
    let mut list = TodoList::load(path)?;
    let cmd = match args.first() {
        Some(c) => c.as_str(),
        None => {
            usage();
            return Ok(());
        }
    };
    match cmd {
        "add" => {
            let mut title_parts = Vec::new();
            let mut priority = Priority::Medium;
            let mut due = None;
            let mut i = 1;
            while i < args.len() {
                match args[i].as_str() {
                    "--priority" | "-p" => {
                        i += 1;
                        let v = args.get(i).ok_or_else(|| anyhow!("--priority needs a value"))?;
                        priority = v.parse()?;
                    }
                    "--due" | "-d" => {
                        i += 1;
                        let v = args.get(i).ok_or_else(|| anyhow!("--due needs a value"))?;
                        due = Some(
                            NaiveDate::parse_from_str(v, "%Y-%m-%d")
                                .with_context(|| format!("invalid date '{}'", v))?,
                        );
                    }
                    other => title_parts.push(other.to_string()),
                }
                i += 1;
            }
            if title_parts.is_empty() {
                bail!("a task needs a title");
            }
            let id = list.add(title_parts.join(" "), priority, due);
            list.save(path)?;
            println!("Added task {}", id);
        }
        "list" => {
            let all = args.iter().any(|a| a == "--all" || a == "-a");
            list.print(all);
        }
        "done" => {
            let id = parse_id(args.get(1))?;
            let task = list.find_mut(id)?;
            task.done = true;
            let title = task.title.clone();
            list.save(path)?;
            println!("Completed task {}: {}", id, title);
        }
        "remove" | "rm" => {
            let id = parse_id(args.get(1))?;
            let task = list.remove(id)?;
            list.save(path)?;
            println!("Removed task {}: {}", id, task.title);
        }
        "help" | "--help" | "-h" => usage(),
        other => {
            usage();
            bail!("unknown command '{}'", other);
        }
    }
    Ok(())
}

fn main() {
    let args: Vec<String> = env::args().skip(1).collect();
    if let Err(e) = run(&args) {
        eprintln!("error: {:#}", e);
        std::process::exit(1);
    }
}
