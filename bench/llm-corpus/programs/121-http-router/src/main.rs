use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use tokio::sync::{Mutex, RwLock};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Method {
    Get,
    Post,
    Delete,
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        };
        write!(f, "{s}")
    }
}

#[derive(Debug, Clone)]
struct Request {
    method: Method,
    path: String,
    body: String,
}

impl Request {
    fn new(method: Method, path: &str, body: &str) -> Self {
        Self { method, path: path.to_string(), body: body.to_string() }
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Response {
    status: u16,
    body: String,
}

impl Response {
    fn new(status: u16, body: impl Into<String>) -> Self {
        Self { status, body: body.into() }
    }
    fn ok(body: impl Into<String>) -> Self {
        Self::new(200, body)
    }
}

type Params = HashMap<String, String>;
type Db = Arc<std::sync::Mutex<HashMap<u64, String>>>;
type Handler = Box<dyn Fn(&Request, &Params, &Db) -> Response + Send + Sync>;

#[derive(Debug, Clone, PartialEq)]
enum Segment {
    Static(String),
    Param(String),
    Wildcard(String),
}

struct Route {
    method: Method,
    pattern: String,
    segments: Vec<Segment>,
    handler: Handler,
}

#[derive(Default)]
struct Router {
    routes: Vec<Route>,
}

fn split_path(path: &str) -> Vec<&str> {
    let path = path.split('?').next().unwrap_or("");
    path.split('/').filter(|s| !s.is_empty()).collect()
}

fn parse_pattern(pattern: &str) -> Vec<Segment> {
    split_path(pattern)
        .into_iter()
        .map(|s| {
            if let Some(name) = s.strip_prefix(':') {
                Segment::Param(name.to_string())
            } else if let Some(name) = s.strip_prefix('*') {
                let name = if name.is_empty() { "wildcard" } else { name };
                Segment::Wildcard(name.to_string())
            } else {
                Segment::Static(s.to_string())
            }
        })
        .collect()
}

fn match_segments(segments: &[Segment], path: &str) -> Option<Params> {
    let parts = split_path(path);
    let mut params = Params::new();
    for (i, seg) in segments.iter().enumerate() {
        match seg {
            Segment::Wildcard(name) => {
                let rest = parts.get(i..).map(|r| r.join("/")).unwrap_or_default();
                params.insert(name.clone(), rest);
                return Some(params);
            }
            Segment::Static(s) => {
                if parts.get(i).copied() != Some(s.as_str()) {
                    return None;
                }
            }
            Segment::Param(name) => {
                let value = parts.get(i)?;
                params.insert(name.clone(), value.to_string());
            }
        }
    }
    (parts.len() == segments.len()).then_some(params)
}

/// Static segments beat parameters, which beat wildcards.
fn specificity(segments: &[Segment]) -> Vec<u8> {
    segments
        .iter()
        .map(|s| match s {
            Segment::Static(_) => 3,
            Segment::Param(_) => 2,
            Segment::Wildcard(_) => 1,
        })
        .collect()
}

impl Router {
    fn add<F>(&mut self, method: Method, pattern: &str, handler: F) -> &mut Self
    where
        F: Fn(&Request, &Params, &Db) -> Response + Send + Sync + 'static,
    {
        self.routes.push(Route {
            method,
            pattern: pattern.to_string(),
            segments: parse_pattern(pattern),
            handler: Box::new(handler),
        });
        self
    }

    fn dispatch(&self, req: &Request, db: &Db) -> Response {
        let mut best: Option<(&Route, Params, Vec<u8>)> = None;
        let mut method_mismatch = false;
        for route in &self.routes {
            if let Some(params) = match_segments(&route.segments, &req.path) {
                if route.method != req.method {
                    method_mismatch = true;
                    continue;
                }
                let spec = specificity(&route.segments);
                if best.as_ref().map_or(true, |(_, _, s)| spec > *s) {
                    best = Some((route, params, spec));
                }
            }
        }
        match best {
            Some((route, params, _)) => (route.handler)(req, &params, db),
            None if method_mismatch => Response::new(405, "method not allowed"),
            None => Response::new(404, format!("no route for {}", req.path)),
        }
    }

    fn describe(&self) -> Vec<String> {
        self.routes.iter().map(|r| format!("{:<6} {}", r.method, r.pattern)).collect()
    }
}

fn parse_id(p: &Params) -> Option<u64> {
    p.get("id")?.parse().ok()
}

fn build_router() -> Router {
    let mut router = Router::default();
    router
        .add(Method::Get, "/", |_, _, _| Response::ok("welcome"))
        .add(Method::Get, "/users", |_, _, db| {
            let db = db.lock().unwrap();
            let mut ids: Vec<u64> = db.keys().copied().collect();
            ids.sort();
            Response::ok(format!("users: {ids:?}"))
        })
        .add(Method::Get, "/users/me", |_, _, _| Response::ok("current user: admin"))
        .add(Method::Get, "/users/:id", |_, p, db| match parse_id(p) {
            Some(id) => match db.lock().unwrap().get(&id) {
                Some(name) => Response::ok(format!("user {id}: {name}")),
                None => Response::new(404, format!("user {id} not found")),
            },
            None => Response::new(400, "invalid id"),
        })
        .add(Method::Post, "/users/:id", |req, p, db| match parse_id(p) {
            Some(id) => {
                let mut db = db.lock().unwrap();
                if db.contains_key(&id) {
                    Response::new(409, format!("user {id} already exists"))
                } else {
                    db.insert(id, req.body.clone());
                    Response::new(201, format!("created user {id}"))
                }
            }
            None => Response::new(400, "invalid id"),
        })
        .add(Method::Delete, "/users/:id", |_, p, db| match parse_id(p) {
            Some(id) => match db.lock().unwrap().remove(&id) {
                Some(name) => Response::ok(format!("deleted {name}")),
                None => Response::new(404, format!("user {id} not found")),
            },
            None => Response::new(400, "invalid id"),
        })
        .add(Method::Get, "/users/:id/posts/:post", |_, p, _| {
            Response::ok(format!("post {} of user {}", p["post"], p["id"]))
        })
        .add(Method::Get, "/static/*path", |_, p, _| Response::ok(format!("file: {}", p["path"])));
    router
}

async fn run_tests(router: &Arc<RwLock<Router>>, db: &Db) -> usize {
    let mut passed = 0;
    // Pattern matching tests.
    let segs = parse_pattern("/users/:id");
    assert_eq!(match_segments(&segs, "/users/42").unwrap()["id"], "42");
    assert_eq!(match_segments(&segs, "/users/42/").unwrap()["id"], "42");
    assert_eq!(match_segments(&segs, "/users/42?verbose=1").unwrap()["id"], "42");
    assert!(match_segments(&segs, "/users/42/extra").is_none());
    assert!(match_segments(&segs, "/users").is_none());
    let wild = parse_pattern("/static/*path");
    assert_eq!(match_segments(&wild, "/static/css/site/main.css").unwrap()["path"], "css/site/main.css");
    assert_eq!(match_segments(&wild, "/static").unwrap()["path"], "");
    passed += 7;

    // Dispatch tests.
    let r = router.read().await;
    let mut check = |method: Method, path: &str, body: &str, status: u16| -> Response {
        let resp = r.dispatch(&Request::new(method, path, body), db);
        assert_eq!(resp.status, status, "{method} {path} returned {resp:?}");
        passed += 1;
        resp
    };
    assert_eq!(check(Method::Get, "/", "", 200).body, "welcome");
    assert_eq!(check(Method::Get, "/users/me", "", 200).body, "current user: admin");
    check(Method::Get, "/users/abc", "", 400);
    check(Method::Get, "/users/7", "", 404);
    check(Method::Post, "/users/7", "zed", 201);
    assert!(check(Method::Get, "/users/7", "", 200).body.contains("zed"));
    check(Method::Post, "/users/7", "zed again", 409);
    check(Method::Delete, "/users/7", "", 200);
    check(Method::Delete, "/users/7", "", 404);
    check(Method::Delete, "/static/logo.png", "", 405);
    check(Method::Get, "/nothing/here", "", 404);
    assert_eq!(check(Method::Get, "/users/3/posts/9", "", 200).body, "post 9 of user 3");
    passed
}

#[tokio::main]
async fn main() {
    let db: Db = Arc::new(std::sync::Mutex::new(HashMap::new()));
    let router = Arc::new(RwLock::new(build_router()));
    let stats: Arc<Mutex<HashMap<u16, usize>>> = Arc::new(Mutex::new(HashMap::new()));

    println!("Registered routes:");
    for line in router.read().await.describe() {
        println!("  {line}");
    }

    let passed = run_tests(&router, &db).await;
    println!("\nAll {passed} router tests passed.\n");

    let names = ["alice", "bob", "carol", "dave", "erin", "frank"];
    let mut handles = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let router = Arc::clone(&router);
        let db = Arc::clone(&db);
        let stats = Arc::clone(&stats);
        let name = name.to_string();
        handles.push(tokio::spawn(async move {
            let id = 100 + i as u64;
            let requests = vec![
                Request::new(Method::Post, &format!("/users/{id}"), &name),
                Request::new(Method::Get, &format!("/users/{id}"), ""),
                Request::new(Method::Get, &format!("/users/{id}/posts/{}", i * 7), ""),
                Request::new(Method::Get, &format!("/static/img/{name}.png"), ""),
                Request::new(Method::Post, &format!("/users/{}", 100 + (i as u64 + 1) % 6), &name),
            ];
            let mut log = Vec::new();
            for req in requests {
                let resp = router.read().await.dispatch(&req, &db);
                *stats.lock().await.entry(resp.status).or_insert(0) += 1;
                log.push(format!("{} {} -> {} {}", req.method, req.path, resp.status, resp.body));
                tokio::task::yield_now().await;
            }
            (name, log)
        }));
    }

    for handle in handles {
        match handle.await {
            Ok((name, log)) => {
                println!("worker {name}:");
                for line in log {
                    println!("  {line}");
                }
            }
            Err(e) => eprintln!("worker failed: {e}"),
        }
    }

    // Register a route at run time while the router is shared.
    router
        .write()
        .await
        .add(Method::Get, "/health", |_, _, db| Response::ok(format!("ok ({} users)", db.lock().unwrap().len())));
    let health = {
        let router = Arc::clone(&router);
        let db = Arc::clone(&db);
        tokio::spawn(async move { router.read().await.dispatch(&Request::new(Method::Get, "/health", ""), &db) })
    };
    let resp = health.await.expect("health task panicked");
    println!("\nGET /health -> {} {}", resp.status, resp.body);
    let list = router.read().await.dispatch(&Request::new(Method::Get, "/users", ""), &db);
    println!("GET /users  -> {} {}", list.status, list.body);

    let stats = stats.lock().await;
    let mut codes: Vec<_> = stats.iter().collect();
    codes.sort();
    println!("\nStatus code counts from workers:");
    for (code, count) in codes {
        println!("  {code}: {count}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_beats_param() {
        let db: Db = Arc::new(std::sync::Mutex::new(HashMap::new()));
        let router = build_router();
        let resp = router.dispatch(&Request::new(Method::Get, "/users/me", ""), &db);
        assert_eq!(resp.body, "current user: admin");
    }

    #[test]
    fn wildcard_captures_rest() {
        let p = match_segments(&parse_pattern("/files/*rest"), "/files/a/b").unwrap();
        assert_eq!(p["rest"], "a/b");
    }
}
