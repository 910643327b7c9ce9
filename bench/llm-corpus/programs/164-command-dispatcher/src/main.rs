//! A REPL command dispatcher: commands are registered through a builder with
//! names, aliases, typed arguments and help text; input lines are tokenized,
//! resolved, validated and dispatched to handlers.

use anyhow::Context as _;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum DispatchError {
    #[error("empty input")]
    Empty,
    #[error("unterminated quote starting at column {0}")]
    UnterminatedQuote(usize),
    #[error("unknown command '{name}'{hint}")]
    UnknownCommand { name: String, hint: String },
    #[error("'{command}' expects {expected} argument(s) but got {got}; usage: {usage}")]
    ArgCount { command: String, expected: String, got: usize, usage: String },
    #[error("argument '{arg}' of '{command}' must be {kind}, got '{value}'")]
    BadArgument { command: String, arg: String, kind: ArgKind, value: String },
    #[error("missing value for argument '{0}'")]
    MissingArg(String),
    #[error("unknown variable '${0}'")]
    UnknownVariable(String),
    #[error("duplicate command name or alias '{0}'")]
    Duplicate(String),
    #[error("invalid definition for command '{command}': {reason}")]
    InvalidDefinition { command: String, reason: String },
    #[error("{command}: {message}")]
    Runtime { command: String, message: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    Int,
    Float,
    Text,
    Bool,
}

impl fmt::Display for ArgKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ArgKind::Int => "an integer",
            ArgKind::Float => "a number",
            ArgKind::Text => "text",
            ArgKind::Bool => "a boolean",
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(i64),
    Float(f64),
    Text(String),
    Bool(bool),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{x}"),
            Value::Text(s) => write!(f, "{s}"),
            Value::Bool(b) => write!(f, "{b}"),
        }
    }
}

fn infer_value(s: &str) -> Value {
    if let Ok(i) = s.parse::<i64>() {
        Value::Int(i)
    } else if let Ok(x) = s.parse::<f64>() {
        Value::Float(x)
    } else if let Ok(b) = parse_bool(s) {
        Value::Bool(b)
    } else {
        Value::Text(s.to_string())
    }
}

fn parse_bool(s: &str) -> Result<bool, ()> {
    match s.to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" => Ok(true),
        "false" | "no" | "off" => Ok(false),
        _ => Err(()),
    }
}

#[derive(Debug, Clone)]
pub struct ArgSpec {
    name: String,
    kind: ArgKind,
    required: bool,
    help: String,
}

#[derive(Debug, Default)]
pub struct Args {
    values: HashMap<String, Value>,
    pub rest: Vec<String>,
}

impl Args {
    pub fn int(&self, name: &str) -> Result<i64, DispatchError> {
        match self.values.get(name) {
            Some(Value::Int(i)) => Ok(*i),
            _ => Err(DispatchError::MissingArg(name.to_string())),
        }
    }

    pub fn float(&self, name: &str) -> Result<f64, DispatchError> {
        match self.values.get(name) {
            Some(Value::Float(x)) => Ok(*x),
            Some(Value::Int(i)) => Ok(*i as f64),
            _ => Err(DispatchError::MissingArg(name.to_string())),
        }
    }

    pub fn text(&self, name: &str) -> Result<&str, DispatchError> {
        match self.values.get(name) {
            Some(Value::Text(s)) => Ok(s),
            _ => Err(DispatchError::MissingArg(name.to_string())),
        }
    }

    pub fn text_or<'s>(&'s self, name: &str, default: &'s str) -> &'s str {
        self.text(name).unwrap_or(default)
    }
}

#[derive(Debug)]
pub struct Context {
    vars: BTreeMap<String, Value>,
    history: Vec<String>,
    running: bool,
}

type Handler = Box<dyn Fn(&mut Context, &Args) -> Result<String, DispatchError>>;

pub struct Command {
    name: String,
    aliases: Vec<String>,
    help: String,
    args: Vec<ArgSpec>,
    variadic: Option<String>,
    handler: Handler,
}

