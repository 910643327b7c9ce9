//! Renders the Mandelbrot set to a binary PPM (P6) image.
//!
//! Usage: image-ppm [--width N] [--height N] [--iter N] [--zoom Z]
//!                  [--cx X] [--cy Y] [--out FILE]
//!
//! The pipeline is built from iterator chains: pixel coordinates ->
//! escape counts -> histogram (sorted + group_by) -> CDF (fold) -> colours.

use itertools::Itertools;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::time::Instant;

#[derive(Debug, Clone)]
struct Config {
    width: usize,
    height: usize,
    max_iter: u32,
    center: (f64, f64),
    zoom: f64,
    output: String,
}

impl Default for Config {
    fn default() -> Self {
        Config { width: 600, height: 400, max_iter: 300, center: (-0.6, 0.0), zoom: 1.0, output: "mandelbrot.ppm".into() }
    }
}

fn parse_num<T: std::str::FromStr>(flag: &str, value: &str) -> Result<T, String> {
    value.parse().map_err(|_| format!("invalid value '{value}' for {flag}"))
}

impl Config {
    fn from_args(args: &[String]) -> Result<Config, String> {
        let mut cfg = Config::default();
        let mut i = 0;
        while i < args.len() {
            let flag = args[i].as_str();
            let value = args.get(i + 1).ok_or_else(|| format!("missing value for {flag}"))?;
            match flag {
                "--width" | "-w" => cfg.width = parse_num(flag, value)?,
                "--height" | "-h" => cfg.height = parse_num(flag, value)?,
                "--iter" | "-i" => cfg.max_iter = parse_num(flag, value)?,
                "--zoom" | "-z" => cfg.zoom = parse_num(flag, value)?,
                "--cx" => cfg.center.0 = parse_num(flag, value)?,
                "--cy" => cfg.center.1 = parse_num(flag, value)?,
                "--out" | "-o" => cfg.output = value.clone(),
                other => return Err(format!("unknown option '{other}'")),
            }
            i += 2;
        }
        if cfg.width < 2 || cfg.height < 2 {
            return Err("image must be at least 2x2 pixels".into());
        }
        if cfg.max_iter == 0 {
            return Err("iterations must be positive".into());
        }
        if cfg.zoom <= 0.0 {
            return Err("zoom must be positive".into());
        }
        Ok(cfg)
    }

    fn to_complex(&self, x: usize, y: usize) -> (f64, f64) {
        let span_y = 2.4 / self.zoom;
        let span_x = span_y * self.width as f64 / self.height as f64;
        let re = self.center.0 + (x as f64 / (self.width - 1) as f64 - 0.5) * span_x;
        let im = self.center.1 + (y as f64 / (self.height - 1) as f64 - 0.5) * span_y;
        (re, im)
    }
}

/// Row-major pixel coordinates as (y, x).
fn pixel_coords(cfg: &Config) -> impl Iterator<Item = (usize, usize)> {
    (0..cfg.height).cartesian_product(0..cfg.width)
}

/// The orbit z_{n+1} = z_n^2 + c starting at z_0 = 0.
fn orbit(c: (f64, f64)) -> impl Iterator<Item = (f64, f64)> {
    std::iter::successors(Some((0.0f64, 0.0f64)), move |&(zr, zi)| Some((zr * zr - zi * zi + c.0, 2.0 * zr * zi + c.1)))
}

/// Points inside the main cardioid or the period-2 bulb never escape.
fn in_main_bulbs((x, y): (f64, f64)) -> bool {
    let q = (x - 0.25).powi(2) + y * y;
    q * (q + (x - 0.25)) <= 0.25 * y * y || (x + 1.0).powi(2) + y * y <= 1.0 / 16.0
}

fn escape_time(c: (f64, f64), max_iter: u32) -> u32 {
    if in_main_bulbs(c) {
        return max_iter;
    }
    orbit(c).skip(1).take(max_iter as usize).take_while(|&(zr, zi)| zr * zr + zi * zi <= 4.0).count() as u32
}

fn iteration_counts(cfg: &Config) -> impl Iterator<Item = u32> + '_ {
    pixel_coords(cfg).map(move |(y, x)| escape_time(cfg.to_complex(x, y), cfg.max_iter))
}

/// (iteration count, number of pixels) for every escaping count, ascending.
fn histogram(counts: &[u32], max_iter: u32) -> Vec<(u32, usize)> {
    counts
        .iter()
        .copied()
        .filter(|&n| n < max_iter)
        .sorted_unstable()
        .group_by(|&n| n)
        .into_iter()
        .map(|(n, group)| (n, group.count()))
        .collect()
}

/// Cumulative distribution indexed by iteration count (histogram equalisation).
fn cdf_table(hist: &[(u32, usize)], max_iter: u32) -> Vec<f64> {
    let total = hist.iter().map(|&(_, c)| c).sum::<usize>().max(1) as f64;
    let (table, _) = hist.iter().fold((vec![1.0; max_iter as usize + 1], 0usize), |(mut table, acc), &(n, c)| {
        let acc = acc + c;
        table[n as usize] = acc as f64 / total;
        (table, acc)
    });
    table
}

