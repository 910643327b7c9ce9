use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{watch, Mutex, RwLock};
use tokio::time::{sleep, Instant};
use uuid::Uuid;

#[derive(Debug, Clone)]
struct Session {
    user: String,
    created: Instant,
    last_seen: Instant,
    requests: u32,
}

#[derive(Debug, PartialEq)]
enum SessionError {
    Unknown(Uuid),
    Expired { user: String, idle: Duration },
}

impl fmt::Display for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SessionError::Unknown(id) => write!(f, "unknown session {}", &id.to_string()[..8]),
            SessionError::Expired { user, idle } => write!(f, "session of {user} expired after {}ms idle", idle.as_millis()),
        }
    }
}

#[derive(Debug, Default, Clone)]
struct Stats {
    issued: u32,
    logged_out: u32,
    expired: u32,
    rejected: u32,
    peak_active: usize,
}

struct SessionManager {
    sessions: RwLock<HashMap<Uuid, Session>>,
    stats: Mutex<Stats>,
    idle_ttl: Duration,
    started: Instant,
}

impl SessionManager {
    fn new(idle_ttl: Duration) -> Self {
        SessionManager { sessions: RwLock::new(HashMap::new()), stats: Mutex::new(Stats::default()), idle_ttl, started: Instant::now() }
    }

    fn ms(&self) -> u128 {
        self.started.elapsed().as_millis()
    }

    async fn login(&self, user: &str) -> Uuid {
        let token = Uuid::new_v4();
        let now = Instant::now();
        let active = {
            let mut sessions = self.sessions.write().await;
            sessions.insert(token, Session { user: user.to_string(), created: now, last_seen: now, requests: 0 });
            sessions.len()
        };
        let mut stats = self.stats.lock().await;
        stats.issued += 1;
        stats.peak_active = stats.peak_active.max(active);
        token
    }

    async fn touch(&self, token: Uuid) -> Result<u32, SessionError> {
        let now = Instant::now();
        let result = {
            let mut sessions = self.sessions.write().await;
            match sessions.get_mut(&token) {
                None => Err(SessionError::Unknown(token)),
                Some(s) if now.duration_since(s.last_seen) > self.idle_ttl => {
                    let idle = now.duration_since(s.last_seen);
                    let user = s.user.clone();
                    sessions.remove(&token);
                    Err(SessionError::Expired { user, idle })
                }
                Some(s) => {
                    s.last_seen = now;
                    s.requests += 1;
                    Ok(s.requests)
                }
            }
        };
        if let Err(e) = &result {
            let mut stats = self.stats.lock().await;
            stats.rejected += 1;
            if matches!(e, SessionError::Expired { .. }) {
                stats.expired += 1;
            }
        }
        result
    }

    async fn logout(&self, token: Uuid) -> bool {
        let removed = self.sessions.write().await.remove(&token).is_some();
        if removed {
            self.stats.lock().await.logged_out += 1;
        }
        removed
    }

    async fn reap(&self) -> Vec<String> {
        let now = Instant::now();
        let expired: Vec<String> = {
            let mut sessions = self.sessions.write().await;
            let stale: Vec<Uuid> = sessions
                .iter()
                .filter(|(_, s)| now.duration_since(s.last_seen) > self.idle_ttl)
                .map(|(id, _)| *id)
                .collect();
            stale.iter().filter_map(|id| sessions.remove(id)).map(|s| s.user).collect()
        };
        if !expired.is_empty() {
            self.stats.lock().await.expired += expired.len() as u32;
        }
        expired
    }

    async fn active(&self) -> (usize, Vec<String>) {
        let sessions = self.sessions.read().await;
        let users: HashSet<&str> = sessions.values().map(|s| s.user.as_str()).collect();
        let mut users: Vec<String> = users.into_iter().map(String::from).collect();
        users.sort();
        (sessions.len(), users)
    }

    async fn oldest_session_age(&self) -> Option<Duration> {
        self.sessions.read().await.values().map(|s| s.created.elapsed()).max()
    }
}

