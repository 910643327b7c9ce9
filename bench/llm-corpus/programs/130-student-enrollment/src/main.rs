use std::collections::{BTreeMap, HashMap};
use std::sync::mpsc;
use std::thread;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Day {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
}

#[derive(Debug, Clone, Copy)]
struct Slot {
    day: Day,
    start: u16,
    end: u16,
}

impl Slot {
    fn new(day: Day, start: (u16, u16), end: (u16, u16)) -> Self {
        Slot { day, start: start.0 * 60 + start.1, end: end.0 * 60 + end.1 }
    }
    fn overlaps(&self, other: &Slot) -> bool {
        self.day == other.day && self.start < other.end && other.start < self.end
    }
}

struct Course {
    code: &'static str,
    title: &'static str,
    capacity: usize,
    prerequisites: Vec<&'static str>,
    slots: Vec<Slot>,
}

struct Student {
    id: u32,
    name: &'static str,
    year: u8,
    completed: Vec<&'static str>,
    requests: Vec<&'static str>,
}

#[derive(Debug)]
enum Rejection {
    UnknownCourse,
    AlreadyCompleted,
    MissingPrerequisites(Vec<&'static str>),
    TimeConflict(&'static str),
}

#[derive(Debug)]
enum Screening {
    Eligible { student: u32, course: &'static str, year: u8, rank: usize },
    Rejected { student: u32, course: &'static str, reason: Rejection },
}

#[derive(Debug, Default)]
struct CourseResult {
    enrolled: Vec<u32>,
    waitlist: Vec<u32>,
}

fn screen_student(student: &Student, catalog: &HashMap<&'static str, Course>) -> Vec<Screening> {
    let mut out = Vec::new();
    let mut accepted: Vec<&Course> = Vec::new();
    for (rank, &code) in student.requests.iter().enumerate() {
        let reject = |reason| Screening::Rejected { student: student.id, course: code, reason };
        let Some(course) = catalog.get(code) else {
            out.push(reject(Rejection::UnknownCourse));
            continue;
        };
        if student.completed.contains(&code) {
            out.push(reject(Rejection::AlreadyCompleted));
            continue;
        }
        let missing: Vec<&'static str> =
            course.prerequisites.iter().copied().filter(|p| !student.completed.contains(p)).collect();
        if !missing.is_empty() {
            out.push(reject(Rejection::MissingPrerequisites(missing)));
            continue;
        }
        let clash = accepted
            .iter()
            .find(|other| other.slots.iter().any(|a| course.slots.iter().any(|b| a.overlaps(b))));
        if let Some(other) = clash {
            out.push(reject(Rejection::TimeConflict(other.code)));
            continue;
        }
        accepted.push(course);
        out.push(Screening::Eligible { student: student.id, course: code, year: student.year, rank });
    }
    out
}

/// Seats go to seniors first, then to students who ranked the course higher, then by id.
fn allocate(capacity: usize, mut requests: Vec<(u8, usize, u32)>) -> CourseResult {
    requests.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let ids: Vec<u32> = requests.into_iter().map(|(_, _, id)| id).collect();
    let split = capacity.min(ids.len());
    CourseResult { enrolled: ids[..split].to_vec(), waitlist: ids[split..].to_vec() }
}

fn catalog() -> HashMap<&'static str, Course> {
    use Day::*;
    let courses = vec![
        Course { code: "CS101", title: "Intro to Programming", capacity: 4, prerequisites: vec![], slots: vec![Slot::new(Mon, (9, 0), (10, 30)), Slot::new(Wed, (9, 0), (10, 30))] },
        Course { code: "CS201", title: "Data Structures", capacity: 3, prerequisites: vec!["CS101"], slots: vec![Slot::new(Tue, (10, 0), (11, 30)), Slot::new(Thu, (10, 0), (11, 30))] },
        Course { code: "CS301", title: "Algorithms", capacity: 2, prerequisites: vec!["CS201", "MATH201"], slots: vec![Slot::new(Mon, (13, 0), (14, 30)), Slot::new(Wed, (13, 0), (14, 30))] },
        Course { code: "CS350", title: "Databases", capacity: 2, prerequisites: vec!["CS201"], slots: vec![Slot::new(Wed, (13, 30), (15, 0))] },
        Course { code: "MATH101", title: "Calculus I", capacity: 4, prerequisites: vec![], slots: vec![Slot::new(Mon, (10, 0), (11, 0)), Slot::new(Fri, (10, 0), (11, 0))] },
        Course { code: "MATH201", title: "Linear Algebra", capacity: 3, prerequisites: vec!["MATH101"], slots: vec![Slot::new(Tue, (13, 0), (14, 30))] },
        Course { code: "PHYS101", title: "Physics I", capacity: 3, prerequisites: vec!["MATH101"], slots: vec![Slot::new(Thu, (10, 30), (12, 0))] },
        Course { code: "ENG110", title: "Academic Writing", capacity: 5, prerequisites: vec![], slots: vec![Slot::new(Fri, (14, 0), (15, 30))] },
    ];
    courses.into_iter().map(|c| (c.code, c)).collect()
}

fn students() -> Vec<Student> {
    let s = |id, name, year, completed: &[&'static str], requests: &[&'static str]| Student {
        id,
        name,
        year,
        completed: completed.to_vec(),
        requests: requests.to_vec(),
    };
    vec![
        s(1, "Ada", 3, &["CS101", "CS201", "MATH101", "MATH201"], &["CS301", "CS350", "ENG110"]),
        s(2, "Brian", 1, &[], &["CS101", "MATH101", "ENG110"]),
        s(3, "Chen", 2, &["CS101", "MATH101"], &["CS201", "PHYS101", "MATH201"]),
        s(4, "Dana", 4, &["CS101", "CS201", "MATH101", "MATH201"], &["CS301", "ENG110", "CS350"]),
        s(5, "Eli", 1, &[], &["CS101", "ENG110", "CS201"]),
        s(6, "Fatima", 2, &["CS101", "MATH101"], &["CS201", "MATH201", "ENG110"]),
        s(7, "Goran", 3, &["CS101", "CS201", "MATH101"], &["CS301", "CS350", "MATH201"]),
        s(8, "Hana", 1, &[], &["MATH101", "CS101", "BIO100"]),
        s(9, "Ivan", 2, &["CS101"], &["CS201", "MATH101", "CS101"]),
        s(10, "Jules", 1, &[], &["CS101", "MATH101", "PHYS101"]),
        s(11, "Kemal", 3, &["CS101", "CS201", "MATH101", "MATH201"], &["CS301", "CS350"]),
        s(12, "Lena", 2, &["MATH101", "CS101"], &["PHYS101", "CS201", "MATH201"]),
        s(13, "Mika", 1, &[], &["CS101", "ENG110"]),
        s(14, "Nora", 4, &["CS101", "MATH101"], &["CS201", "MATH201", "ENG110"]),
    ]
}

fn main() {
    let catalog = catalog();
    let students = students();
    let names: HashMap<u32, &str> = students.iter().map(|s| (s.id, s.name)).collect();

    // Phase 1: screen requests in parallel, one chunk of students per thread.
    let screened: Vec<Screening> = thread::scope(|scope| {
        let (tx, rx) = mpsc::channel();
        let catalog = &catalog;
        for chunk in students.chunks(4) {
            let tx = tx.clone();
            scope.spawn(move || {
                for student in chunk {
                    for result in screen_student(student, catalog) {
                        tx.send(result).expect("receiver alive");
                    }
                }
            });
        }
        drop(tx);
        rx.iter().collect()
    });

    let mut per_course: HashMap<&'static str, Vec<(u8, usize, u32)>> = HashMap::new();
    let mut rejections: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for s in &screened {
        match s {
            Screening::Eligible { student, course, year, rank } => {
                per_course.entry(course).or_default().push((*year, *rank, *student))
            }
            Screening::Rejected { student, course, reason } => {
                rejections.entry(*student).or_default().push(format!("{course}: {reason:?}"))
            }
        }
    }

    // Phase 2: allocate seats per course in parallel and merge through a channel.
    let mut results: BTreeMap<&'static str, CourseResult> = thread::scope(|scope| {
        let (tx, rx) = mpsc::channel();
        for (code, requests) in per_course {
            let tx = tx.clone();
            let capacity = catalog[code].capacity;
            scope.spawn(move || {
                tx.send((code, allocate(capacity, requests))).expect("receiver alive");
            });
        }
        drop(tx);
        rx.iter().collect()
    });
    for code in catalog.keys() {
        results.entry(code).or_default();
    }

    // A few drops after registration: the first waitlisted student gets the seat.
    for (student, code) in [(4u32, "CS301"), (2, "CS101")] {
        if let Some(r) = results.get_mut(code) {
            if let Some(pos) = r.enrolled.iter().position(|&id| id == student) {
                r.enrolled.remove(pos);
                let promoted = if r.waitlist.is_empty() { None } else { Some(r.waitlist.remove(0)) };
                if let Some(p) = promoted {
                    r.enrolled.push(p);
                }
                println!(
                    "{} dropped {code}; {}",
                    names[&student],
                    promoted.map(|p| format!("{} promoted from waitlist", names[&p])).unwrap_or("no one waiting".into())
                );
            }
        }
    }

    println!("\n{:<8} {:<22} {:>9}  {:<34} waitlist", "course", "title", "seats", "enrolled");
    for (code, r) in &results {
        let course = &catalog[code];
        let list = |ids: &[u32]| ids.iter().map(|id| names[id]).collect::<Vec<_>>().join(", ");
        println!(
            "{:<8} {:<22} {:>4}/{:<4}  {:<34} {}",
            code,
            course.title,
            r.enrolled.len(),
            course.capacity,
            list(&r.enrolled),
            list(&r.waitlist)
        );
    }

    println!("\nPer-student outcome:");
    for student in &students {
        let enrolled: Vec<&str> = results.iter().filter(|(_, r)| r.enrolled.contains(&student.id)).map(|(c, _)| *c).collect();
        let waiting: Vec<&str> = results.iter().filter(|(_, r)| r.waitlist.contains(&student.id)).map(|(c, _)| *c).collect();
        println!("  {:<7} (year {}) enrolled: {:?} waitlisted: {:?}", student.name, student.year, enrolled, waiting);
        for reason in rejections.get(&student.id).into_iter().flatten() {
            println!("           rejected {reason}");
        }
    }

    let seats: usize = catalog.values().map(|c| c.capacity).sum();
    let filled: usize = results.values().map(|r| r.enrolled.len()).sum();
    let waiting: usize = results.values().map(|r| r.waitlist.len()).sum();
    println!(
        "\n{} requests screened, {filled}/{seats} seats filled ({:.0}%), {waiting} on waitlists, {} rejected",
        screened.len(),
        100.0 * filled as f64 / seats as f64,
        rejections.values().map(Vec::len).sum::<usize>()
    );
}
