//! async-chat-bot: a tokio bot that answers scripted messages from several
//! users. Commands are handlers registered in a map; shared bot state lives
//! behind Arc<Mutex<..>> and each user session runs as a spawned task.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;
use tokio::task::JoinHandle;
use tokio::time::{sleep, Instant};

/// Mutable state shared by every session.
#[derive(Debug, Default)]
struct BotState {
    messages_seen: u64,
    commands_run: BTreeMap<String, u64>,
    karma: HashMap<String, i64>,
    notes: HashMap<String, Vec<String>>,
    unknown_commands: u64,
}

/// What a handler gets to look at.
struct Ctx<'a> {
    user: &'a str,
    args: Vec<&'a str>,
    uptime: Duration,
}

type Handler = Box<dyn Fn(&Ctx<'_>, &mut BotState) -> String + Send + Sync>;

struct Bot {
    prefix: char,
    handlers: HashMap<&'static str, (&'static str, Handler)>,
    state: Arc<Mutex<BotState>>,
    started: Instant,
}

impl Bot {
    fn new(prefix: char) -> Self {
        Bot { prefix, handlers: HashMap::new(), state: Arc::new(Mutex::new(BotState::default())), started: Instant::now() }
    }

    fn register<F>(&mut self, name: &'static str, help: &'static str, f: F) -> &mut Self
    where
        F: Fn(&Ctx<'_>, &mut BotState) -> String + Send + Sync + 'static,
    {
        self.handlers.insert(name, (help, Box::new(f)));
        self
    }

    fn help_text(&self) -> String {
        let mut names: Vec<_> = self.handlers.iter().map(|(n, (h, _))| format!("{}{n} - {h}", self.prefix)).collect();
        names.sort();
        format!("commands:\n    {}", names.join("\n    "))
    }

    /// Handle one message; returns a reply if the bot has something to say.
    async fn handle(&self, user: &str, message: &str) -> Option<String> {
        let mut state = self.state.lock().await;
        state.messages_seen += 1;

        let body = message.trim().strip_prefix(self.prefix)?;
        let mut parts = body.split_whitespace();
        let command = parts.next()?.to_lowercase();
        let args: Vec<&str> = parts.collect();

        if command == "help" {
            *state.commands_run.entry(command).or_default() += 1;
            return Some(self.help_text());
        }

        match self.handlers.get(command.as_str()) {
            Some((_, handler)) => {
                let ctx = Ctx { user, args, uptime: self.started.elapsed() };
                let reply = handler(&ctx, &mut state);
                *state.commands_run.entry(command).or_default() += 1;
                Some(reply)
            }
            None => {
                state.unknown_commands += 1;
                Some(format!("unknown command '{command}', try {}help", self.prefix))
            }
        }
    }
}

fn build_bot() -> Bot {
    let mut bot = Bot::new('!');
    bot.register("echo", "repeat the arguments", |ctx, _| {
        if ctx.args.is_empty() { "(nothing to echo)".into() } else { ctx.args.join(" ") }
    })
    .register("karma", "'!karma name++' / 'name--' / 'name'", |ctx, state| {
        let Some(arg) = ctx.args.first() else {
            return "usage: !karma <name>[++|--]".into();
        };
        if let Some(name) = arg.strip_suffix("++") {
            if name == ctx.user {
                return "nice try, no self-karma".into();
            }
            let k = state.karma.entry(name.to_string()).or_default();
            *k += 1;
            format!("{name} now has {k} karma")
        } else if let Some(name) = arg.strip_suffix("--") {
            let k = state.karma.entry(name.to_string()).or_default();
            *k -= 1;
            format!("{name} now has {k} karma")
        } else {
            format!("{arg} has {} karma", state.karma.get(*arg).copied().unwrap_or(0))
        }
    })
    .register("note", "'!note add <text>' or '!note list'", |ctx, state| match ctx.args.split_first() {
        Some((&"add", rest)) if !rest.is_empty() => {
            let notes = state.notes.entry(ctx.user.to_string()).or_default();
            notes.push(rest.join(" "));
            format!("saved note #{} for {}", notes.len(), ctx.user)
        }
        Some((&"list", _)) => match state.notes.get(ctx.user) {
            Some(notes) if !notes.is_empty() => notes
                .iter()
                .enumerate()
                .map(|(i, n)| format!("{}. {n}", i + 1))
                .collect::<Vec<_>>()
                .join(" | "),
            _ => "no notes yet".into(),
        },
        _ => "usage: !note add <text> | !note list".into(),
    })
    .register("calc", "add/sub/mul/div two numbers, e.g. '!calc 3 * 4'", |ctx, _| {
        let [a, op, b] = ctx.args.as_slice() else {
            return "usage: !calc <a> <op> <b>".into();
        };
        let (Ok(a), Ok(b)) = (a.parse::<f64>(), b.parse::<f64>()) else {
            return "both operands must be numbers".into();
        };
        match *op {
            "+" => format!("{}", a + b),
            "-" => format!("{}", a - b),
            "*" | "x" => format!("{}", a * b),
            "/" if b == 0.0 => "division by zero".into(),
            "/" => format!("{}", a / b),
            other => format!("unknown operator '{other}'"),
        }
    })
    .register("stats", "bot statistics", |ctx, state| {
        let total: u64 = state.commands_run.values().sum();
        format!(
            "uptime {}ms, {} messages, {} commands, {} unknown",
            ctx.uptime.as_millis(),
            state.messages_seen,
            total,
            state.unknown_commands
        )
    });
    bot
}

async fn run_session(bot: Arc<Bot>, user: &'static str, script: Vec<&'static str>, delay_ms: u64) -> Vec<String> {
    let mut transcript = Vec::new();
    for msg in script {
        sleep(Duration::from_millis(delay_ms)).await;
        transcript.push(format!("<{user}> {msg}"));
        if let Some(reply) = bot.handle(user, msg).await {
            for line in reply.lines() {
                transcript.push(format!("  <bot> {line}"));
            }
        }
    }
    transcript
}

#[tokio::main]
async fn main() {
    let bot = Arc::new(build_bot());

    let scripts: Vec<(&'static str, Vec<&'static str>, u64)> = vec![
        ("alice", vec!["hi everyone", "!help", "!karma bob++", "!note add buy milk", "!note list"], 15),
        ("bob", vec!["!echo hello from bob", "!karma alice++", "!karma bob++", "!calc 6 * 7", "!karma bob"], 20),
        ("carol", vec!["!calc 1 / 0", "!dance", "!note list", "!karma alice++", "!stats"], 25),
    ];

    let handles: Vec<(&str, JoinHandle<Vec<String>>)> = scripts
        .into_iter()
        .map(|(user, script, delay)| (user, tokio::spawn(run_session(Arc::clone(&bot), user, script, delay))))
        .collect();

    for (user, handle) in handles {
        match handle.await {
            Ok(transcript) => {
                println!("=== session: {user} ===");
                for line in transcript {
                    println!("{line}");
                }
                println!();
            }
            Err(e) => eprintln!("session {user} failed: {e}"),
        }
    }

    let state = bot.state.lock().await;
    println!("=== final state ===");
    println!("messages seen: {}", state.messages_seen);
    println!("unknown commands: {}", state.unknown_commands);
    println!("command usage:");
    for (cmd, n) in &state.commands_run {
        println!("  {cmd:<6} {n}");
    }
    let mut karma: Vec<_> = state.karma.iter().collect();
    karma.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    println!("karma leaderboard:");
    for (name, k) in karma {
        println!("  {name:<6} {k:+}");
    }
}
