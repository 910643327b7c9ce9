use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::time::sleep;

#[derive(Debug, Clone)]
struct Message {
    seq: u64,
    topic: String,
    payload: String,
}

/// MQTT-style topic filter: `+` matches exactly one level, `#` matches the
/// rest of the topic (including nothing) and must be the last level.
#[derive(Debug, Clone, PartialEq)]
struct TopicPattern {
    raw: String,
    levels: Vec<String>,
}

impl TopicPattern {
    fn parse(raw: &str) -> Result<Self, String> {
        if raw.is_empty() {
            return Err("pattern must not be empty".to_string());
        }
        let levels: Vec<String> = raw.split('/').map(String::from).collect();
        for (i, level) in levels.iter().enumerate() {
            if level == "#" && i != levels.len() - 1 {
                return Err(format!("`#` must be the last level in `{}`", raw));
            }
            if level.len() > 1 && (level.contains('#') || level.contains('+')) {
                return Err(format!("wildcards must occupy a whole level in `{}`", raw));
            }
        }
        Ok(TopicPattern {
            raw: raw.to_string(),
            levels,
        })
    }

    fn matches(&self, topic: &str) -> bool {
        let parts: Vec<&str> = topic.split('/').collect();
        let mut i = 0;
        for level in &self.levels {
            match level.as_str() {
                "#" => return true,
                "+" => {
                    if i >= parts.len() {
                        return false;
                    }
                }
                literal => {
                    if i >= parts.len() || parts[i] != literal {
                        return false;
                    }
                }
            }
            i += 1;
        }
        i == parts.len()
    }
}

fn validate_topic(topic: &str) -> Result<(), String> {
    if topic.is_empty() || topic.split('/').any(|l| l.is_empty()) {
        return Err(format!("invalid topic `{}`: empty level", topic));
    }
    if topic.contains('+') || topic.contains('#') {
        return Err(format!("invalid topic `{}`: wildcards are only allowed in subscriptions", topic));
    }
    Ok(())
}

struct SubscriberInfo {
    id: u64,
    name: String,
    pattern: TopicPattern,
}

struct BrokerInner {
    sender: broadcast::Sender<Arc<Message>>,
    next_seq: AtomicU64,
    next_sub_id: AtomicU64,
    registry: Mutex<Vec<SubscriberInfo>>,
    published: Mutex<HashMap<String, usize>>,
}

/// Cheap to clone; the underlying channel closes when the last clone is dropped.
#[derive(Clone)]
struct Broker {
    inner: Arc<BrokerInner>,
}

impl Broker {
    fn new(capacity: usize) -> Self {
        let (sender, _) = broadcast::channel(capacity);
        Broker {
            inner: Arc::new(BrokerInner {
                sender,
                next_seq: AtomicU64::new(1),
                next_sub_id: AtomicU64::new(1),
                registry: Mutex::new(Vec::new()),
                published: Mutex::new(HashMap::new()),
            }),
        }
    }

    fn subscribe(&self, name: &str, pattern: &str) -> Result<Subscription, String> {
        let pattern = TopicPattern::parse(pattern)?;
        let id = self.inner.next_sub_id.fetch_add(1, Ordering::Relaxed);
        self.inner.registry.lock().unwrap().push(SubscriberInfo {
            id,
            name: name.to_string(),
            pattern: pattern.clone(),
        });
        Ok(Subscription {
            id,
            name: name.to_string(),
            pattern,
            receiver: self.inner.sender.subscribe(),
            broker: Arc::downgrade(&self.inner),
        })
    }

    /// Publishes a message and returns the names of subscribers whose pattern matches.
    fn publish(&self, topic: &str, payload: impl Into<String>) -> Result<Vec<String>, String> {
        validate_topic(topic)?;
        let seq = self.inner.next_seq.fetch_add(1, Ordering::Relaxed);
        let interested: Vec<String> = self
            .inner
            .registry
            .lock()
            .unwrap()
            .iter()
            .filter(|s| s.pattern.matches(topic))
            .map(|s| s.name.clone())
            .collect();
        *self
            .inner
            .published
            .lock()
            .unwrap()
            .entry(topic.to_string())
            .or_insert(0) += 1;
        // An error only means nobody is subscribed at all.
        let _ = self.inner.sender.send(Arc::new(Message {
            seq,
            topic: topic.to_string(),
            payload: payload.into(),
        }));
        Ok(interested)
    }

    fn subscriber_count(&self) -> usize {
        self.inner.registry.lock().unwrap().len()
    }