const STOPS: [(f64, [u8; 3]); 6] = [
    (0.0, [0, 7, 100]),
    (0.16, [32, 107, 203]),
    (0.42, [237, 255, 255]),
    (0.6425, [255, 170, 0]),
    (0.8575, [0, 2, 0]),
    (1.0, [0, 7, 100]),
];

fn gradient(t: f64) -> [u8; 3] {
    let t = t.clamp(0.0, 1.0);
    STOPS
        .iter()
        .tuple_windows()
        .find(|(a, b)| t >= a.0 && t <= b.0)
        .map(|(a, b)| {
            let f = if b.0 > a.0 { (t - a.0) / (b.0 - a.0) } else { 0.0 };
            let mut rgb = [0u8; 3];
            for (i, channel) in rgb.iter_mut().enumerate() {
                let (from, to) = (a.1[i] as f64, b.1[i] as f64);
                *channel = (from + (to - from) * f).round() as u8;
            }
            rgb
        })
        .unwrap_or([0, 0, 0])
}

fn colorize<'a>(counts: &'a [u32], cdf: &'a [f64], max_iter: u32) -> impl Iterator<Item = [u8; 3]> + 'a {
    counts.iter().map(move |&n| if n >= max_iter { [0, 0, 0] } else { gradient(cdf[n as usize]) })
}

fn write_ppm(path: &str, width: usize, height: usize, pixels: impl Iterator<Item = [u8; 3]>) -> io::Result<usize> {
    let bytes = pixels.fold(Vec::with_capacity(width * height * 3), |mut acc, px| {
        acc.extend_from_slice(&px);
        acc
    });
    if bytes.len() != width * height * 3 {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "pixel count does not match image size"));
    }
    let mut out = BufWriter::new(File::create(path)?);
    write!(out, "P6\n{width} {height}\n255\n")?;
    out.write_all(&bytes)?;
    out.flush()?;
    Ok(bytes.len())
}

fn band(n: u32, max_iter: u32) -> (u8, &'static str) {
    match n {
        n if n >= max_iter => (4, "inside the set"),
        0..=4 => (0, "escaped in 0-4 steps"),
        5..=19 => (1, "escaped in 5-19 steps"),
        20..=99 => (2, "escaped in 20-99 steps"),
        _ => (3, "escaped in 100+ steps"),
    }
}

fn ascii_preview<'a>(counts: &'a [u32], cfg: &'a Config, cols: usize) -> impl Iterator<Item = String> + 'a {
    let rows = (cols * cfg.height / cfg.width / 2).max(1);
    let ramp: Vec<char> = " .:-=+*#%".chars().collect();
    (0..rows).map(move |r| {
        (0..cols)
            .map(|c| {
                let x = c * cfg.width / cols;
                let y = r * cfg.height / rows;
                let n = counts[y * cfg.width + x];
                if n >= cfg.max_iter {
                    '@'
                } else {
                    let t = (n as f64).ln_1p() / (cfg.max_iter as f64).ln_1p();
                    ramp[((t * (ramp.len() - 1) as f64) as usize).min(ramp.len() - 1)]
                }
            })
            .collect()
    })
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cfg = match Config::from_args(&args) {
        Ok(cfg) => cfg,
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("usage: image-ppm [--width N] [--height N] [--iter N] [--zoom Z] [--cx X] [--cy Y] [--out FILE]");
            std::process::exit(2);
        }
    };

    println!(
        "Rendering {}x{} pixels, {} iterations, centre ({}, {}), zoom {}",
        cfg.width, cfg.height, cfg.max_iter, cfg.center.0, cfg.center.1, cfg.zoom
    );
    let start = Instant::now();
    let counts: Vec<u32> = iteration_counts(&cfg).collect();
    let hist = histogram(&counts, cfg.max_iter);
    let cdf = cdf_table(&hist, cfg.max_iter);
    let written = match write_ppm(&cfg.output, cfg.width, cfg.height, colorize(&counts, &cdf, cfg.max_iter)) {
        Ok(n) => n,
        Err(e) => {
            eprintln!("could not write {}: {e}", cfg.output);
            std::process::exit(1);
        }
    };
    println!("wrote {} ({} pixel bytes) in {:.2?}", cfg.output, written, start.elapsed());

    match fs::read(&cfg.output) {
        Ok(data) => {
            let header = format!("P6\n{} {}\n255\n", cfg.width, cfg.height);
            let valid = data.starts_with(header.as_bytes()) && data.len() == header.len() + written;
            println!("file check: {} bytes on disk, header valid: {valid}", data.len());
        }
        Err(e) => eprintln!("could not re-read output: {e}"),
    }

    println!("\nPixels by escape band:");
    counts
        .iter()
        .map(|&n| band(n, cfg.max_iter))
        .sorted()
        .group_by(|b| *b)
        .into_iter()
        .map(|((_, label), group)| (label, group.count()))
        .for_each(|(label, count)| {
            println!("  {label:<24} {count:>8} ({:.1}%)", count as f64 * 100.0 / counts.len() as f64)
        });

    println!("\nMost common escape counts:");
    hist.iter()
        .sorted_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)))
        .take(5)
        .for_each(|(n, c)| println!("  {n:>4} iterations: {c} pixels"));

    println!("\nPreview:");
    for line in ascii_preview(&counts, &cfg, 72) {
        println!("{line}");
    }
}
