//! plugin-system: text-transforming plugins behind a trait, a registry by
//! name, and a pipeline that runs them with dynamic dispatch. The host lets
//! callers register event handlers (closures) at run time; handlers receive
//! mutable access to the host's shared state.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::time::Instant;

trait Plugin {
    fn name(&self) -> &str;
    fn description(&self) -> &str;
    fn transform(&self, input: &str) -> Result<String, PluginError>;
}

#[derive(Debug)]
struct PluginError {
    plugin: String,
    message: String,
}

impl fmt::Display for PluginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "plugin '{}' failed: {}", self.plugin, self.message)
    }
}

struct Uppercase;
impl Plugin for Uppercase {
    fn name(&self) -> &str { "uppercase" }
    fn description(&self) -> &str { "convert text to upper case" }
    fn transform(&self, input: &str) -> Result<String, PluginError> {
        Ok(input.to_uppercase())
    }
}

struct Rot13;
impl Plugin for Rot13 {
    fn name(&self) -> &str { "rot13" }
    fn description(&self) -> &str { "rotate ASCII letters by 13" }
    fn transform(&self, input: &str) -> Result<String, PluginError> {
        Ok(input
            .chars()
            .map(|c| match c {
                'a'..='z' => (((c as u8 - b'a' + 13) % 26) + b'a') as char,
                'A'..='Z' => (((c as u8 - b'A' + 13) % 26) + b'A') as char,
                _ => c,
            })
            .collect())
    }
}

struct ReverseWords;
impl Plugin for ReverseWords {
    fn name(&self) -> &str { "reverse-words" }
    fn description(&self) -> &str { "reverse the order of words" }
    fn transform(&self, input: &str) -> Result<String, PluginError> {
        Ok(input.split_whitespace().rev().collect::<Vec<_>>().join(" "))
    }
}

