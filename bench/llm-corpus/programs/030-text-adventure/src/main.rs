use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Dir {
    North,
    South,
    East,
    West,
}

impl Dir {
    fn parse(s: &str) -> Option<Dir> {
        match s {
            "n" | "north" => Some(Dir::North),
            "s" | "south" => Some(Dir::South),
            "e" | "east" => Some(Dir::East),
            "w" | "west" => Some(Dir::West),
            _ => None,
        }
    }
}

struct Room {
    name: &'static str,
    description: &'static str,
    exits: HashMap<Dir, usize>,
    items: Vec<String>,
    locked: Option<(Dir, &'static str)>, // exit locked until holding item
}

enum Command {
    Go(Dir),
    Take(String),
    Drop(String),
    Look,
    Inventory,
    Use(String),
    Help,
    Quit,
    Unknown(String),
}

fn parse(input: &str) -> Command {
    let words: Vec<String> = input
        .split_whitespace()
        .map(|w| w.to_lowercase())
        .filter(|w| !["the", "a", "an", "to"].contains(&w.as_str()))
        .collect();
    let rest = || words[1..].join(" ");
    match words.first().map(String::as_str) {
        Some("go") | Some("walk") if words.len() > 1 => match Dir::parse(&words[1]) {
            Some(d) => Command::Go(d),
            None => Command::Unknown(input.to_string()),
        },
        Some(w) if Dir::parse(w).is_some() => Command::Go(Dir::parse(w).unwrap()),
        Some("take") | Some("get") | Some("grab") if words.len() > 1 => Command::Take(rest()),
        Some("drop") if words.len() > 1 => Command::Drop(rest()),
        Some("use") if words.len() > 1 => Command::Use(rest()),
        Some("look") | Some("l") => Command::Look,
        Some("inventory") | Some("i") | Some("inv") => Command::Inventory,
        Some("help") | Some("?") => Command::Help,
        Some("quit") | Some("exit") => Command::Quit,
        _ => Command::Unknown(input.to_string()),
    }
}

struct Game {
    rooms: Vec<Room>,
    current: usize,
    inventory: Vec<String>,
    moves: u32,
    won: bool,
}

impl Game {
    fn new() -> Self {
        let mut rooms = vec![
            Room { name: "Entrance Hall", description: "A dusty hall. A grand door leads north; a corridor runs east.", exits: HashMap::new(), items: vec!["lamp".into()], locked: Some((Dir::North, "brass key")) },
            Room { name: "Library", description: "Shelves of mouldering books. Something glints under a table.", exits: HashMap::new(), items: vec!["brass key".into(), "old book".into()], locked: None },
            Room { name: "Kitchen", description: "Pots hang from hooks. The pantry is to the south.", exits: HashMap::new(), items: vec!["bread".into()], locked: None },
            Room { name: "Pantry", description: "Cramped and dark. Smells of onions.", exits: HashMap::new(), items: vec!["rope".into()], locked: None },
            Room { name: "Treasure Vault", description: "Gold coins glitter everywhere!", exits: HashMap::new(), items: vec!["treasure".into()], locked: None },
        ];
        let links = [(0, Dir::East, 1), (1, Dir::West, 0), (1, Dir::North, 2), (2, Dir::South, 1), (2, Dir::East, 3), (3, Dir::West, 2), (0, Dir::North, 4), (4, Dir::South, 0)];
        for (from, dir, to) in links {
            rooms[from].exits.insert(dir, to);
        }
        Game { rooms, current: 0, inventory: Vec::new(), moves: 0, won: false }
    }

    fn describe(&self) {
        let r = &self.rooms[self.current];
        println!("== {} ==\n{}", r.name, r.description);
        if !r.items.is_empty() {
            println!("You see: {}", r.items.join(", "));
        }
        let mut exits: Vec<String> = r.exits.keys().map(|d| format!("{:?}", d).to_lowercase()).collect();
        exits.sort();
        println!("Exits: {}", exits.join(", "));
    }

    fn step(&mut self, cmd: Command) -> bool {
        self.moves += 1;
        match cmd {
            Command::Go(dir) => {
                let room = &self.rooms[self.current];
                if let Some((ldir, key)) = room.locked {
                    if ldir == dir && !self.inventory.iter().any(|i| i == key) {
                        println!("The way {:?} is locked. Perhaps a {} would help.", dir, key);
                        return true;
                    }
                }
                match room.exits.get(&dir) {
                    Some(&next) => {
                        self.current = next;
                        self.describe();
                    }
                    None => println!("You can't go that way."),
                }
            }
            Command::Take(item) => {
                let room = &mut self.rooms[self.current];
                if let Some(pos) = room.items.iter().position(|i| *i == item) {
                    let it = room.items.remove(pos);
                    println!("Taken: {}", it);
                    if it == "treasure" {
                        self.won = true;
                    }
                    self.inventory.push(it);
                } else {
                    println!("There is no {} here.", item);
                }
            }
            Command::Drop(item) => match self.inventory.iter().position(|i| *i == item) {
                Some(pos) => {
                    let it = self.inventory.remove(pos);
                    println!("Dropped: {}", it);
                    self.rooms[self.current].items.push(it);
                }
                None => println!("You don't have {}.", item),
            },
            Command::Use(item) => {
                if !self.inventory.contains(&item) {
                    println!("You don't have {}.", item);
                } else if item == "brass key" && self.rooms[self.current].locked.is_some() {
                    self.rooms[self.current].locked = None;
                    println!("You unlock the door with the brass key. Click!");
                } else if item == "bread" {
                    self.inventory.retain(|i| i != "bread");
                    println!("You eat the bread. Delicious.");
                } else {
                    println!("Nothing happens.");
                }
            }
            Command::Look => self.describe(),
            Command::Inventory => {
                if self.inventory.is_empty() {
                    println!("You are carrying nothing.");
                } else {
                    println!("You carry: {}", self.inventory.join(", "));
                }
            }
            Command::Help => println!("Commands: go <dir>, n/s/e/w, take <item>, drop <item>, use <item>, look, inventory, quit"),
            Command::Quit => return false,
            Command::Unknown(s) => println!("I don't understand '{}'.", s),
        }
        !self.won
    }
}

fn main() {
    let script = [
        "look", "take lamp", "north", "go east", "take the brass key", "take sword", "inventory",
        "n", "s", "e", "get rope", "drop lamp", "west", "use bread", "go south", "w",
        "west", "use brass key", "go north", "take treasure", "look",
    ];
    let mut game = Game::new();
    game.describe();
    for line in script {
        println!("\n> {}", line);
        if !game.step(parse(line)) {
            break;
        }
    }
    println!();
    if game.won {
        println!("*** You found the treasure in {} moves! ***", game.moves);
    } else {
        println!("Game over after {} moves. Inventory: {:?}", game.moves, game.inventory);
    }
}