impl Command {
    fn usage(&self) -> String {
        let mut parts = vec![self.name.clone()];
        for a in &self.args {
            let kind = match a.kind {
                ArgKind::Int => "int",
                ArgKind::Float => "num",
                ArgKind::Text => "text",
                ArgKind::Bool => "bool",
            };
            parts.push(if a.required { format!("<{}:{kind}>", a.name) } else { format!("[{}:{kind}]", a.name) });
        }
        if let Some(v) = &self.variadic {
            parts.push(format!("[{v}...]"));
        }
        parts.join(" ")
    }

    fn long_help(&self) -> String {
        let mut out = format!("{}\n  usage: {}", self.help, self.usage());
        if !self.aliases.is_empty() {
            out.push_str(&format!("\n  aliases: {}", self.aliases.join(", ")));
        }
        for a in &self.args {
            let opt = if a.required { "" } else { " (optional)" };
            out.push_str(&format!("\n  {:<8} {}{opt}", a.name, a.help));
        }
        out
    }

    fn expected_count(&self) -> String {
        let required = self.args.iter().filter(|a| a.required).count();
        if self.variadic.is_some() {
            format!("at least {required}")
        } else if required == self.args.len() {
            required.to_string()
        } else {
            format!("{required} to {}", self.args.len())
        }
    }
}

fn invalid(command: &str, reason: impl Into<String>) -> DispatchError {
    DispatchError::InvalidDefinition { command: command.to_string(), reason: reason.into() }
}

pub struct CommandBuilder {
    name: String,
    aliases: Vec<String>,
    help: String,
    args: Vec<ArgSpec>,
    variadic: Option<String>,
    handler: Option<Handler>,
}

impl CommandBuilder {
    pub fn new(name: &str) -> Self {
        CommandBuilder { name: name.to_string(), aliases: Vec::new(), help: String::new(), args: Vec::new(), variadic: None, handler: None }
    }

    pub fn alias(mut self, alias: &str) -> Self {
        self.aliases.push(alias.to_string());
        self
    }

    pub fn help(mut self, text: &str) -> Self {
        self.help = text.to_string();
        self
    }

    pub fn arg(mut self, name: &str, kind: ArgKind, help: &str) -> Self {
        self.args.push(ArgSpec { name: name.to_string(), kind, required: true, help: help.to_string() });
        self
    }

    pub fn optional(mut self, name: &str, kind: ArgKind, help: &str) -> Self {
        self.args.push(ArgSpec { name: name.to_string(), kind, required: false, help: help.to_string() });
        self
    }

    pub fn variadic(mut self, name: &str) -> Self {
        self.variadic = Some(name.to_string());
        self
    }

    pub fn handler<F>(mut self, f: F) -> Self
    where
        F: Fn(&mut Context, &Args) -> Result<String, DispatchError> + 'static,
    {
        self.handler = Some(Box::new(f));
        self
    }

    pub fn build(self) -> Result<Command, DispatchError> {
        if self.name.is_empty() || self.name.chars().any(char::is_whitespace) {
            return Err(invalid(&self.name, "name must be a single non-empty word"));
        }
        if let Some(pos) = self.args.iter().position(|a| !a.required) {
            if self.args[pos..].iter().any(|a| a.required) {
                return Err(invalid(&self.name, "required argument declared after an optional one"));
            }
            if self.variadic.is_some() {
                return Err(invalid(&self.name, "optional arguments cannot be combined with a variadic tail"));
            }
        }
        let mut seen = HashSet::new();
        for a in &self.args {
            if !seen.insert(a.name.as_str()) {
                return Err(invalid(&self.name, format!("duplicate argument '{}'", a.name)));
            }
        }
        let handler = self.handler.ok_or_else(|| invalid(&self.name, "no handler registered"))?;
        Ok(Command {
            name: self.name,
            aliases: self.aliases,
            help: self.help,
            args: self.args,
            variadic: self.variadic,
            handler,
        })
    }
}

#[derive(Default)]
pub struct DispatcherBuilder {
    pending: Vec<CommandBuilder>,
}

impl DispatcherBuilder {
    pub fn command(mut self, command: CommandBuilder) -> Self {
        self.pending.push(command);
        self
    }

