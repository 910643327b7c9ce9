use std::env;
use std::fs;
use std::process;
use std::str::FromStr;

struct Options {
    path: Option<String>,
    bins: usize,
    width: usize,
    range: Option<(f64, f64)>,
}

const USAGE: &str = "usage: histogram-ascii [--bins N] [--width W] [--min X --max Y] [FILE]";

fn next_value<T: FromStr>(args: &mut impl Iterator<Item = String>, flag: &str) -> Result<T, String> {
    let raw = args
        .next()
        .ok_or_else(|| format!("{} needs a value", flag))?;
    raw.parse()
        .map_err(|_| format!("invalid value `{}` for {}", raw, flag))
}

fn parse_args() -> Result<Options, String> {
    let mut opts = Options {
        path: None,
        bins: 10,
        width: 50,
        range: None,
    };
    let (mut min, mut max) = (None, None);
    let mut args = env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-b" | "--bins" => opts.bins = next_value(&mut args, &arg)?,
            "-w" | "--width" => opts.width = next_value(&mut args, &arg)?,
            "--min" => min = Some(next_value::<f64>(&mut args, &arg)?),
            "--max" => max = Some(next_value::<f64>(&mut args, &arg)?),
            "-h" | "--help" => {
                println!("{}", USAGE);
                process::exit(0);
            }
            flag if flag.starts_with('-') && flag.len() > 1 => {
                return Err(format!("unknown option `{}`", flag))
            }
            _ => opts.path = Some(arg),
        }
    }
    if opts.bins == 0 {
        return Err("--bins must be at least 1".to_string());
    }
    if opts.width < 5 {
        return Err("--width must be at least 5".to_string());
    }
    match (min, max) {
        (Some(lo), Some(hi)) if lo < hi => opts.range = Some((lo, hi)),
        (None, None) => {}
        _ => return Err("--min and --max must be given together, with min < max".to_string()),
    }
    Ok(opts)
}

/// Accepts numbers separated by whitespace, commas or semicolons; `#` starts a comment.
fn parse_numbers(text: &str) -> (Vec<f64>, Vec<String>) {
    let mut values = Vec::new();
    let mut invalid = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("");
        for token in line
            .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
            .filter(|t| !t.is_empty())
        {
            match token.parse::<f64>() {
                Ok(v) if v.is_finite() => values.push(v),
                _ => invalid.push(format!("line {}: `{}`", i + 1, token)),
            }
        }
    }
    (values, invalid)
}

/// Roughly normal sample data (mean 50, sd 12) from a small xorshift generator.
fn sample_data() -> Vec<f64> {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..600)
        .map(|_| {
            let sum: f64 = (0..12).map(|_| next()).sum();
            ((50.0 + (sum - 6.0) * 12.0) * 10.0).round() / 10.0
        })
        .collect()
}

struct Histogram {
    lo: f64,
    hi: f64,
    counts: Vec<usize>,
    below: usize,
    above: usize,
}

impl Histogram {
    fn build(values: &[f64], bins: usize, lo: f64, hi: f64) -> Self {
        let width = (hi - lo) / bins as f64;
        let mut counts = vec![0; bins];
        let (mut below, mut above) = (0, 0);
        for &v in values {
            if v < lo {
                below += 1;
            } else if v > hi {
                above += 1;
            } else {
                let idx = (((v - lo) / width) as usize).min(bins - 1);
                counts[idx] += 1;
            }
        }
        Histogram {
            lo,
            hi,
            counts,
            below,
            above,
        }
    }

    fn bin_width(&self) -> f64 {
        (self.hi - self.lo) / self.counts.len() as f64
    }

    fn draw(&self, bar_width: usize) {
        let max = self.counts.iter().copied().max().unwrap_or(0);
        let total: usize = self.counts.iter().sum::<usize>() + self.below + self.above;
        let w = self.bin_width();
        let decimals = if w >= 10.0 {
            0
        } else if w >= 1.0 {
            1
        } else if w >= 0.1 {
            2
        } else {
            3
        };
        let n = self.counts.len();
        let labels: Vec<String> = (0..n)
            .map(|i| {
                let a = self.lo + i as f64 * w;
                let b = a + w;
                let close = if i == n - 1 { ']' } else { ')' };
                format!("[{:.*}, {:.*}{}", decimals, a, decimals, b, close)
            })
            .collect();
        let label_width = labels.iter().map(|l| l.len()).max().unwrap_or(0);

        for (label, &count) in labels.iter().zip(&self.counts) {
            let len = if max == 0 {
                0
            } else {
                (count as f64 / max as f64 * bar_width as f64).round() as usize
            };
            let bar = if count > 0 && len == 0 {
                "▏".to_string()
            } else {
                "█".repeat(len)
            };
            let pct = if total == 0 {
                0.0
            } else {
                count as f64 * 100.0 / total as f64
            };
            println!(
                "{:>lw$} │{:<bw$} {:>5} ({:>5.1}%)",
                label,
                bar,
                count,
                pct,
                lw = label_width,
                bw = bar_width
            );
        }
        println!("{:>lw$} └{}", "", "─".repeat(bar_width), lw = label_width);
        if self.below > 0 || self.above > 0 {
            println!(
                "{} value(s) below {}, {} value(s) above {} not shown",
                self.below, self.lo, self.above, self.hi
            );
        }
    }
}

fn print_stats(values: &[f64]) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    let mut sorted = values.to_vec();
    sorted.sort_by(|a, b| a.partial_cmp(b).expect("finite values"));
    let median = if sorted.len() % 2 == 0 {
        (sorted[sorted.len() / 2 - 1] + sorted[sorted.len() / 2]) / 2.0
    } else {
        sorted[sorted.len() / 2]
    };
    println!(
        "n = {}, min = {}, max = {}, mean = {:.2}, median = {:.2}, sd = {:.2}",
        values.len(),
        sorted[0],
        sorted[sorted.len() - 1],
        mean,
        median,
        var.sqrt()
    );
}

fn main() {
    let opts = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {}\n{}", e, USAGE);
            process::exit(2);
        }
    };

    let values = match &opts.path {
        Some(path) => {
            let text = fs::read_to_string(path).unwrap_or_else(|e| {
                eprintln!("cannot read {}: {}", path, e);
                process::exit(1);
            });
            let (values, invalid) = parse_numbers(&text);
            for bad in invalid.iter().take(5) {
                eprintln!("warning: skipping non-numeric token {}", bad);
            }
            if invalid.len() > 5 {
                eprintln!("warning: {} more invalid tokens", invalid.len() - 5);
            }
            println!("{} values from {}", values.len(), path);
            values
        }
        None => {
            println!("no input file given; using 600 built-in sample values");
            sample_data()
        }
    };

    if values.is_empty() {
        eprintln!("no numeric data to plot");
        process::exit(1);
    }

    print_stats(&values);
    let (mut lo, mut hi) = opts.range.unwrap_or_else(|| {
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (lo, hi)
    });
    if lo == hi {
        lo -= 0.5;
        hi += 0.5;
    }
    println!("{} bins over [{}, {}]\n", opts.bins, lo, hi);
    Histogram::build(&values, opts.bins, lo, hi).draw(opts.width);
}
