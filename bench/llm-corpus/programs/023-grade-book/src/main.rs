use anyhow::{bail, Result};
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
struct Assignment {
    name: String,
    max_points: f64,
    weight: f64,
}

#[derive(Debug, Default)]
struct Student {
    name: String,
    scores: BTreeMap<String, f64>,
}

#[derive(Default)]
struct GradeBook {
    assignments: Vec<Assignment>,
    students: BTreeMap<String, Student>,
}

fn letter(pct: f64) -> &'static str {
    match pct {
        p if p >= 93.0 => "A",
        p if p >= 90.0 => "A-",
        p if p >= 87.0 => "B+",
        p if p >= 83.0 => "B",
        p if p >= 80.0 => "B-",
        p if p >= 77.0 => "C+",
        p if p >= 70.0 => "C",
        p if p >= 60.0 => "D",
        _ => "F",
    }
}

impl GradeBook {
    fn add_assignment(&mut self, name: &str, max_points: f64, weight: f64) {
        self.assignments.push(Assignment { name: name.into(), max_points, weight });
    }

    fn add_student(&mut self, name: &str) {
        self.students.entry(name.to_string()).or_insert_with(|| Student { name: name.into(), ..Default::default() });
    }

    fn record(&mut self, student: &str, assignment: &str, points: f64) -> Result<()> {
        let a = match self.assignments.iter().find(|a| a.name == assignment) {
            Some(a) => a,
            None => bail!("unknown assignment '{}'", assignment),
        };
        if points < 0.0 || points > a.max_points {
            bail!("score {} out of range 0..={} for '{}'", points, a.max_points, assignment);
        }
        let s = match self.students.get_mut(student) {
            Some(s) => s,
            None => bail!("unknown student '{}'", student),
        };
        s.scores.insert(assignment.to_string(), points);
        Ok(())
    }

    /// Weighted average over the assignments the student has a score for
    /// (missing work counts as zero).
    fn weighted_average(&self, student: &Student) -> f64 {
        let total_weight: f64 = self.assignments.iter().map(|a| a.weight).sum();
        if total_weight == 0.0 {
            return 0.0;
        }
        self.assignments
            .iter()
            .map(|a| {
                let pts = student.scores.get(&a.name).copied().unwrap_or(0.0);
                pts / a.max_points * 100.0 * a.weight
            })
            .sum::<f64>()
            / total_weight
    }

    fn report(&self) {
        print!("{:<10}", "Student");
        for a in &self.assignments {
            print!(" {:>9}", a.name);
        }
        println!(" {:>8} {:>6}", "Average", "Grade");
        for s in self.students.values() {
            print!("{:<10}", s.name);
            for a in &self.assignments {
                match s.scores.get(&a.name) {
                    Some(p) => print!(" {:>9.1}", p),
                    None => print!(" {:>9}", "-"),
                }
            }
            let avg = self.weighted_average(s);
            println!(" {:>7.2}% {:>6}", avg, letter(avg));
        }
    }

    fn class_stats(&self) {
        let avgs: Vec<f64> = self.students.values().map(|s| self.weighted_average(s)).collect();
        if avgs.is_empty() {
            return;
        }
        let n = avgs.len() as f64;
        let mean = avgs.iter().sum::<f64>() / n;
        let sd = (avgs.iter().map(|a| (a - mean).powi(2)).sum::<f64>() / n).sqrt();
        let mut sorted = avgs.clone();
        sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let median = if sorted.len() % 2 == 0 {
            (sorted[sorted.len() / 2 - 1] + sorted[sorted.len() / 2]) / 2.0
        } else {
            sorted[sorted.len() / 2]
        };
        println!("\nClass statistics ({} students)", avgs.len());
        println!("  mean {:.2}, median {:.2}, std dev {:.2}, min {:.2}, max {:.2}", mean, median, sd, sorted[0], sorted[sorted.len() - 1]);

        let mut dist: BTreeMap<&str, usize> = BTreeMap::new();
        for a in &avgs {
            *dist.entry(letter(*a)).or_insert(0) += 1;
        }
        println!("  grade distribution: {}", dist.iter().map(|(g, c)| format!("{}={}", g, c)).collect::<Vec<_>>().join(", "));

        for a in &self.assignments {
            let scores: Vec<f64> = self.students.values().filter_map(|s| s.scores.get(&a.name)).map(|p| p / a.max_points * 100.0).collect();
            if !scores.is_empty() {
                println!("  {:<10} avg {:>6.2}% ({} submitted)", a.name, scores.iter().sum::<f64>() / scores.len() as f64, scores.len());
            }
        }
    }

    fn to_csv(&self) -> Result<String> {
        let mut wtr = csv::Writer::from_writer(Vec::new());
        let mut header = vec!["student".to_string()];
        header.extend(self.assignments.iter().map(|a| a.name.clone()));
        header.push("average".into());
        header.push("grade".into());
        wtr.write_record(&header)?;
        for s in self.students.values() {
            let mut row = vec![s.name.clone()];
            for a in &self.assignments {
                row.push(s.scores.get(&a.name).map(|p| p.to_string()).unwrap_or_default());
            }
            let avg = self.weighted_average(s);
            row.push(format!("{:.2}", avg));
            row.push(letter(avg).to_string());
            wtr.write_record(&row)?;
        }
        Ok(String::from_utf8(wtr.into_inner()?)?)
    }
}

fn main() -> Result<()> {
    let mut gb = GradeBook::default();
    gb.add_assignment("HW1", 20.0, 0.15);
    gb.add_assignment("HW2", 20.0, 0.15);
    gb.add_assignment("Midterm", 100.0, 0.30);
    gb.add_assignment("Final", 100.0, 0.40);

    for name in ["Alice", "Bob", "Carmen", "Dmitri", "Eve"] {
        gb.add_student(name);
    }

    let scores: &[(&str, &str, f64)] = &[
        ("Alice", "HW1", 19.0), ("Alice", "HW2", 20.0), ("Alice", "Midterm", 91.0), ("Alice", "Final", 95.0),
        ("Bob", "HW1", 14.0), ("Bob", "HW2", 16.5), ("Bob", "Midterm", 72.0), ("Bob", "Final", 80.0),
        ("Carmen", "HW1", 18.0), ("Carmen", "Midterm", 85.0), ("Carmen", "Final", 88.0),
        ("Dmitri", "HW1", 10.0), ("Dmitri", "HW2", 12.0), ("Dmitri", "Midterm", 55.0), ("Dmitri", "Final", 61.0),
        ("Eve", "HW1", 20.0), ("Eve", "HW2", 19.0), ("Eve", "Midterm", 98.0), ("Eve", "Final", 89.5),
        ("Eve", "HW3", 10.0), ("Zed", "HW1", 5.0), ("Bob", "HW1", 25.0),
    ];
    for (student, assignment, points) in scores {
        if let Err(e) = gb.record(student, assignment, *points) {
            println!("skipped: {}", e);
        }
    }
    println!();
    gb.report();
    gb.class_stats();

    let csv_text = gb.to_csv()?;
    let out = std::env::args().nth(1).unwrap_or_else(|| "grades.csv".to_string());
    std::fs::write(&out, &csv_text)?;
    println!("\nExported to {}:\n{}", out, csv_text);
    Ok(())
}