    pub fn build(self) -> Result<Dispatcher, DispatchError> {
        let mut dispatcher = Dispatcher {
            commands: Vec::new(),
            lookup: HashMap::new(),
            ctx: Context { vars: BTreeMap::new(), history: Vec::new(), running: true },
        };
        for builder in self.pending {
            let command = builder.build()?;
            dispatcher.register(command)?;
        }
        Ok(dispatcher)
    }
}

pub struct Dispatcher {
    commands: Vec<Command>,
    lookup: HashMap<String, usize>,
    ctx: Context,
}

impl Dispatcher {
    pub fn builder() -> DispatcherBuilder {
        DispatcherBuilder::default()
    }

    pub fn is_running(&self) -> bool {
        self.ctx.running
    }

    fn register(&mut self, command: Command) -> Result<(), DispatchError> {
        let idx = self.commands.len();
        let keys: Vec<String> = std::iter::once(command.name.clone()).chain(command.aliases.iter().cloned()).collect();
        let mut local = HashSet::new();
        for key in &keys {
            if key == "help" || key == "?" || self.lookup.contains_key(key) || !local.insert(key.as_str()) {
                return Err(DispatchError::Duplicate(key.clone()));
            }
        }
        for key in keys {
            self.lookup.insert(key, idx);
        }
        self.commands.push(command);
        Ok(())
    }

    fn resolve(&self, name: &str) -> Result<usize, DispatchError> {
        if let Some(&idx) = self.lookup.get(name) {
            return Ok(idx);
        }
        let suggestion = self
            .lookup
            .keys()
            .map(|k| (edit_distance(name, k), k))
            .filter(|(d, _)| *d <= 2)
            .min();
        let hint = suggestion.map(|(_, k)| format!(" (did you mean '{k}'?)")).unwrap_or_default();
        Err(DispatchError::UnknownCommand { name: name.to_string(), hint })
    }

    fn expand(&self, tokens: &[String]) -> Result<Vec<String>, DispatchError> {
        tokens
            .iter()
            .map(|t| match t.strip_prefix('$') {
                Some(var) if !var.is_empty() => self
                    .ctx
                    .vars
                    .get(var)
                    .map(|v| v.to_string())
                    .ok_or_else(|| DispatchError::UnknownVariable(var.to_string())),
                _ => Ok(t.clone()),
            })
            .collect()
    }

    fn help(&self, topic: Option<&String>) -> Result<String, DispatchError> {
        match topic {
            Some(name) => {
                let idx = self.resolve(name)?;
                Ok(self.commands[idx].long_help())
            }
            None => {
                let mut commands: Vec<&Command> = self.commands.iter().collect();
                commands.sort_by(|a, b| a.name.cmp(&b.name));
                let mut lines = vec!["available commands:".to_string()];
                lines.extend(commands.iter().map(|c| format!("  {:<9} {}", c.name, c.help)));
                lines.push(format!("  {:<9} {}", "help", "show help for all or one command"));
                Ok(lines.join("\n"))
            }
        }
    }

    pub fn execute(&mut self, line: &str) -> Result<String, DispatchError> {
        let tokens = tokenize(line)?;
        let (name, rest) = tokens.split_first().ok_or(DispatchError::Empty)?;
        if name == "help" || name == "?" {
            return self.help(rest.first());
        }
        let idx = self.resolve(name)?;
        let rest = self.expand(rest)?;
        let command = &self.commands[idx];
        let args = bind_args(command, &rest)?;
        self.ctx.history.push(line.trim().to_string());
        (command.handler)(&mut self.ctx, &args)
    }
}

fn bind_args(command: &Command, tokens: &[String]) -> Result<Args, DispatchError> {
    let required = command.args.iter().filter(|a| a.required).count();
    let max = if command.variadic.is_some() { usize::MAX } else { command.args.len() };
    if tokens.len() < required || tokens.len() > max {
        return Err(DispatchError::ArgCount {
            command: command.name.clone(),
            expected: command.expected_count(),
            got: tokens.len(),
            usage: command.usage(),
        });
    }
    let mut args = Args::default();
    for (spec, token) in command.args.iter().zip(tokens) {
        args.values.insert(spec.name.clone(), parse_value(&command.name, spec, token)?);
    }
    args.rest = tokens[command.args.len().min(tokens.len())..].to_vec();
    Ok(args)
}

