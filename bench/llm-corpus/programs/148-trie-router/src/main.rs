use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone)]
struct Request {
    method: String,
    path: String,
    body: String,
}

impl Request {
    fn new(method: &str, path: &str, body: &str) -> Self {
        Request { method: method.to_uppercase(), path: path.to_string(), body: body.to_string() }
    }
}

#[derive(Debug, Clone)]
struct Response {
    status: u16,
    body: String,
}

impl Response {
    fn new(status: u16, body: impl Into<String>) -> Self {
        Response { status, body: body.into() }
    }
}

#[derive(Debug, Default)]
struct AppState {
    users: BTreeMap<u32, String>,
    next_user: u32,
    total_requests: usize,
    status_counts: BTreeMap<u16, usize>,
    log: Vec<String>,
}

type Params = Vec<(String, String)>;
type Handler = Box<dyn FnMut(&Request, &Params, &mut AppState) -> Response>;
type BeforeHook = Box<dyn FnMut(&Request, &mut AppState)>;
type AfterHook = Box<dyn FnMut(&Request, &Response, &mut AppState)>;

#[derive(Default)]
struct Node {
    statics: HashMap<String, Node>,
    param: Option<(String, Box<Node>)>,
    catch_all: Option<(String, usize)>,
    handler: Option<usize>,
}

fn split(path: &str) -> Vec<&str> {
    path.split('?').next().unwrap_or("").split('/').filter(|s| !s.is_empty()).collect()
}

fn param(params: &Params, name: &str) -> Option<String> {
    params.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
}

/// Depth-first match: static segments first, then the parameter, then the catch-all.
fn find(node: &Node, segs: &[&str], params: &mut Params) -> Option<usize> {
    let Some((head, rest)) = segs.split_first() else {
        if node.handler.is_some() {
            return node.handler;
        }
        return node.catch_all.as_ref().map(|(name, id)| {
            params.push((name.clone(), String::new()));
            *id
        });
    };
    if let Some(child) = node.statics.get(*head) {
        if let Some(id) = find(child, rest, params) {
            return Some(id);
        }
    }
    if let Some((name, child)) = &node.param {
        params.push((name.clone(), head.to_string()));
        if let Some(id) = find(child, rest, params) {
            return Some(id);
        }
        params.pop();
    }
    if let Some((name, id)) = &node.catch_all {
        params.push((name.clone(), segs.join("/")));
        return Some(*id);
    }
    None
}

#[derive(Default)]
struct Router {
    roots: HashMap<String, Node>,
    handlers: Vec<Handler>,
    patterns: Vec<String>,
    before: Vec<BeforeHook>,
    after: Vec<AfterHook>,
}

impl Router {
    fn route<F>(&mut self, method: &str, pattern: &str, handler: F) -> Result<&mut Self, String>
    where
        F: FnMut(&Request, &Params, &mut AppState) -> Response + 'static,
    {
        let id = self.handlers.len();
        let segs = split(pattern);
        let mut node = self.roots.entry(method.to_uppercase()).or_default();
        for (i, seg) in segs.iter().enumerate() {
            if let Some(name) = seg.strip_prefix('*') {
                if i + 1 != segs.len() {
                    return Err(format!("{pattern}: catch-all must be the last segment"));
                }
                if node.catch_all.is_some() {
                    return Err(format!("{pattern}: conflicting catch-all"));
                }
                node.catch_all = Some((name.to_string(), id));
                self.handlers.push(Box::new(handler));
                self.patterns.push(format!("{} {pattern}", method.to_uppercase()));
                return Ok(self);
            } else if let Some(name) = seg.strip_prefix(':') {
                if let Some((existing, _)) = &node.param {
                    if existing != name {
                        return Err(format!("{pattern}: parameter :{name} conflicts with :{existing}"));
                    }
                }
                node = node.param.get_or_insert_with(|| (name.to_string(), Box::default())).1.as_mut();
            } else {
                node = node.statics.entry(seg.to_string()).or_default();
            }
        }
        if node.handler.is_some() {
            return Err(format!("{pattern}: route already registered"));
        }
        node.handler = Some(id);
        self.handlers.push(Box::new(handler));
        self.patterns.push(format!("{} {pattern}", method.to_uppercase()));
        Ok(self)
    }

