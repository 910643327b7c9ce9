use std::collections::HashMap;
use std::path::PathBuf;

use chrono::{DateTime, Duration, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Song {
    id: Uuid,
    title: String,
    artist: String,
    duration_secs: u32,
    added_at: DateTime<Utc>,
    play_count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
enum RepeatMode {
    Off,
    One,
    All,
    Times { remaining: u32 },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
enum ShuffleState {
    Off,
    On { seed: u64, order: Vec<usize> },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Playlist {
    id: Uuid,
    name: String,
    created_at: DateTime<Utc>,
    track_ids: Vec<Uuid>,
    repeat: RepeatMode,
    shuffle: ShuffleState,
    position: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum PlayEvent {
    Played { playlist_id: Uuid, song_id: Uuid, at: DateTime<Utc> },
    Skipped { playlist_id: Uuid, song_id: Uuid, at: DateTime<Utc>, after_secs: u32 },
    Finished { playlist_id: Uuid, at: DateTime<Utc> },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
struct Library {
    songs: HashMap<Uuid, Song>,
    playlists: HashMap<Uuid, Playlist>,
    history: Vec<PlayEvent>,
    saved_at: Option<DateTime<Utc>>,
}

fn format_duration(total_secs: u64) -> String {
    let (h, m, s) = (total_secs / 3600, (total_secs % 3600) / 60, total_secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

impl Playlist {
    fn new(name: &str, track_ids: Vec<Uuid>, repeat: RepeatMode, created_at: DateTime<Utc>) -> Self {
        Playlist { id: Uuid::new_v4(), name: name.into(), created_at, track_ids, repeat, shuffle: ShuffleState::Off, position: 0 }
    }

    fn order(&self) -> Vec<usize> {
        match &self.shuffle {
            ShuffleState::On { order, .. } if order.len() == self.track_ids.len() => order.clone(),
            _ => (0..self.track_ids.len()).collect(),
        }
    }

    fn shuffle(&mut self, seed: u64) {
        let mut order: Vec<usize> = (0..self.track_ids.len()).collect();
        order.shuffle(&mut StdRng::seed_from_u64(seed));
        self.shuffle = ShuffleState::On { seed, order };
        self.position = 0;
    }

    /// Returns the track to play now and advances according to the repeat mode.
    fn next_track(&mut self) -> Option<Uuid> {
        let order = self.order();
        if order.is_empty() || self.position >= order.len() {
            return None;
        }
        let id = self.track_ids[order[self.position]];
        match &mut self.repeat {
            RepeatMode::One => {}
            RepeatMode::Off => self.position += 1,
            RepeatMode::All => self.position = (self.position + 1) % order.len(),
            RepeatMode::Times { remaining } => {
                self.position += 1;
                if self.position == order.len() && *remaining > 0 {
                    *remaining -= 1;
                    self.position = 0;
                }
            }
        }
        Some(id)
    }

    fn total_secs(&self, songs: &HashMap<Uuid, Song>) -> u64 {
        self.track_ids.iter().filter_map(|id| songs.get(id)).map(|s| s.duration_secs as u64).sum()
    }
}

impl Library {
    fn add_song(&mut self, title: &str, artist: &str, duration_secs: u32, added_at: DateTime<Utc>) -> Uuid {
        let id = Uuid::new_v4();
        self.songs.insert(id, Song { id, title: title.into(), artist: artist.into(), duration_secs, added_at, play_count: 0 });
        id
    }

    /// Plays up to `count` tracks from a playlist starting at `clock`, returning the new clock.
    fn play(&mut self, playlist_id: Uuid, count: usize, mut clock: DateTime<Utc>, rng: &mut StdRng) -> DateTime<Utc> {
        for _ in 0..count {
            let Some(playlist) = self.playlists.get_mut(&playlist_id) else { break };
            let Some(song_id) = playlist.next_track() else {
                self.history.push(PlayEvent::Finished { playlist_id, at: clock });
                break;
            };
            let Some(song) = self.songs.get_mut(&song_id) else { continue };
            if rng.gen_bool(0.2) {
                let after = rng.gen_range(5..song.duration_secs.max(6));
                self.history.push(PlayEvent::Skipped { playlist_id, song_id, at: clock, after_secs: after });
                clock = clock + Duration::seconds(after as i64);
            } else {
                song.play_count += 1;
                self.history.push(PlayEvent::Played { playlist_id, song_id, at: clock });
                clock = clock + Duration::seconds(song.duration_secs as i64);
            }
        }
        clock
    }

    fn listening_secs(&self) -> u64 {
        self.history
            .iter()
            .map(|e| match e {
                PlayEvent::Played { song_id, .. } => self.songs.get(song_id).map_or(0, |s| s.duration_secs as u64),
                PlayEvent::Skipped { after_secs, .. } => *after_secs as u64,
                PlayEvent::Finished { .. } => 0,
            })
            .sum()
    }

    fn print_playlist(&self, id: Uuid) {
        let Some(p) = self.playlists.get(&id) else { return };
        let shuffle = match &p.shuffle {
            ShuffleState::Off => "off".to_string(),
            ShuffleState::On { seed, .. } => format!("on (seed {seed})"),
        };
        println!(
            "\n{} - {} tracks, {} total, repeat {:?}, shuffle {}",
            p.name,
            p.track_ids.len(),
            format_duration(p.total_secs(&self.songs)),
            p.repeat,
            shuffle
        );
        for (n, idx) in p.order().into_iter().enumerate() {
            if let Some(s) = self.songs.get(&p.track_ids[idx]) {
                println!("  {:>2}. {:<28} {:<20} {:>6}", n + 1, s.title, s.artist, format_duration(s.duration_secs as u64));
            }
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path: PathBuf = std::env::args().nth(1).map(PathBuf::from).unwrap_or_else(|| std::env::temp_dir().join("music_library.json"));
    let start = Utc.with_ymd_and_hms(2024, 6, 1, 18, 0, 0).unwrap();
    let mut lib = Library::default();

    let catalog = [
        ("Bohemian Rhapsody", "Queen", 354),
        ("Hotel California", "Eagles", 391),
        ("Billie Jean", "Michael Jackson", 294),
        ("Smells Like Teen Spirit", "Nirvana", 301),
        ("Dancing Queen", "ABBA", 231),
        ("Hey Jude", "The Beatles", 431),
        ("Take On Me", "a-ha", 225),
        ("Clair de Lune", "Debussy", 302),
        ("Gymnopedie No.1", "Satie", 188),
        ("Weightless", "Marconi Union", 485),
    ];
    let ids: Vec<Uuid> = catalog
        .iter()
        .enumerate()
        .map(|(i, (t, a, d))| lib.add_song(t, a, *d, start - Duration::days(30 - i as i64)))
        .collect();

    let mut road = Playlist::new("Road Trip", ids[..7].to_vec(), RepeatMode::All, start);
    road.shuffle(42);
    let focus = Playlist::new("Focus", ids[7..].to_vec(), RepeatMode::Times { remaining: 1 }, start);
    let single = Playlist::new("On Loop", vec![ids[6]], RepeatMode::One, start);
    let once = Playlist::new("Queen Only", vec![ids[0]], RepeatMode::Off, start);
    let playlist_ids = [road.id, focus.id, single.id, once.id];
    for p in [road, focus, single, once] {
        lib.playlists.insert(p.id, p);
    }

    let mut rng = StdRng::seed_from_u64(7);
    let mut clock = start;
    for (pid, count) in playlist_ids.iter().zip([10, 8, 3, 3]) {
        clock = lib.play(*pid, count, clock, &mut rng);
    }

    for pid in playlist_ids {
        lib.print_playlist(pid);
    }

    println!("\nHistory ({} events):", lib.history.len());
    for event in &lib.history {
        let line = match event {
            PlayEvent::Played { song_id, at, .. } => format!("{} played  {}", at.format("%H:%M:%S"), lib.songs[song_id].title),
            PlayEvent::Skipped { song_id, at, after_secs, .. } => {
                format!("{} skipped {} after {}s", at.format("%H:%M:%S"), lib.songs[song_id].title, after_secs)
            }
            PlayEvent::Finished { playlist_id, at } => format!("{} finished playlist {}", at.format("%H:%M:%S"), lib.playlists[playlist_id].name),
        };
        println!("  {line}");
    }
    println!("Total listening time: {}", format_duration(lib.listening_secs()));

    lib.saved_at = Some(clock);
    let json = serde_json::to_string_pretty(&lib)?;
    std::fs::write(&path, &json)?;
    let restored: Library = serde_json::from_str(&std::fs::read_to_string(&path)?)?;
    println!("\nSaved {} bytes to {}; reload identical: {}", json.len(), path.display(), restored == lib);

    let mut top: Vec<&Song> = restored.songs.values().filter(|s| s.play_count > 0).collect();
    top.sort_by(|a, b| b.play_count.cmp(&a.play_count).then(a.title.cmp(&b.title)));
    println!("Most played after reload:");
    for s in top.iter().take(5) {
        println!("  {:<28} {} play(s)", s.title, s.play_count);
    }
    Ok(())
}