fn parse_value(command: &str, spec: &ArgSpec, token: &str) -> Result<Value, DispatchError> {
    let bad = || DispatchError::BadArgument {
        command: command.to_string(),
        arg: spec.name.clone(),
        kind: spec.kind,
        value: token.to_string(),
    };
    match spec.kind {
        ArgKind::Int => token.parse::<i64>().map(Value::Int).map_err(|_| bad()),
        ArgKind::Float => token.parse::<f64>().map(Value::Float).map_err(|_| bad()),
        ArgKind::Bool => parse_bool(token).map(Value::Bool).map_err(|_| bad()),
        ArgKind::Text => Ok(Value::Text(token.to_string())),
    }
}

fn tokenize(line: &str) -> Result<Vec<String>, DispatchError> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut in_token = false;
    let mut chars = line.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' | '\'' => {
                in_token = true;
                let mut closed = false;
                while let Some((_, q)) = chars.next() {
                    if q == c {
                        closed = true;
                        break;
                    }
                    if q == '\\' && c == '"' {
                        if let Some((_, escaped)) = chars.next() {
                            current.push(escaped);
                            continue;
                        }
                    }
                    current.push(q);
                }
                if !closed {
                    return Err(DispatchError::UnterminatedQuote(i + 1));
                }
            }
            c if c.is_whitespace() => {
                if in_token {
                    tokens.push(std::mem::take(&mut current));
                    in_token = false;
                }
            }
            _ => {
                current.push(c);
                in_token = true;
            }
        }
    }
    if in_token {
        tokens.push(current);
    }
    Ok(tokens)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

fn runtime(command: &str, message: impl Into<String>) -> DispatchError {
    DispatchError::Runtime { command: command.to_string(), message: message.into() }
}

fn build_dispatcher() -> Result<Dispatcher, DispatchError> {
    Dispatcher::builder()
        .command(
            CommandBuilder::new("add")
                .alias("plus")
                .alias("+")
                .help("add two numbers")
                .arg("a", ArgKind::Float, "first operand")
                .arg("b", ArgKind::Float, "second operand")
                .handler(|_, args| Ok(Value::Float(args.float("a")? + args.float("b")?).to_string())),
        )
        .command(
            CommandBuilder::new("div")
                .help("divide a by b")
                .arg("a", ArgKind::Float, "dividend")
                .arg("b", ArgKind::Float, "divisor")
                .handler(|_, args| {
                    let (a, b) = (args.float("a")?, args.float("b")?);
                    if b == 0.0 {
                        return Err(runtime("div", "division by zero"));
                    }
                    Ok(Value::Float(a / b).to_string())
                }),
        )
        .command(CommandBuilder::new("sum").help("sum any amount of numbers").variadic("numbers").handler(|_, args| {
            let total = args
                .rest
                .iter()
                .map(|t| {
                    t.parse::<f64>().map_err(|_| DispatchError::BadArgument {
                        command: "sum".into(),
                        arg: "numbers".into(),
                        kind: ArgKind::Float,
                        value: t.clone(),
                    })
                })
                .sum::<Result<f64, _>>()?;
            Ok(Value::Float(total).to_string())
        }))
        .command(
            CommandBuilder::new("set")
                .alias("let")
                .help("store a variable (use it later as $name)")
                .arg("name", ArgKind::Text, "variable name")
                .arg("value", ArgKind::Text, "value (int, number, bool or text)")
                .handler(|ctx, args| {
                    let name = args.text("name")?;
                    if !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                        return Err(runtime("set", format!("'{name}' is not a valid variable name")));
                    }
                    let value = infer_value(args.text("value")?);
                    let shown = format!("{name} = {value}");
                    ctx.vars.insert(name.to_string(), value);
                    Ok(shown)
                }),
        )
        .command(CommandBuilder::new("get").help("show a variable").arg("name", ArgKind::Text, "variable name").handler(
            |ctx, args| {
                let name = args.text("name")?;
                ctx.vars
                    .get(name)
                    .map(|v| format!("{name} = {v}"))
                    .ok_or_else(|| DispatchError::UnknownVariable(name.to_string()))
            },
        ))
        .command(CommandBuilder::new("vars").help("list all variables").handler(|ctx, _| {
            if ctx.vars.is_empty() {
                return Ok("(no variables)".into());
            }
            Ok(ctx.vars.iter().map(|(k, v)| format!("{k} = {v}")).collect::<Vec<_>>().join("\n"))
        }))
        .command(CommandBuilder::new("echo").alias("say").help("print the arguments").variadic("words").handler(
            |_, args| Ok(args.rest.join(" ")),
        ))
        .command(
            CommandBuilder::new("repeat")
                .help("repeat text a number of times")
                .arg("text", ArgKind::Text, "text to repeat")
                .arg("times", ArgKind::Int, "repetitions (0-20)")
                .optional("sep", ArgKind::Text, "separator, default ' '")
                .handler(|_, args| {
                    let times = args.int("times")?;
                    if !(0..=20).contains(&times) {
                        return Err(runtime("repeat", format!("times must be between 0 and 20, got {times}")));
                    }
                    let text = args.text("text")?;
                    Ok(vec![text; times as usize].join(args.text_or("sep", " ")))
                }),
        )
        .command(CommandBuilder::new("history").help("show executed commands").handler(|ctx, _| {
            Ok(ctx.history.iter().enumerate().map(|(i, l)| format!("{:>3}  {l}", i + 1)).collect::<Vec<_>>().join("\n"))
        }))
        .command(CommandBuilder::new("quit").alias("exit").alias("q").help("leave the REPL").handler(|ctx, _| {
            ctx.running = false;
            Ok("bye".into())
        }))
        .build()
}

