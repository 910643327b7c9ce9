use std::collections::HashMap;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio::time::{interval_at, sleep, sleep_until, Instant, MissedTickBehavior};

#[derive(Debug)]
enum TimerEvent {
    Started { name: String, duration: Duration },
    Tick { name: String, remaining: Duration },
    Fired { name: String, late_by: Duration },
    Cancelled { name: String, remaining: Duration },
}

struct TimerHandle {
    cancel: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

struct TimerManager {
    timers: HashMap<String, TimerHandle>,
    events: mpsc::UnboundedSender<TimerEvent>,
}

impl TimerManager {
    fn new() -> (Self, mpsc::UnboundedReceiver<TimerEvent>) {
        let (tx, rx) = mpsc::unbounded_channel();
        (
            TimerManager {
                timers: HashMap::new(),
                events: tx,
            },
            rx,
        )
    }

    fn start(&mut self, name: &str, duration: Duration, tick_every: Duration) -> Result<(), String> {
        if let Some(existing) = self.timers.get(name) {
            if !existing.task.is_finished() {
                return Err(format!("timer `{}` is already running", name));
            }
        }

        let (cancel_tx, mut cancel_rx) = oneshot::channel::<()>();
        let events = self.events.clone();
        let timer_name = name.to_string();
        let _ = events.send(TimerEvent::Started {
            name: timer_name.clone(),
            duration,
        });

        let task = tokio::spawn(async move {
            let deadline = Instant::now() + duration;
            let mut ticker = interval_at(Instant::now() + tick_every, tick_every);
            ticker.set_missed_tick_behavior(MissedTickBehavior::Skip);
            let alarm = sleep_until(deadline);
            tokio::pin!(alarm);

            loop {
                tokio::select! {
                    _ = &mut alarm => {
                        let late_by = Instant::now().saturating_duration_since(deadline);
                        let _ = events.send(TimerEvent::Fired { name: timer_name.clone(), late_by });
                        break;
                    }
                    _ = &mut cancel_rx => {
                        // Either an explicit cancel or the manager was dropped.
                        let remaining = deadline.saturating_duration_since(Instant::now());
                        let _ = events.send(TimerEvent::Cancelled { name: timer_name.clone(), remaining });
                        break;
                    }
                    _ = ticker.tick() => {
                        let remaining = deadline.saturating_duration_since(Instant::now());
                        if !remaining.is_zero() {
                            let _ = events.send(TimerEvent::Tick { name: timer_name.clone(), remaining });
                        }
                    }
                }
            }
        });

        self.timers.insert(
            name.to_string(),
            TimerHandle {
                cancel: Some(cancel_tx),
                task,
            },
        );
        Ok(())
    }

    /// Returns true when a running timer was cancelled.
    fn cancel(&mut self, name: &str) -> bool {
        match self.timers.get_mut(name) {
            Some(handle) if !handle.task.is_finished() => handle
                .cancel
                .take()
                .map(|tx| tx.send(()).is_ok())
                .unwrap_or(false),
            _ => false,
        }
    }

    fn running(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .timers
            .iter()
            .filter(|(_, h)| !h.task.is_finished())
            .map(|(n, _)| n.clone())
            .collect();
        names.sort();
        names
    }

    async fn shutdown(self) {
        for (_, handle) in self.timers {
            let _ = handle.task.await;
        }
    }
}

fn secs(d: Duration) -> String {
    format!("{:.2}s", d.as_secs_f64())
}

#[tokio::main]
async fn main() {
    let program_start = Instant::now();
    let stamp = move || format!("[{:>6}]", secs(program_start.elapsed()));

    let (mut manager, mut events) = TimerManager::new();
    let timers = [
        ("tea", 1500, 500),
        ("eggs", 2600, 1000),
        ("pasta", 2000, 500),
        ("toast", 800, 400),
    ];
    for (name, ms, tick) in timers {
        manager
            .start(name, Duration::from_millis(ms), Duration::from_millis(tick))
            .expect("fresh timer");
    }
    if let Err(e) = manager.start("tea", Duration::from_secs(1), Duration::from_millis(500)) {
        println!("{} start rejected: {}", stamp(), e);
    }

    let control = sleep(Duration::from_millis(1100));
    tokio::pin!(control);
    let mut control_done = false;
    let mut outstanding = 0usize;

    loop {
        tokio::select! {
            _ = &mut control, if !control_done => {
                control_done = true;
                println!("{} running timers: {:?}", stamp(), manager.running());
                println!("{} cancelling `pasta` -> {}", stamp(), manager.cancel("pasta"));
                println!("{} cancelling `toast` (already fired) -> {}", stamp(), manager.cancel("toast"));
                println!("{} cancelling `soup` (unknown) -> {}", stamp(), manager.cancel("soup"));
                match manager.start("toast", Duration::from_millis(600), Duration::from_millis(300)) {
                    Ok(()) => println!("{} restarted `toast` for a second slice", stamp()),
                    Err(e) => println!("{} {}", stamp(), e),
                }
            }
            Some(event) = events.recv() => {
                match event {
                    TimerEvent::Started { name, duration } => {
                        outstanding += 1;
                        println!("{} {:<6} started ({})", stamp(), name, secs(duration));
                    }
                    TimerEvent::Tick { name, remaining } => {
                        println!("{} {:<6} ... {} left", stamp(), name, secs(remaining));
                    }
                    TimerEvent::Fired { name, late_by } => {
                        outstanding -= 1;
                        println!("{} {:<6} FIRED (late by {} ms)", stamp(), name, late_by.as_millis());
                    }
                    TimerEvent::Cancelled { name, remaining } => {
                        outstanding -= 1;
                        println!("{} {:<6} cancelled with {} remaining", stamp(), name, secs(remaining));
                    }
                }
            }
        }
        if control_done && outstanding == 0 {
            break;
        }
    }

    manager.shutdown().await;
    println!("{} all timers finished", stamp());
}