    fn topic_stats(&self) -> Vec<(String, usize)> {
        let mut stats: Vec<(String, usize)> = self
            .inner
            .published
            .lock()
            .unwrap()
            .iter()
            .map(|(t, n)| (t.clone(), *n))
            .collect();
        stats.sort();
        stats
    }
}

struct Subscription {
    id: u64,
    name: String,
    pattern: TopicPattern,
    receiver: broadcast::Receiver<Arc<Message>>,
    broker: Weak<BrokerInner>,
}

impl Subscription {
    /// Waits for the next message matching this subscription's pattern.
    /// Returns None once the broker is gone and the backlog is drained.
    async fn next(&mut self) -> Option<Arc<Message>> {
        loop {
            match self.receiver.recv().await {
                Ok(msg) if self.pattern.matches(&msg.topic) => return Some(msg),
                Ok(_) => continue,
                Err(RecvError::Lagged(skipped)) => {
                    eprintln!("  [{}] lagging: {} message(s) dropped", self.name, skipped);
                }
                Err(RecvError::Closed) => return None,
            }
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(inner) = self.broker.upgrade() {
            inner.registry.lock().unwrap().retain(|s| s.id != self.id);
        }
    }
}

#[tokio::main]
async fn main() {
    let broker = Broker::new(32);

    let specs = [
        ("thermostat", "home/+/temperature"),
        ("kitchen-panel", "home/kitchen/#"),
        ("security", "alerts/#"),
        ("audit-log", "#"),
    ];
    let mut subscribers = Vec::new();
    for (name, pattern) in specs {
        let mut sub = broker.subscribe(name, pattern).expect("valid pattern");
        println!("subscribed {:<14} to {}", name, pattern);
        subscribers.push(tokio::spawn(async move {
            let mut received = 0usize;
            while let Some(msg) = sub.next().await {
                received += 1;
                println!(
                    "    {:<14} <- #{:<2} {:<26} {}",
                    sub.name, msg.seq, msg.topic, msg.payload
                );
                sleep(Duration::from_millis(2)).await; // a slightly slow consumer
            }
            (sub.name.clone(), sub.pattern.raw.clone(), received)
        }));
    }

    for bad in ["home/#/extra", "home/kit+chen", ""] {
        if let Err(e) = broker.subscribe("bad", bad) {
            println!("rejected pattern {:?}: {}", bad, e);
        }
    }

    {
        let temporary = broker.subscribe("temporary", "home/#").expect("valid pattern");
        println!(
            "{} subscribers while `{}` is alive",
            broker.subscriber_count(),
            temporary.name
        );
    }
    println!("{} subscribers after it was dropped\n", broker.subscriber_count());

    let sensors = {
        let broker = broker.clone();
        tokio::spawn(async move {
            let readings = [
                ("home/kitchen/temperature", "21.5 C"),
                ("home/bedroom/temperature", "19.0 C"),
                ("home/kitchen/humidity", "45 %"),
                ("home/garage/door", "open"),
                ("home/kitchen/temperature", "22.1 C"),
                ("home/bedroom/temperature", "18.7 C"),
            ];
            for (topic, payload) in readings {
                match broker.publish(topic, payload) {
                    Ok(to) => println!("publish {:<26} {:<7} -> {:?}", topic, payload, to),
                    Err(e) => println!("publish failed: {}", e),
                }
                sleep(Duration::from_millis(10)).await;
            }
        })
    };

    let alarms = {
        let broker = broker.clone();
        tokio::spawn(async move {
            sleep(Duration::from_millis(15)).await;
            for (topic, payload) in [
                ("alerts/garage/door", "door left open for 10 min"),
                ("alerts/+", "not a valid topic"),
                ("alerts/kitchen/smoke", "smoke detected"),
            ] {
                match broker.publish(topic, payload) {
                    Ok(to) => println!("publish {:<26} {:<7} -> {:?}", topic, "(alert)", to),
                    Err(e) => println!("publish failed: {}", e),
                }
                sleep(Duration::from_millis(12)).await;
            }
        })
    };

    sensors.await.expect("sensor task");
    alarms.await.expect("alarm task");

    println!("\nmessages published per topic:");
    for (topic, count) in broker.topic_stats() {
        println!("  {:<26} {}", topic, count);
    }

    // Dropping the last broker handle closes the channel; subscribers drain and exit.
    drop(broker);
    println!("\ndelivery summary:");
    for handle in subscribers {
        let (name, pattern, received) = handle.await.expect("subscriber task");
        println!("  {:<14} {:<20} received {}", name, pattern, received);
    }
}