fn run_startup(dispatcher: &mut Dispatcher) -> anyhow::Result<()> {
    dispatcher.execute("set greeting \"hello there\"").context("startup script: defining greeting")?;
    dispatcher.execute("set answer 42").context("startup script: defining answer")?;
    Ok(())
}

const SCRIPT: &str = r#"help
help add
add 2 3.5
+ $answer 8
ad 1 2
add 1
add one 2
div 10 4
div 1 0
sum 1 2 3.5 4
sum 1 x 3
echo $greeting, "quoted   spaces" and 'single quotes'
echo "unterminated
say $missing
repeat ab 3 -
repeat hi 99
set ratio 0.75
set flag yes
vars
get ratio
get nothing

history
quit
echo this is never executed"#;

fn main() -> anyhow::Result<()> {
    let mut dispatcher = build_dispatcher().context("building the REPL dispatcher")?;

    let clashing = Dispatcher::builder()
        .command(CommandBuilder::new("list").alias("ls").handler(|_, _| Ok(String::new())))
        .command(CommandBuilder::new("ls").handler(|_, _| Ok(String::new())))
        .build()
        .context("building a dispatcher with a clashing alias");
    if let Err(e) = clashing {
        println!("configuration check -> {e:#}");
    }
    let incomplete = CommandBuilder::new("orphan").optional("x", ArgKind::Int, "").arg("y", ArgKind::Int, "").build();
    if let Err(e) = incomplete {
        println!("configuration check -> {e}\n");
    }

    run_startup(&mut dispatcher)?;

    let (mut ok, mut failed) = (0, 0);
    for line in SCRIPT.lines() {
        println!("> {line}");
        match dispatcher.execute(line) {
            Ok(output) => {
                ok += 1;
                if !output.is_empty() {
                    println!("{output}");
                }
            }
            Err(e) => {
                failed += 1;
                println!("error: {e}");
            }
        }
        if !dispatcher.is_running() {
            println!("(session ended)");
            break;
        }
    }
    println!("\n{ok} command(s) succeeded, {failed} failed");
    anyhow::ensure!(ok > 0, "no command succeeded");
    Ok(())
}
