//! meeting-rooms: assign meetings to the minimum number of rooms and print
//! the resulting schedule.
//!
//! Usage: meeting-rooms [FILE]
//! Each non-comment line of FILE is `title, HH:MM, HH:MM`.

use itertools::Itertools;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::env;
use std::fs;

const SAMPLE: &str = "\
# title, start, end
Standup, 09:00, 09:15
Design review, 09:00, 10:30
1:1 Alice/Bob, 09:30, 10:00
Hiring sync, 10:00, 11:00
Budget planning, 10:15, 12:00
Lunch & learn, 12:00, 13:00
Customer call, 11:30, 12:30
Sprint planning, 13:00, 14:30
Incident retro, 13:30, 14:00
Architecture, 14:00, 15:30
1:1 Carol/Dan, 14:00, 14:30
Late sync, 15:30, 16:00
All hands, 16:00, 17:00
";

/// Slot width in minutes for the ASCII timeline.
const SLOT: u32 = 15;

#[derive(Debug, Clone)]
struct Meeting {
    id: usize,
    title: String,
    start: u32, // minutes since midnight
    end: u32,
}

#[derive(Debug, Clone)]
struct Assignment {
    room: usize,
    meeting: Meeting,
}

fn parse_time(s: &str) -> Option<u32> {
    let (h, m) = s.trim().split_once(':')?;
    let h: u32 = h.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    (h < 24 && m < 60).then_some(h * 60 + m)
}

fn fmt_time(t: u32) -> String {
    format!("{:02}:{:02}", t / 60, t % 60)
}

fn parse_line(idx: usize, line: &str) -> Option<Meeting> {
    let fields: Vec<&str> = line.split(',').map(str::trim).collect();
    match fields.as_slice() {
        [title, start, end] => {
            let (start, end) = (parse_time(start)?, parse_time(end)?);
            (start < end).then(|| Meeting {
                id: idx + 1,
                title: title.to_string(),
                start,
                end,
            })
        }
        _ => None,
    }
}

/// Lazily parse meetings from the input text, skipping comments and bad lines.
fn parse_meetings(input: &str) -> impl Iterator<Item = Meeting> + '_ {
    input
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .enumerate()
        .filter_map(|(idx, line)| {
            parse_line(idx, line).or_else(|| {
                eprintln!("warning: skipping malformed line: {line:?}");
                None
            })
        })
}

/// Greedy interval partitioning: process meetings by start time and reuse the
/// lowest-numbered room that has become free. This is optimal: the number of
/// rooms equals the maximum number of overlapping meetings.
fn assign_rooms(meetings: Vec<Meeting>) -> Vec<Assignment> {
    let (assignments, _busy, _free) = meetings
        .into_iter()
        .sorted_by(|a, b| a.start.cmp(&b.start).then(a.end.cmp(&b.end)))
        .fold(
            (
                Vec::<Assignment>::new(),
                BinaryHeap::<Reverse<(u32, usize)>>::new(),
                BinaryHeap::<Reverse<usize>>::new(),
            ),
            |(mut out, mut busy, mut free), meeting| {
                // Release every room whose meeting ended by now.
                while let Some(&Reverse((end, room))) = busy.peek() {
                    if end <= meeting.start {
                        busy.pop();
                        free.push(Reverse(room));
                    } else {
                        break;
                    }
                }
                let room = match free.pop() {
                    Some(Reverse(room)) => room,
                    None => busy.len() + 1,
                };
                busy.push(Reverse((meeting.end, room)));
                out.push(Assignment { room, meeting });
                (out, busy, free)
            },
        );
    assignments
}

/// Maximum number of meetings running at the same instant (sweep line).
fn peak_overlap(meetings: &[Meeting]) -> usize {
    meetings
        .iter()
        .flat_map(|m| [(m.start, 1i32), (m.end, -1i32)])
        // Ends sort before starts at the same instant, so back-to-back
        // meetings do not count as overlapping.
        .sorted_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)))
        .fold((0i32, 0i32), |(cur, peak), (_, delta)| {
            let cur = cur + delta;
            (cur, peak.max(cur))
        })
        .1 as usize
}

/// Group assignments by room, each room's meetings in start order.
fn by_room(assignments: &[Assignment]) -> impl Iterator<Item = (usize, Vec<&Assignment>)> + '_ {
    let grouped = assignments
        .iter()
        .sorted_by_key(|a| (a.room, a.meeting.start))
        .group_by(|a| a.room);
    let rooms: Vec<(usize, Vec<&Assignment>)> = grouped
        .into_iter()
        .map(|(room, group)| (room, group.collect()))
        .collect();
    rooms.into_iter()
}

/// One character per time slot: '#' while the room is busy, '.' when free.
fn timeline<'a>(list: &'a [&'a Assignment], from: u32, to: u32) -> impl Iterator<Item = char> + 'a {
    (from..to).step_by(SLOT as usize).map(move |t| {
        if list.iter().any(|a| a.meeting.start <= t && t < a.meeting.end) {
            '#'
        } else {
            '.'
        }
    })
}

fn main() {
    let input = match env::args().nth(1) {
        Some(path) => fs::read_to_string(&path).unwrap_or_else(|e| {
            eprintln!("could not read {path}: {e}; falling back to sample data");
            SAMPLE.to_string()
        }),
        None => SAMPLE.to_string(),
    };

    let meetings: Vec<Meeting> = parse_meetings(&input).collect();
    if meetings.is_empty() {
        println!("No meetings to schedule.");
        return;
    }

    let peak = peak_overlap(&meetings);
    let assignments = assign_rooms(meetings.clone());
    let rooms_used = assignments.iter().map(|a| a.room).max().unwrap_or(0);

    println!(
        "Scheduled {} meetings into {} room(s); peak overlap is {}.",
        assignments.len(),
        rooms_used,
        peak
    );
    if rooms_used != peak {
        eprintln!("warning: room count differs from the theoretical minimum!");
    }

    println!("\nAssignments (by start time):");
    println!("{:<4} {:<18} {:<6} {:<6} {}", "#", "Meeting", "Start", "End", "Room");
    for a in assignments.iter().sorted_by_key(|a| (a.meeting.start, a.room)) {
        println!(
            "{:<4} {:<18} {:<6} {:<6} Room {}",
            a.meeting.id,
            a.meeting.title,
            fmt_time(a.meeting.start),
            fmt_time(a.meeting.end),
            a.room
        );
    }

    let day_start = meetings.iter().map(|m| m.start).min().unwrap_or(0) / 60 * 60;
    let day_end = (meetings.iter().map(|m| m.end).max().unwrap_or(0) + 59) / 60 * 60;
    let span = (day_end - day_start).max(1);

    println!("\nRoom timeline ({}-minute slots):", SLOT);
    let header: String = (day_start / 60..day_end / 60)
        .map(|h| format!("{:<width$}", format!("{h:02}"), width = (60 / SLOT) as usize))
        .collect();
    println!("{:<8} {}", "", header);

    for (room, list) in by_room(&assignments) {
        let row: String = timeline(&list, day_start, day_end).collect();
        let busy: u32 = list.iter().map(|a| a.meeting.end - a.meeting.start).sum();
        println!(
            "Room {:<3} {}  {:>3}% used",
            room,
            row,
            busy * 100 / span
        );
        let titles = list
            .iter()
            .map(|a| format!("{} {}-{}", a.meeting.title, fmt_time(a.meeting.start), fmt_time(a.meeting.end)))
            .join(" | ");
        println!("         {}", titles);
    }
}
