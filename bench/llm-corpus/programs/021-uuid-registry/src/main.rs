use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fs;
use std::path::Path;
use thiserror::Error;
use uuid::Uuid;

#[derive(Debug, Error)]
enum RegistryError {
    #[error("invalid email address '{0}'")]
    InvalidEmail(String),
    #[error("email '{0}' is already registered")]
    DuplicateEmail(String),
    #[error("no user with id {0}")]
    NotFound(Uuid),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct User {
    id: Uuid,
    name: String,
    email: String,
    created_at: DateTime<Utc>,
}

#[derive(Serialize, Deserialize, Default)]
struct Registry {
    users: HashMap<Uuid, User>,
    #[serde(skip)]
    by_email: HashMap<String, Uuid>,
}

fn email_regex() -> Regex {
    Regex::new(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$").unwrap()
}

impl Registry {
    fn rebuild_index(&mut self) {
        self.by_email = self.users.values().map(|u| (u.email.to_lowercase(), u.id)).collect();
    }

    fn register(&mut self, re: &Regex, name: &str, email: &str) -> Result<Uuid, RegistryError> {
        let email = email.trim();
        if !re.is_match(email) {
            return Err(RegistryError::InvalidEmail(email.to_string()));
        }
        let key = email.to_lowercase();
        if self.by_email.contains_key(&key) {
            return Err(RegistryError::DuplicateEmail(email.to_string()));
        }
        let id = Uuid::new_v4();
        self.users.insert(id, User { id, name: name.to_string(), email: email.to_string(), created_at: Utc::now() });
        self.by_email.insert(key, id);
        Ok(id)
    }

    fn find_by_email(&self, email: &str) -> Option<&User> {
        self.by_email.get(&email.trim().to_lowercase()).and_then(|id| self.users.get(id))
    }

    fn get(&self, id: &Uuid) -> Option<&User> {
        self.users.get(id)
    }

    fn remove(&mut self, id: &Uuid) -> Result<User, RegistryError> {
        let user = self.users.remove(id).ok_or(RegistryError::NotFound(*id))?;
        self.by_email.remove(&user.email.to_lowercase());
        Ok(user)
    }

    fn save(&self, path: &Path) -> Result<()> {
        let json = serde_json::to_string_pretty(self)?;
        fs::write(path, json).with_context(|| format!("writing {}", path.display()))
    }

    fn load(path: &Path) -> Result<Self> {
        let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let mut reg: Registry = serde_json::from_str(&text).context("parsing registry JSON")?;
        reg.rebuild_index();
        Ok(reg)
    }
}

fn main() -> Result<()> {
    let re = email_regex();
    let path = std::env::temp_dir().join("uuid-registry-demo.json");
    let mut reg = Registry::default();

    let candidates = [
        ("Ada Lovelace", "ada@example.com"),
        ("Alan Turing", "alan.turing@cs.example.org"),
        ("Grace Hopper", "grace+navy@example.co.uk"),
        ("Duplicate Ada", "ADA@example.com"),
        ("No At Sign", "nobody.example.com"),
        ("Bad Domain", "bad@domain"),
        ("Spaces", "has space@example.com"),
        ("Linus", "linus@kernel.org"),
    ];
    for (name, email) in candidates {
        match reg.register(&re, name, email) {
            Ok(id) => println!("registered {:<14} {:<30} -> {}", name, email, id),
            Err(e) => println!("rejected   {:<14} {:<30} : {}", name, email, e),
        }
    }

    reg.save(&path)?;
    println!("\nSaved {} users to {}", reg.users.len(), path.display());

    let mut loaded = Registry::load(&path)?;
    println!("Loaded {} users back", loaded.users.len());

    for email in ["ada@example.com", "Alan.Turing@CS.example.org", "ghost@example.com"] {
        match loaded.find_by_email(email) {
            Some(u) => println!("lookup {:<28} -> {} ({}), created {}", email, u.name, u.id, u.created_at.format("%Y-%m-%d %H:%M:%S")),
            None => println!("lookup {:<28} -> not found", email),
        }
    }

    if let Some(id) = loaded.find_by_email("linus@kernel.org").map(|u| u.id) {
        let removed = loaded.remove(&id)?;
        println!("\nremoved {} <{}>", removed.name, removed.email);
        println!("get after remove: {:?}", loaded.get(&id).map(|u| &u.name));
    }
    let random = Uuid::new_v4();
    if let Err(e) = loaded.remove(&random) {
        println!("remove random id: {}", e);
    }

    let mut users: Vec<&User> = loaded.users.values().collect();
    users.sort_by(|a, b| a.name.cmp(&b.name));
    println!("\nAll users:");
    for u in users {
        println!("  {}  {:<14} {}", u.id, u.name, u.email);
    }
    let _ = fs::remove_file(&path);
    Ok(())
}
