//! School timetable builder.
//!
//! Every lesson (a group studying a subject) needs a qualified teacher, a room
//! that is big enough (a lab for science) and a time slot, such that no teacher,
//! room or group is double-booked and a group never has the same subject twice
//! on one day. Several tokio workers run a backtracking search with different
//! heuristics. They share the winning timetable through `Arc<RwLock<..>>`, their
//! search statistics through `Arc<Mutex<..>>` and a cancellation flag.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

const DAYS: [&str; 3] = ["Mon", "Tue", "Wed"];
const PERIODS_PER_DAY: usize = 2;
const WORKERS: usize = 4;

#[derive(Debug, Clone)]
struct Teacher {
    name: String,
    subjects: Vec<&'static str>,
    unavailable: Vec<usize>,
}

impl Teacher {
    fn teaches(&self, subject: &str) -> bool {
        self.subjects.iter().any(|s| *s == subject)
    }
}

#[derive(Debug, Clone)]
struct Room {
    name: String,
    capacity: u32,
    is_lab: bool,
}

#[derive(Debug, Clone)]
struct Group {
    name: String,
    size: u32,
}

#[derive(Debug, Clone)]
struct Lesson {
    group: usize,
    subject: &'static str,
    needs_lab: bool,
}

#[derive(Debug, Clone, Copy)]
struct Assignment {
    lesson: usize,
    teacher: usize,
    room: usize,
    slot: usize,
}

#[derive(Debug)]
struct Problem {
    teachers: Vec<Teacher>,
    rooms: Vec<Room>,
    groups: Vec<Group>,
    lessons: Vec<Lesson>,
    slots: usize,
}

impl Problem {
    fn slot_name(&self, slot: usize) -> String {
        format!("{} P{}", DAYS[slot / PERIODS_PER_DAY], slot % PERIODS_PER_DAY + 1)
    }

    fn qualified_teachers(&self, subject: &str) -> usize {
        self.teachers.iter().filter(|t| t.teaches(subject)).count()
    }
}

/// Mutable bookkeeping for one worker's depth-first search.
struct SearchState {
    teacher_busy: Vec<Vec<bool>>,
    room_busy: Vec<Vec<bool>>,
    group_busy: Vec<Vec<bool>>,
    plan: Vec<Assignment>,
}

impl SearchState {
    fn new(p: &Problem) -> Self {
        SearchState {
            teacher_busy: vec![vec![false; p.slots]; p.teachers.len()],
            room_busy: vec![vec![false; p.slots]; p.rooms.len()],
            group_busy: vec![vec![false; p.slots]; p.groups.len()],
            plan: Vec::with_capacity(p.lessons.len()),
        }
    }

    fn mark(&mut self, p: &Problem, a: Assignment, busy: bool) {
        let group = p.lessons[a.lesson].group;
        self.teacher_busy[a.teacher][a.slot] = busy;
        self.room_busy[a.room][a.slot] = busy;
        self.group_busy[group][a.slot] = busy;
    }

    fn place(&mut self, p: &Problem, a: Assignment) {
        self.mark(p, a, true);
        self.plan.push(a);
    }

    fn undo(&mut self, p: &Problem, a: Assignment) {
        self.mark(p, a, false);
        self.plan.pop();
    }

    fn same_subject_that_day(&self, p: &Problem, lesson: &Lesson, slot: usize) -> bool {
        self.plan.iter().any(|a| {
            let other = &p.lessons[a.lesson];
            other.group == lesson.group
                && other.subject == lesson.subject
                && a.slot / PERIODS_PER_DAY == slot / PERIODS_PER_DAY
        })
    }
}

fn backtrack(
    p: &Problem,
    order: &[usize],
    slot_order: &[usize],
    depth: usize,
    state: &mut SearchState,
    nodes: &mut u64,
    stop: &AtomicBool,
) -> bool {
    if depth == order.len() {
        return true;
    }
    if stop.load(Ordering::Relaxed) {
        return false;
    }
    let lesson_idx = order[depth];
    let lesson = &p.lessons[lesson_idx];
    let group_size = p.groups[lesson.group].size;

    for &slot in slot_order {
        if state.group_busy[lesson.group][slot] || state.same_subject_that_day(p, lesson, slot) {
            continue;
        }
        for (ti, teacher) in p.teachers.iter().enumerate() {
            if !teacher.teaches(lesson.subject)
                || teacher.unavailable.contains(&slot)
                || state.teacher_busy[ti][slot]
            {
                continue;
            }
            for (ri, room) in p.rooms.iter().enumerate() {
                if state.room_busy[ri][slot]
                    || room.capacity < group_size
                    || (lesson.needs_lab && !room.is_lab)
                {
                    continue;
                }
                *nodes += 1;
                let a = Assignment { lesson: lesson_idx, teacher: ti, room: ri, slot };
                state.place(p, a);
                if backtrack(p, order, slot_order, depth + 1, state, nodes, stop) {
                    return true;
                }
                state.undo(p, a);
            }
        }
    }
    false
}

