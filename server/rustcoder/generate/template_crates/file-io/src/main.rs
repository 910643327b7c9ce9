use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::Path;

#[derive(Debug, PartialEq)]
struct Record {
    name: String,
    amount: i64,
}

fn read_records(path: &Path) -> io::Result<Vec<Record>> {
    let reader = BufReader::new(File::open(path)?);
    let mut records = Vec::new();
    for line in reader.lines() {
        let line = line?;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, amount) = line
            .split_once(',')
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, format!("bad line: {line}")))?;
        let amount = amount
            .trim()
            .parse()
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("{line}: {e}")))?;
        records.push(Record { name: name.trim().to_string(), amount });
    }
    Ok(records)
}

fn write_summary(path: &Path, records: &[Record]) -> io::Result<()> {
    let mut out = BufWriter::new(File::create(path)?);
    let total: i64 = records.iter().map(|r| r.amount).sum();
    writeln!(out, "records: {}", records.len())?;
    writeln!(out, "total: {total}")?;
    out.flush()
}

fn main() -> io::Result<()> {
    let dir = std::env::temp_dir();
    let input = dir.join("ledger_input.csv");
    std::fs::write(&input, "# name,amount\nrent, -900\nsalary, 2500\n")?;
    let records = read_records(&input)?;
    let output = dir.join("ledger_summary.txt");
    write_summary(&output, &records)?;
    print!("{}", std::fs::read_to_string(&output)?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_summarises() {
        let dir = std::env::temp_dir().join(format!("ledger_test_{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let input = dir.join("in.csv");
        std::fs::write(&input, "a, 5\n\nb,-2\n").unwrap();
        let records = read_records(&input).unwrap();
        assert_eq!(records[1], Record { name: "b".into(), amount: -2 });
        let output = dir.join("out.txt");
        write_summary(&output, &records).unwrap();
        assert_eq!(std::fs::read_to_string(&output).unwrap(), "records: 2\ntotal: 3\n");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn bad_lines_are_errors() {
        let path = std::env::temp_dir().join(format!("ledger_bad_{}.csv", std::process::id()));
        std::fs::write(&path, "no comma here\n").unwrap();
        assert_eq!(read_records(&path).unwrap_err().kind(), io::ErrorKind::InvalidData);
        std::fs::remove_file(&path).unwrap();
    }
}
