use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::env;
use std::fmt;
use std::fs;

#[derive(Debug)]
enum ResolveError {
    Parse { line: usize, message: String },
    MissingDependency { package: String, dependency: String },
    Cycle(Vec<String>),
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResolveError::Parse { line, message } => write!(f, "line {}: {}", line, message),
            ResolveError::MissingDependency {
                package,
                dependency,
            } => write!(
                f,
                "package `{}` depends on `{}`, which is not defined",
                package, dependency
            ),
            ResolveError::Cycle(path) => {
                write!(f, "dependency cycle detected: {}", path.join(" -> "))
            }
        }
    }
}

impl std::error::Error for ResolveError {}

#[derive(Clone, Copy, PartialEq)]
enum Mark {
    Visiting,
    Done,
}

#[derive(Debug, Default)]
struct DepGraph {
    deps: BTreeMap<String, BTreeSet<String>>,
}

impl DepGraph {
    /// Parses lines of the form `name: dep1, dep2` (commas or spaces, `#` comments).
    fn parse(text: &str) -> Result<Self, ResolveError> {
        let mut graph = DepGraph::default();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let (name, rest) = line.split_once(':').ok_or_else(|| ResolveError::Parse {
                line: i + 1,
                message: format!("expected `name: deps`, found `{}`", line),
            })?;
            let name = name.trim();
            if name.is_empty() || name.contains(char::is_whitespace) {
                return Err(ResolveError::Parse {
                    line: i + 1,
                    message: format!("invalid package name `{}`", name),
                });
            }
            let deps = rest
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|s| !s.is_empty())
                .map(String::from);
            graph.deps.entry(name.to_string()).or_default().extend(deps);
        }
        Ok(graph)
    }

    fn check_missing(&self) -> Result<(), ResolveError> {
        for (package, deps) in &self.deps {
            if let Some(missing) = deps.iter().find(|d| !self.deps.contains_key(*d)) {
                return Err(ResolveError::MissingDependency {
                    package: package.clone(),
                    dependency: missing.clone(),
                });
            }
        }
        Ok(())
    }

    /// Kahn's algorithm, grouped into stages: every package in a stage only
    /// depends on packages from earlier stages, so a stage can build in parallel.
    fn build_stages(&self) -> Result<Vec<Vec<String>>, ResolveError> {
        self.check_missing()?;
        let mut remaining: HashMap<&str, usize> = self
            .deps
            .iter()
            .map(|(k, v)| (k.as_str(), v.len()))
            .collect();
        let mut dependents: HashMap<&str, Vec<&str>> = HashMap::new();
        for (package, deps) in &self.deps {
            for dep in deps {
                dependents
                    .entry(dep.as_str())
                    .or_default()
                    .push(package.as_str());
            }
        }

        let mut ready: Vec<&str> = remaining
            .iter()
            .filter(|(_, n)| **n == 0)
            .map(|(k, _)| *k)
            .collect();
        let mut stages = Vec::new();
        let mut built = 0;
        while !ready.is_empty() {
            ready.sort_unstable();
            let mut next = Vec::new();
            for &package in &ready {
                built += 1;
                if let Some(users) = dependents.get(package) {
                    for &user in users {
                        let count = remaining.get_mut(user).expect("known package");
                        *count -= 1;
                        if *count == 0 {
                            next.push(user);
                        }
                    }
                }
            }
            stages.push(ready.iter().map(|s| s.to_string()).collect());
            ready = next;
        }

        if built < self.deps.len() {
            let cycle = self.find_cycle().unwrap_or_default();
            return Err(ResolveError::Cycle(cycle));
        }
        Ok(stages)
    }

    /// Depth-first post-order: everything `target` needs, in install order.
    fn install_order(&self, target: &str) -> Result<Vec<String>, ResolveError> {
        let mut marks = HashMap::new();
        let mut path = Vec::new();
        let mut order = Vec::new();
        self.visit(target, &mut marks, &mut path, &mut order)?;
        Ok(order)
    }

    fn visit<'a>(
        &'a self,
        node: &'a str,
        marks: &mut HashMap<&'a str, Mark>,
        path: &mut Vec<&'a str>,
        order: &mut Vec<String>,
    ) -> Result<(), ResolveError> {
        match marks.get(node) {
            Some(Mark::Done) => return Ok(()),
            Some(Mark::Visiting) => {
                let start = path.iter().position(|n| *n == node).unwrap_or(0);
                let mut cycle: Vec<String> = path[start..].iter().map(|s| s.to_string()).collect();
                cycle.push(node.to_string());
                return Err(ResolveError::Cycle(cycle));
            }
            None => {}
        }
        let deps = self
            .deps
            .get(node)
            .ok_or_else(|| ResolveError::MissingDependency {
                package: path.last().map(|s| s.to_string()).unwrap_or_default(),
                dependency: node.to_string(),
            })?;
        marks.insert(node, Mark::Visiting);
        path.push(node);
        for dep in deps {
            self.visit(dep, marks, path, order)?;
        }
        path.pop();
        marks.insert(node, Mark::Done);
        order.push(node.to_string());
        Ok(())
    }

    fn find_cycle(&self) -> Option<Vec<String>> {
        let mut marks = HashMap::new();
        let mut order = Vec::new();
        for name in self.deps.keys() {
            let mut path = Vec::new();
            if let Err(ResolveError::Cycle(cycle)) = self.visit(name, &mut marks, &mut path, &mut order) {
                return Some(cycle);
            }
        }
        None
    }
}

const SAMPLE: &str = "\
# package: dependencies
app:          web-ui, api-server, cli
web-ui:       ui-kit, http-client
api-server:   db-layer, auth, http-server, logging
cli:          config, logging
ui-kit:       core-utils
http-client:  core-utils, logging
http-server:  core-utils, logging, config
db-layer:     config, logging, core-utils
auth:         crypto, db-layer
crypto:       core-utils
config:       core-utils
logging:      core-utils
core-utils:
";

const CYCLIC: &str = "\
app: server
server: db cache
cache: metrics
metrics: server   # oops: metrics -> server -> cache -> metrics
db:
";

const MISSING: &str = "\
app: server
server: tls-lib
";

fn resolve_and_print(label: &str, text: &str) {
    println!("== {} ==", label);
    let graph = match DepGraph::parse(text) {
        Ok(g) => g,
        Err(e) => {
            println!("  parse error: {}\n", e);
            return;
        }
    };
    match graph.build_stages() {
        Ok(stages) => {
            for (i, stage) in stages.iter().enumerate() {
                println!("  stage {}: {}", i + 1, stage.join(", "));
            }
            let flat: Vec<String> = stages.concat();
            println!("  build order: {}", flat.join(" -> "));
        }
        Err(e) => println!("  error: {}", e),
    }
    println!();
}

fn main() {
    if let Some(path) = env::args().nth(1) {
        match fs::read_to_string(&path) {
            Ok(text) => resolve_and_print(&path, &text),
            Err(e) => eprintln!("cannot read {}: {}", path, e),
        }
        return;
    }

    resolve_and_print("sample project", SAMPLE);

    let graph = DepGraph::parse(SAMPLE).expect("sample parses");
    for target in ["cli", "auth"] {
        match graph.install_order(target) {
            Ok(order) => println!("to build `{}` only: {}", target, order.join(" -> ")),
            Err(e) => println!("cannot build `{}`: {}", target, e),
        }
    }
    println!();

    resolve_and_print("graph with a cycle", CYCLIC);
    resolve_and_print("graph with a missing package", MISSING);
    resolve_and_print("malformed input", "app server\n");
}