/// Each worker gets its own lesson ordering and slot ordering.
fn plan_strategy(p: &Problem, worker: usize) -> (String, Vec<usize>, Vec<usize>) {
    let mut order: Vec<usize> = (0..p.lessons.len()).collect();
    let label = if worker % 2 == 0 {
        order.sort_by_key(|&i| {
            let l = &p.lessons[i];
            (!l.needs_lab, p.qualified_teachers(l.subject), l.group)
        });
        "most-constrained first"
    } else {
        order.reverse();
        "reverse input order"
    };
    let shift = (worker * 2) % p.slots;
    let mut slots: Vec<usize> = (0..p.slots).collect();
    slots.rotate_left(shift);
    (format!("{label}, slots rotated by {shift}"), order, slots)
}

fn verify(p: &Problem, plan: &[Assignment]) -> Vec<String> {
    let mut issues = Vec::new();
    let mut usage: HashMap<(&'static str, usize, usize), usize> = HashMap::new();
    for a in plan {
        let lesson = &p.lessons[a.lesson];
        for key in [("teacher", a.teacher, a.slot), ("room", a.room, a.slot), ("group", lesson.group, a.slot)] {
            *usage.entry(key).or_insert(0) += 1;
        }
        if !p.teachers[a.teacher].teaches(lesson.subject) {
            issues.push(format!("{} cannot teach {}", p.teachers[a.teacher].name, lesson.subject));
        }
        if p.rooms[a.room].capacity < p.groups[lesson.group].size {
            issues.push(format!("room {} too small for {}", p.rooms[a.room].name, p.groups[lesson.group].name));
        }
        if p.teachers[a.teacher].unavailable.contains(&a.slot) {
            issues.push(format!("{} is unavailable in {}", p.teachers[a.teacher].name, p.slot_name(a.slot)));
        }
    }
    for ((kind, idx, slot), count) in &usage {
        if *count > 1 {
            issues.push(format!("{kind} #{idx} double-booked in {}", p.slot_name(*slot)));
        }
    }
    if plan.len() != p.lessons.len() {
        issues.push(format!("only {} of {} lessons placed", plan.len(), p.lessons.len()));
    }
    issues
}

fn print_timetable(p: &Problem, plan: &[Assignment]) {
    print!("{:<8}", "Slot");
    for g in &p.groups {
        print!("| {:<26}", format!("{} ({} pupils)", g.name, g.size));
    }
    println!();
    println!("{}", "-".repeat(8 + 28 * p.groups.len()));
    for slot in 0..p.slots {
        print!("{:<8}", p.slot_name(slot));
        for gi in 0..p.groups.len() {
            let cell = plan
                .iter()
                .find(|a| a.slot == slot && p.lessons[a.lesson].group == gi)
                .map(|a| {
                    format!(
                        "{} ({}, {})",
                        p.lessons[a.lesson].subject, p.teachers[a.teacher].name, p.rooms[a.room].name
                    )
                })
                .unwrap_or_else(|| "-".to_string());
            print!("| {:<26}", cell);
        }
        println!();
    }
}

fn print_teacher_load(p: &Problem, plan: &[Assignment]) {
    println!("\nTeacher load:");
    for (ti, t) in p.teachers.iter().enumerate() {
        let slots: Vec<String> = plan
            .iter()
            .filter(|a| a.teacher == ti)
            .map(|a| format!("{} {}", p.slot_name(a.slot), p.groups[p.lessons[a.lesson].group].name))
            .collect();
        println!("  {:<6} {} lesson(s): {}", t.name, slots.len(), slots.join(", "));
    }
}

fn build_problem() -> Problem {
    let teachers = vec![
        Teacher { name: "Alice".into(), subjects: vec!["Math"], unavailable: vec![0] },
        Teacher { name: "Bob".into(), subjects: vec!["Math", "Science"], unavailable: vec![] },
        Teacher { name: "Carol".into(), subjects: vec!["English", "History"], unavailable: vec![5] },
        Teacher { name: "Dan".into(), subjects: vec!["Science"], unavailable: vec![2, 3] },
        Teacher { name: "Eve".into(), subjects: vec!["English", "History", "Art"], unavailable: vec![] },
    ];
    let rooms = vec![
        Room { name: "R101".into(), capacity: 30, is_lab: false },
        Room { name: "R102".into(), capacity: 26, is_lab: false },
        Room { name: "Lab".into(), capacity: 30, is_lab: true },
    ];
    let groups = vec![
        Group { name: "7A".into(), size: 28 },
        Group { name: "7B".into(), size: 24 },
        Group { name: "8A".into(), size: 30 },
    ];
    let mut lessons = Vec::new();
    for (g, group) in groups.iter().enumerate() {
        let subjects: &[&'static str] = if group.name == "8A" {
            &["Math", "Math", "English", "Science", "Art"]
        } else {
            &["Math", "Math", "English", "Science", "History"]
        };
        for &subject in subjects {
            lessons.push(Lesson { group: g, subject, needs_lab: subject == "Science" });
        }
    }
    Problem { teachers, rooms, groups, lessons, slots: DAYS.len() * PERIODS_PER_DAY }
}

#[derive(Debug)]
struct WorkerReport {
    worker: usize,
    strategy: String,
    found: bool,
    won: bool,
    nodes: u64,
}

#[tokio::main]
async fn main() {
    let problem = Arc::new(build_problem());
    println!(
        "Timetabling {} lessons for {} groups into {} slots ({} teachers, {} rooms) with {} workers\n",
        problem.lessons.len(),
        problem.groups.len(),
        problem.slots,
        problem.teachers.len(),
        problem.rooms.len(),
        WORKERS
    );

    let winner: Arc<RwLock<Option<(usize, Vec<Assignment>)>>> = Arc::new(RwLock::new(None));
    let explored: Arc<Mutex<HashMap<usize, u64>>> = Arc::new(Mutex::new(HashMap::new()));
    let stop = Arc::new(AtomicBool::new(false));

    let mut handles = Vec::with_capacity(WORKERS);
    for worker in 0..WORKERS {
        let problem = Arc::clone(&problem);
        let winner = Arc::clone(&winner);
        let explored = Arc::clone(&explored);
        let stop = Arc::clone(&stop);
        handles.push(tokio::spawn(async move {
            let (strategy, order, slot_order) = plan_strategy(&problem, worker);
            let mut state = SearchState::new(&problem);
            let mut nodes = 0u64;
            let found = backtrack(&problem, &order, &slot_order, 0, &mut state, &mut nodes, &stop);
            let mut won = false;
            if found {
                let mut best = winner.write().expect("winner lock poisoned");
                if best.is_none() {
                    *best = Some((worker, state.plan.clone()));
                    stop.store(true, Ordering::Relaxed);
                    won = true;
                }
            }
            explored.lock().expect("stats lock poisoned").insert(worker, nodes);
            WorkerReport { worker, strategy, found, won, nodes }
        }));
    }

    for handle in handles {
        match handle.await {
            Ok(r) => {
                let status = if r.won {
                    "WON"
                } else if r.found {
                    "found a solution (too late)"
                } else {
                    "stopped / no solution"
                };
                println!("worker {}: {:<42} nodes={:<7} {}", r.worker, r.strategy, r.nodes, status);
            }
            Err(e) => eprintln!("worker crashed: {e}"),
        }
    }
    let total: u64 = explored.lock().expect("stats lock poisoned").values().sum();
    println!("total search nodes across workers: {total}\n");

    let best = winner.read().expect("winner lock poisoned");
    match best.as_ref() {
        Some((worker, plan)) => {
            println!("Timetable found by worker {worker}:\n");
            print_timetable(&problem, plan);
            print_teacher_load(&problem, plan);
            let issues = verify(&problem, plan);
            if issues.is_empty() {
                println!("\nVerification: OK - no conflicts, all {} lessons placed.", plan.len());
            } else {
                for issue in issues {
                    println!("CONFLICT: {issue}");
                }
            }
        }
        None => println!("No conflict-free timetable exists for this input."),
    }
}
