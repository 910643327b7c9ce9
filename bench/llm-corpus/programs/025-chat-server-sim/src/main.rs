use chrono::Local;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio::time::sleep;

#[derive(Debug)]
enum Command {
    Join { user: String, room: String, inbox: mpsc::UnboundedSender<String> },
    Say { user: String, room: String, text: String },
    Leave { user: String, room: String },
    Shutdown { reply: oneshot::Sender<Vec<String>> },
}

/// The server task owns all state; clients talk to it only via messages.
async fn server(mut rx: mpsc::Receiver<Command>) {
    let mut rooms: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut inboxes: HashMap<String, mpsc::UnboundedSender<String>> = HashMap::new();
    let mut transcript: Vec<String> = Vec::new();

    let mut log = |transcript: &mut Vec<String>, line: String| {
        let stamped = format!("[{}] {}", Local::now().format("%H:%M:%S%.3f"), line);
        println!("{}", stamped);
        transcript.push(stamped);
    };

    while let Some(cmd) = rx.recv().await {
        match cmd {
            Command::Join { user, room, inbox } => {
                inboxes.insert(user.clone(), inbox);
                let members = rooms.entry(room.clone()).or_default();
                let line = format!("#{}: * {} joined ({} online)", room, user, members.len() + 1);
                for m in members.iter() {
                    if let Some(tx) = inboxes.get(m) {
                        let _ = tx.send(line.clone());
                    }
                }
                members.insert(user);
                log(&mut transcript, line);
            }
            Command::Say { user, room, text } => {
                let Some(members) = rooms.get(&room) else {
                    log(&mut transcript, format!("! {} tried to talk in unknown room #{}", user, room));
                    continue;
                };
                if !members.contains(&user) {
                    log(&mut transcript, format!("! {} is not in #{}; message dropped", user, room));
                    continue;
                }
                let line = format!("#{}: <{}> {}", room, user, text);
                for m in members.iter().filter(|m| **m != user) {
                    if let Some(tx) = inboxes.get(m) {
                        let _ = tx.send(line.clone());
                    }
                }
                log(&mut transcript, line);
            }
            Command::Leave { user, room } => {
                if let Some(members) = rooms.get_mut(&room) {
                    if members.remove(&user) {
                        let line = format!("#{}: * {} left ({} online)", room, user, members.len());
                        for m in members.iter() {
                            if let Some(tx) = inboxes.get(m) {
                                let _ = tx.send(line.clone());
                            }
                        }
                        log(&mut transcript, line);
                    }
                    if members.is_empty() {
                        rooms.remove(&room);
                        log(&mut transcript, format!("(room #{} closed)", room));
                    }
                }
                if !rooms.values().any(|m| m.contains(&user)) {
                    inboxes.remove(&user);
                }
            }
            Command::Shutdown { reply } => {
                let _ = reply.send(std::mem::take(&mut transcript));
                break;
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Action {
    Join(&'static str),
    Say(&'static str, &'static str),
    Leave(&'static str),
    Wait(u64),
}

async fn client(name: &'static str, script: Vec<Action>, tx: mpsc::Sender<Command>) -> (String, usize) {
    let (inbox_tx, mut inbox_rx) = mpsc::unbounded_channel::<String>();
    let mut received = 0;
    for action in script {
        match action {
            Action::Join(room) => {
                let _ = tx.send(Command::Join { user: name.into(), room: room.into(), inbox: inbox_tx.clone() }).await;
            }
            Action::Say(room, text) => {
                let _ = tx.send(Command::Say { user: name.into(), room: room.into(), text: text.into() }).await;
            }
            Action::Leave(room) => {
                let _ = tx.send(Command::Leave { user: name.into(), room: room.into() }).await;
            }
            Action::Wait(ms) => sleep(Duration::from_millis(ms)).await,
        }
        while let Ok(_msg) = inbox_rx.try_recv() {
            received += 1;
        }
    }
    drop(inbox_tx);
    sleep(Duration::from_millis(20)).await;
    while let Ok(_msg) = inbox_rx.try_recv() {
        received += 1;
    }
    (name.to_string(), received)
}

#[tokio::main]
async fn main() {
    let (tx, rx) = mpsc::channel::<Command>(64);
    let server_handle = tokio::spawn(server(rx));

    use Action::*;
    let scripts: Vec<(&'static str, Vec<Action>)> = vec![
        ("alice", vec![Join("general"), Wait(10), Say("general", "hi everyone!"), Wait(40), Join("rust"), Say("rust", "anyone tried tokio 1.x?"), Wait(60), Leave("general"), Wait(30), Leave("rust")]),
        ("bob", vec![Wait(5), Join("general"), Wait(20), Say("general", "hey alice"), Wait(30), Join("rust"), Wait(10), Say("rust", "yes, mpsc channels are great"), Wait(50), Leave("rust"), Leave("general")]),
        ("carol", vec![Wait(15), Join("general"), Say("general", "morning!"), Say("random", "is this thing on?"), Wait(40), Say("rust", "can I join?"), Leave("general")]),
        ("dave", vec![Wait(70), Join("rust"), Say("rust", "just lurking"), Wait(40), Leave("rust")]),
    ];

    let mut handles = Vec::new();
    for (name, script) in scripts {
        handles.push(tokio::spawn(client(name, script, tx.clone())));
    }
    let mut stats = Vec::new();
    for h in handles {
        if let Ok(s) = h.await {
            stats.push(s);
        }
    }

    let (reply_tx, reply_rx) = oneshot::channel();
    let _ = tx.send(Command::Shutdown { reply: reply_tx }).await;
    let transcript = reply_rx.await.unwrap_or_default();
    let _ = server_handle.await;

    println!("\n=== Transcript ({} lines) ===", transcript.len());
    for line in &transcript {
        println!("{}", line);
    }
    println!("\n=== Messages delivered to each user ===");
    for (name, n) in stats {
        println!("{:<6} {}", name, n);
    }
}