    fn before<F: FnMut(&Request, &mut AppState) + 'static>(&mut self, hook: F) -> &mut Self {
        self.before.push(Box::new(hook));
        self
    }

    fn after<F: FnMut(&Request, &Response, &mut AppState) + 'static>(&mut self, hook: F) -> &mut Self {
        self.after.push(Box::new(hook));
        self
    }

    fn dispatch(&mut self, req: &Request, state: &mut AppState) -> Response {
        for hook in self.before.iter_mut() {
            hook(req, state);
        }
        let segs = split(&req.path);
        let mut params = Params::new();
        let found = self.roots.get(&req.method).and_then(|root| find(root, &segs, &mut params));
        let response = match found {
            Some(id) => {
                let handler = &mut self.handlers[id];
                handler(req, &params, state)
            }
            None => {
                let other_method = self
                    .roots
                    .iter()
                    .any(|(m, root)| *m != req.method && find(root, &segs, &mut Params::new()).is_some());
                if other_method {
                    Response::new(405, "method not allowed")
                } else {
                    Response::new(404, format!("nothing at {}", req.path))
                }
            }
        };
        for hook in self.after.iter_mut() {
            hook(req, &response, state);
        }
        response
    }
}

fn build() -> Result<Router, String> {
    let mut router = Router::default();
    let mut health_checks = 0u32;
    router
        .route("GET", "/health", move |_, _, _| {
            health_checks += 1;
            Response::new(200, format!("ok (check #{health_checks})"))
        })?
        .route("GET", "/users", |_, _, state| {
            let names: Vec<String> = state.users.iter().map(|(id, n)| format!("{id}:{n}")).collect();
            Response::new(200, format!("[{}]", names.join(", ")))
        })?
        .route("POST", "/users", |req, _, state| {
            if req.body.trim().is_empty() {
                return Response::new(400, "name required");
            }
            state.next_user += 1;
            state.users.insert(state.next_user, req.body.trim().to_string());
            Response::new(201, format!("created user {}", state.next_user))
        })?
        .route("GET", "/users/me", |_, _, _| Response::new(200, "you are the admin"))?
        .route("GET", "/users/:id", |_, p, state| {
            match param(p, "id").and_then(|id| id.parse::<u32>().ok()) {
                Some(id) => match state.users.get(&id) {
                    Some(name) => Response::new(200, format!("user {id} is {name}")),
                    None => Response::new(404, format!("no user {id}")),
                },
                None => Response::new(400, "id must be a number"),
            }
        })?
        .route("DELETE", "/users/:id", |_, p, state| {
            let id = param(p, "id").and_then(|id| id.parse::<u32>().ok());
            match id.and_then(|id| state.users.remove(&id)) {
                Some(name) => Response::new(200, format!("removed {name}")),
                None => Response::new(404, "no such user"),
            }
        })?
        .route("GET", "/users/:id/files/*path", |_, p, _| {
            Response::new(200, format!("file '{}' of user {}", param(p, "path").unwrap_or_default(), param(p, "id").unwrap_or_default()))
        })?
        .route("GET", "/assets/*file", |_, p, _| Response::new(200, format!("asset {}", param(p, "file").unwrap_or_default())))?;

    router
        .before(|req, state| {
            state.total_requests += 1;
            state.log.push(format!("-> {} {}", req.method, req.path));
        })
        .after(|_, resp, state| {
            *state.status_counts.entry(resp.status).or_insert(0) += 1;
        });
    Ok(router)
}

fn main() {
    let mut router = match build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("route setup failed: {e}");
            std::process::exit(1);
        }
    };
    println!("Routes:");
    for p in &router.patterns {
        println!("  {p}");
    }

    println!("\nRegistration conflicts are reported:");
    for (method, pattern) in [("GET", "/users/:name"), ("GET", "/health"), ("GET", "/x/*rest/more")] {
        if let Err(e) = router.route(method, pattern, |_, _, _| Response::new(200, "")) {
            println!("  {e}");
        }
    }

    let mut state = AppState::default();
    let requests = [
        Request::new("GET", "/health", ""),
        Request::new("POST", "/users", "ada"),
        Request::new("POST", "/users", "grace"),
        Request::new("POST", "/users", "   "),
        Request::new("GET", "/users", ""),
        Request::new("GET", "/users/me", ""),
        Request::new("GET", "/users/2", ""),
        Request::new("GET", "/users/abc", ""),
        Request::new("GET", "/users/1/files/docs/2024/report.pdf", ""),
        Request::new("GET", "/assets/css/site.css?v=3", ""),
        Request::new("DELETE", "/users/1", ""),
        Request::new("GET", "/users/1", ""),
        Request::new("PUT", "/users/2", ""),
        Request::new("GET", "/nope", ""),
        Request::new("GET", "/health", ""),
    ];
    println!();
    for req in &requests {
        let resp = router.dispatch(req, &mut state);
        println!("{:<6} {:<40} {} {}", req.method, req.path, resp.status, resp.body);
    }

    println!("\n{} requests handled; status counts: {:?}", state.total_requests, state.status_counts);
    println!("users left: {:?}", state.users);
    println!("first log lines: {:?}", &state.log[..3.min(state.log.len())]);
}