/// Simulated client: logs in, makes `requests` calls `gap` apart, optionally logs out.
async fn client(mgr: Arc<SessionManager>, user: &'static str, requests: u32, gap: Duration, logout: bool) -> String {
    let token = mgr.login(user).await;
    println!("[{:>4}ms] {user} logged in with token {}", mgr.ms(), &token.to_string()[..8]);
    let mut ok = 0;
    for _ in 0..requests {
        sleep(gap).await;
        match mgr.touch(token).await {
            Ok(_) => ok += 1,
            Err(e) => {
                println!("[{:>4}ms] {user}: request rejected: {e}", mgr.ms());
                return format!("{user}: {ok} ok, then rejected ({e})");
            }
        }
    }
    if logout && mgr.logout(token).await {
        println!("[{:>4}ms] {user} logged out", mgr.ms());
        return format!("{user}: {ok} ok, logged out");
    }
    format!("{user}: {ok} ok, left session open")
}

#[tokio::main]
async fn main() {
    let mgr = Arc::new(SessionManager::new(Duration::from_millis(250)));
    let (shutdown_tx, shutdown_rx) = watch::channel(false);

    let reaper = {
        let mgr = Arc::clone(&mgr);
        let mut shutdown = shutdown_rx.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_millis(100));
            let mut reaped = 0;
            loop {
                tokio::select! {
                    _ = tick.tick() => {
                        let gone = mgr.reap().await;
                        if !gone.is_empty() {
                            println!("[{:>4}ms] reaper expired idle sessions of {:?}", mgr.ms(), gone);
                            reaped += gone.len();
                        }
                    }
                    _ = shutdown.changed() => break,
                }
            }
            reaped
        })
    };

    let reporter = {
        let mgr = Arc::clone(&mgr);
        let mut shutdown = shutdown_rx.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_millis(200));
            let mut samples = Vec::new();
            loop {
                tokio::select! {
                    _ = tick.tick() => {
                        let (sessions, users) = mgr.active().await;
                        println!("[{:>4}ms] active: {sessions} session(s), {} user(s) {:?}", mgr.ms(), users.len(), users);
                        samples.push(users.len());
                    }
                    _ = shutdown.changed() => break,
                }
            }
            samples
        })
    };

    let clients = vec![
        tokio::spawn(client(Arc::clone(&mgr), "alice", 10, Duration::from_millis(80), true)),
        tokio::spawn(client(Arc::clone(&mgr), "bob", 3, Duration::from_millis(60), false)),
        tokio::spawn(client(Arc::clone(&mgr), "carol", 6, Duration::from_millis(120), false)),
        tokio::spawn(client(Arc::clone(&mgr), "carol", 4, Duration::from_millis(90), true)),
        tokio::spawn(client(Arc::clone(&mgr), "dave", 3, Duration::from_millis(400), true)),
    ];

    // A forged token is rejected.
    let forged = Uuid::new_v4();
    if let Err(e) = mgr.touch(forged).await {
        println!("[{:>4}ms] eve: {e}", mgr.ms());
    }

    let mut summaries = Vec::new();
    for c in clients {
        summaries.push(c.await.expect("client task panicked"));
    }
    if let Some(age) = mgr.oldest_session_age().await {
        println!("[{:>4}ms] oldest remaining session is {}ms old", mgr.ms(), age.as_millis());
    }
    // Give the reaper time to collect sessions that were left open.
    sleep(Duration::from_millis(400)).await;
    let _ = shutdown_tx.send(true);
    let reaped = reaper.await.unwrap_or(0);
    let samples = reporter.await.unwrap_or_default();

    println!("\nClient results:");
    for s in &summaries {
        println!("  {s}");
    }
    let stats = mgr.stats.lock().await.clone();
    let (remaining, _) = mgr.active().await;
    println!(
        "\nissued {} | logged out {} | expired {} (reaper collected {reaped}) | rejected requests {} | peak active {} | remaining {remaining}",
        stats.issued, stats.logged_out, stats.expired, stats.rejected, stats.peak_active
    );
    println!("active-user samples over time: {samples:?}");
}