struct Censor {
    words: Vec<String>,
}
impl Plugin for Censor {
    fn name(&self) -> &str { "censor" }
    fn description(&self) -> &str { "mask banned words" }
    fn transform(&self, input: &str) -> Result<String, PluginError> {
        let out = input
            .split(' ')
            .map(|w| {
                let core = w.trim_matches(|c: char| !c.is_alphanumeric());
                if self.words.iter().any(|b| b.eq_ignore_ascii_case(core)) {
                    w.replace(core, &"*".repeat(core.chars().count()))
                } else {
                    w.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(" ");
        Ok(out)
    }
}

struct MaxLength(usize);
impl Plugin for MaxLength {
    fn name(&self) -> &str { "max-length" }
    fn description(&self) -> &str { "fail if text is too long" }
    fn transform(&self, input: &str) -> Result<String, PluginError> {
        let n = input.chars().count();
        if n > self.0 {
            Err(PluginError { plugin: self.name().into(), message: format!("{n} chars exceeds limit {}", self.0) })
        } else {
            Ok(input.to_string())
        }
    }
}

/// A plugin defined by a closure, for quick ad-hoc transforms.
struct FnPlugin<F: Fn(&str) -> String> {
    name: String,
    description: String,
    f: F,
}
impl<F: Fn(&str) -> String> Plugin for FnPlugin<F> {
    fn name(&self) -> &str { &self.name }
    fn description(&self) -> &str { &self.description }
    fn transform(&self, input: &str) -> Result<String, PluginError> {
        Ok((self.f)(input))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Hook {
    BeforePlugin,
    AfterPlugin,
    PluginFailed,
    PipelineDone,
}

#[derive(Debug)]
struct HookEvent<'a> {
    plugin: &'a str,
    input: &'a str,
    output: Option<&'a str>,
    error: Option<&'a PluginError>,
    micros: u128,
}

#[derive(Debug, Default)]
struct HostState {
    runs: usize,
    calls_per_plugin: BTreeMap<String, usize>,
    chars_changed: usize,
    failures: Vec<String>,
    trace: Vec<String>,
    total_micros: u128,
}

type HookFn = Box<dyn Fn(&HookEvent, &mut HostState)>;

#[derive(Default)]
struct PluginHost {
    registry: BTreeMap<String, Box<dyn Plugin>>,
    hooks: HashMap<Hook, Vec<HookFn>>,
    state: HostState,
}

impl PluginHost {
    fn register(&mut self, plugin: Box<dyn Plugin>) -> Result<(), String> {
        let name = plugin.name().to_string();
        if self.registry.contains_key(&name) {
            return Err(format!("plugin '{name}' already registered"));
        }
        self.registry.insert(name, plugin);
        Ok(())
    }

    fn on(&mut self, hook: Hook, f: impl Fn(&HookEvent, &mut HostState) + 'static) {
        self.hooks.entry(hook).or_default().push(Box::new(f));
    }

    fn fire(hooks: &HashMap<Hook, Vec<HookFn>>, state: &mut HostState, hook: Hook, event: &HookEvent) {
        if let Some(list) = hooks.get(&hook) {
            for handler in list {
                handler(event, state);
            }
        }
    }

    /// Run `text` through the named plugins in order.
    fn run(&mut self, pipeline: &[&str], text: &str) -> Result<String, PluginError> {
        let Self { registry, hooks, state } = self;
        state.runs += 1;
        let mut current = text.to_string();
        for &name in pipeline {
            let plugin = registry.get(name).ok_or_else(|| PluginError { plugin: name.into(), message: "not registered".into() })?;
            let before = HookEvent { plugin: name, input: &current, output: None, error: None, micros: 0 };
            Self::fire(hooks, state, Hook::BeforePlugin, &before);

            let started = Instant::now();
            let result = plugin.transform(&current);
            let micros = started.elapsed().as_micros();
            match result {
                Ok(out) => {
                    let ev = HookEvent { plugin: name, input: &current, output: Some(&out), error: None, micros };
                    Self::fire(hooks, state, Hook::AfterPlugin, &ev);
                    current = out;
                }
                Err(e) => {
                    let ev = HookEvent { plugin: name, input: &current, output: None, error: Some(&e), micros };
                    Self::fire(hooks, state, Hook::PluginFailed, &ev);
                    return Err(e);
                }
            }
        }
        let done = HookEvent { plugin: "<pipeline>", input: text, output: Some(&current), error: None, micros: 0 };
        Self::fire(hooks, state, Hook::PipelineDone, &done);
        Ok(current)
    }
}

fn main() {
    let mut host = PluginHost::default();
    let plugins: Vec<Box<dyn Plugin>> = vec![
        Box::new(Uppercase),
        Box::new(Rot13),
        Box::new(ReverseWords),
        Box::new(Censor { words: vec!["darn".into(), "heck".into()] }),
        Box::new(MaxLength(60)),
        Box::new(FnPlugin {
            name: "squeeze".into(),
            description: "collapse runs of whitespace".into(),
            f: |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" "),
        }),
        Box::new(Rot13), // duplicate, rejected
    ];
    for p in plugins {
        if let Err(e) = host.register(p) {
            println!("registration error: {e}");
        }
    }

    println!("Registered plugins:");
    for (name, p) in &host.registry {
        println!("  {name:<14} {}", p.description());
    }

    // Event handlers registered at run time.
    host.on(Hook::BeforePlugin, |ev, st| {
        *st.calls_per_plugin.entry(ev.plugin.to_string()).or_default() += 1;
    });
    host.on(Hook::AfterPlugin, |ev, st| {
        let out = ev.output.unwrap_or("");
        let changed = ev.input.chars().zip(out.chars()).filter(|(a, b)| a != b).count()
            + ev.input.chars().count().abs_diff(out.chars().count());
        st.chars_changed += changed;
        st.total_micros += ev.micros;
        st.trace.push(format!("{:>14}: {:?}", ev.plugin, out));
    });
    host.on(Hook::PluginFailed, |ev, st| {
        if let Some(e) = ev.error {
            st.failures.push(e.to_string());
        }
    });
    host.on(Hook::PipelineDone, |ev, st| {
        st.trace.push(format!("{:>14}: {:?} -> {:?}", "done", ev.input, ev.output.unwrap_or("")));
    });

    let jobs: Vec<(Vec<&str>, &str)> = vec![
        (vec!["squeeze", "censor", "uppercase"], "  well   darn, that   heck of a   bug!  "),
        (vec!["rot13", "reverse-words"], "Hello plugin world"),
        (vec!["rot13", "rot13"], "round trip stays the same"),
        (vec!["squeeze", "max-length"], "this sentence is definitely going to be far too long for the configured limit"),
        (vec!["uppercase", "translate"], "unknown plugin in pipeline"),
    ];

    for (pipeline, text) in &jobs {
        println!("\npipeline [{}]", pipeline.join(" -> "));
        match host.run(pipeline, text) {
            Ok(out) => println!("  result: {out:?}"),
            Err(e) => println!("  error:  {e}"),
        }
    }

    let st = &host.state;
    println!("\nTrace:");
    for line in &st.trace {
        println!("  {line}");
    }
    println!("\nStats: {} runs, {} chars changed, {} µs in plugins", st.runs, st.chars_changed, st.total_micros);
    for (name, n) in &st.calls_per_plugin {
        println!("  {name:<14} called {n}x");
    }
    for f in &st.failures {
        println!("  failure: {f}");
    }
}
