use std::collections::{BTreeMap, HashMap, HashSet};
use thiserror::Error;

#[derive(Debug, Error)]
enum DirectoryError {
    #[error("employee {0} not found")]
    NotFound(u32),
    #[error("employee id {0} already exists")]
    Duplicate(u32),
    #[error("assigning {manager} as manager of {employee} would create a cycle")]
    Cycle { employee: u32, manager: u32 },
}

#[derive(Debug, Clone)]
struct Employee {
    id: u32,
    name: String,
    title: String,
    department: String,
    manager: Option<u32>,
    salary: u32,
}

#[derive(Default)]
struct Directory {
    employees: HashMap<u32, Employee>,
}

impl Directory {
    fn add(&mut self, id: u32, name: &str, title: &str, dept: &str, manager: Option<u32>, salary: u32) -> Result<(), DirectoryError> {
        if self.employees.contains_key(&id) {
            return Err(DirectoryError::Duplicate(id));
        }
        if let Some(m) = manager {
            if !self.employees.contains_key(&m) {
                return Err(DirectoryError::NotFound(m));
            }
        }
        self.employees.insert(id, Employee { id, name: name.into(), title: title.into(), department: dept.into(), manager, salary });
        Ok(())
    }

    fn get(&self, id: u32) -> Result<&Employee, DirectoryError> {
        self.employees.get(&id).ok_or(DirectoryError::NotFound(id))
    }

    fn direct_reports(&self, id: u32) -> Vec<&Employee> {
        let mut v: Vec<&Employee> = self.employees.values().filter(|e| e.manager == Some(id)).collect();
        v.sort_by(|a, b| a.name.cmp(&b.name));
        v
    }

    /// All reports, recursively, with their depth below `id`.
    fn all_reports(&self, id: u32) -> Vec<(usize, &Employee)> {
        let mut out = Vec::new();
        self.collect_reports(id, 1, &mut out);
        out
    }

    fn collect_reports<'a>(&'a self, id: u32, depth: usize, out: &mut Vec<(usize, &'a Employee)>) {
        for r in self.direct_reports(id) {
            out.push((depth, r));
            self.collect_reports(r.id, depth + 1, out);
        }
    }

    /// Chain from the employee up to the top of the organisation.
    fn chain_of_command(&self, id: u32) -> Result<Vec<&Employee>, DirectoryError> {
        let mut chain = vec![self.get(id)?];
        let mut seen = HashSet::from([id]);
        while let Some(m) = chain.last().and_then(|e| e.manager) {
            if !seen.insert(m) {
                break;
            }
            chain.push(self.get(m)?);
        }
        Ok(chain)
    }

    fn reassign(&mut self, employee: u32, new_manager: u32) -> Result<(), DirectoryError> {
        self.get(employee)?;
        self.get(new_manager)?;
        if employee == new_manager || self.all_reports(employee).iter().any(|(_, e)| e.id == new_manager) {
            return Err(DirectoryError::Cycle { employee, manager: new_manager });
        }
        self.employees.get_mut(&employee).unwrap().manager = Some(new_manager);
        Ok(())
    }

    fn print_tree(&self, id: u32, indent: usize) {
        if let Ok(e) = self.get(id) {
            println!("{}{} — {} ({})", "    ".repeat(indent), e.name, e.title, e.department);
            for r in self.direct_reports(id) {
                self.print_tree(r.id, indent + 1);
            }
        }
    }

    fn department_summary(&self) -> BTreeMap<&str, (usize, u64)> {
        let mut m: BTreeMap<&str, (usize, u64)> = BTreeMap::new();
        for e in self.employees.values() {
            let entry = m.entry(e.department.as_str()).or_insert((0, 0));
            entry.0 += 1;
            entry.1 += e.salary as u64;
        }
        m
    }
}

fn main() -> Result<(), DirectoryError> {
    let mut dir = Directory::default();
    dir.add(1, "Grace", "CEO", "Executive", None, 300_000)?;
    dir.add(2, "Alan", "CTO", "Engineering", Some(1), 250_000)?;
    dir.add(3, "Ada", "CFO", "Finance", Some(1), 240_000)?;
    dir.add(4, "Linus", "Engineering Manager", "Engineering", Some(2), 180_000)?;
    dir.add(5, "Margaret", "Engineering Manager", "Engineering", Some(2), 185_000)?;
    dir.add(6, "Ken", "Senior Engineer", "Engineering", Some(4), 160_000)?;
    dir.add(7, "Dennis", "Engineer", "Engineering", Some(4), 130_000)?;
    dir.add(8, "Barbara", "Engineer", "Engineering", Some(5), 135_000)?;
    dir.add(9, "Frances", "Intern", "Engineering", Some(6), 50_000)?;
    dir.add(10, "Katherine", "Accountant", "Finance", Some(3), 110_000)?;
    dir.add(11, "Hedy", "Analyst", "Finance", Some(3), 105_000)?;

    if let Err(e) = dir.add(12, "Ghost", "Phantom", "Nowhere", Some(99), 1) {
        println!("add failed: {}", e);
    }

    println!("Organisation chart:");
    dir.print_tree(1, 0);

    println!("\nAll reports of Alan (2), recursively:");
    for (depth, e) in dir.all_reports(2) {
        println!("  {}{} ({})", "  ".repeat(depth - 1), e.name, e.title);
    }

    for id in [9, 11] {
        let chain = dir.chain_of_command(id)?;
        let names: Vec<&str> = chain.iter().map(|e| e.name.as_str()).collect();
        println!("\nChain of command for {}: {}", names[0], names.join(" -> "));
    }

    println!("\nReassignments:");
    match dir.reassign(2, 9) {
        Ok(()) => println!("  moved Alan under Frances (unexpected!)"),
        Err(e) => println!("  refused: {}", e),
    }
    match dir.reassign(8, 4) {
        Ok(()) => println!("  moved Barbara under Linus"),
        Err(e) => println!("  refused: {}", e),
    }
    println!("  Linus now has {} direct reports, Margaret has {}", dir.direct_reports(4).len(), dir.direct_reports(5).len());

    println!("\nDepartments:");
    for (dept, (count, payroll)) in dir.department_summary() {
        println!("  {:<12} {:>2} people, payroll {:>9}, avg {:>8}", dept, count, payroll, payroll / count as u64);
    }
    let managers = dir.employees.values().filter(|e| !dir.direct_reports(e.id).is_empty()).count();
    println!("\n{} employees, {} managers", dir.employees.len(), managers);
    Ok(())
}
