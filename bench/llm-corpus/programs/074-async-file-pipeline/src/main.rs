use anyhow::{Context, Result};
use rand::Rng;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::fs::File;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, BufWriter};
use tokio::sync::{mpsc, Mutex};

struct Job {
    seq: usize,
    line: String,
}

struct Done {
    seq: usize,
    output: String,
}

#[derive(Debug)]
struct Stats {
    lines_read: usize,
    lines_written: usize,
    per_worker: Vec<usize>,
    arrived_out_of_order: usize,
    max_buffered: usize,
    elapsed: Duration,
}

/// The CPU part of the pipeline: title-case the words, reverse their order
/// and prefix the line number and some counts.
fn transform(seq: usize, line: &str) -> String {
    let words: Vec<String> = line
        .split_whitespace()
        .rev()
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars.flat_map(|c| c.to_lowercase())).collect(),
                None => String::new(),
            }
        })
        .collect();
    format!(
        "{:04} [{:>2}w {:>3}c] {}",
        seq + 1,
        words.len(),
        line.chars().count(),
        words.join(" ")
    )
}

async fn run_pipeline(input: PathBuf, output: PathBuf, workers: usize) -> Result<Stats> {
    let started = Instant::now();
    let (job_tx, job_rx) = mpsc::channel::<Job>(32);
    let (done_tx, mut done_rx) = mpsc::channel::<Done>(32);
    let job_rx = Arc::new(Mutex::new(job_rx));

    // Stage 1: read lines and number them.
    let reader = tokio::spawn(async move {
        let file = File::open(&input)
            .await
            .with_context(|| format!("opening {}", input.display()))?;
        let mut lines = BufReader::new(file).lines();
        let mut seq = 0;
        while let Some(line) = lines.next_line().await? {
            if job_tx.send(Job { seq, line }).await.is_err() {
                break;
            }
            seq += 1;
        }
        Ok::<usize, anyhow::Error>(seq)
    });

    // Stage 2: transform in parallel; workers share one receiver.
    let mut worker_handles = Vec::with_capacity(workers);
    for _ in 0..workers {
        let jobs = Arc::clone(&job_rx);
        let results = done_tx.clone();
        worker_handles.push(tokio::spawn(async move {
            let mut processed = 0usize;
            loop {
                let job = {
                    let mut rx = jobs.lock().await;
                    rx.recv().await
                };
                let job = match job {
                    Some(job) => job,
                    None => break,
                };
                // Simulated variable latency, e.g. a remote enrichment call.
                let delay = rand::thread_rng().gen_range(1..25);
                tokio::time::sleep(Duration::from_millis(delay)).await;
                let output = transform(job.seq, &job.line);
                if results.send(Done { seq: job.seq, output }).await.is_err() {
                    break;
                }
                processed += 1;
            }
            processed
        }));
    }
    drop(done_tx); // the writer stops once every worker has dropped its sender

    // Stage 3: write results in input order, buffering early arrivals.
    let out_file = File::create(&output)
        .await
        .with_context(|| format!("creating {}", output.display()))?;
    let mut writer = BufWriter::new(out_file);
    let mut pending: BTreeMap<usize, String> = BTreeMap::new();
    let mut next = 0usize;
    let mut arrived_out_of_order = 0;
    let mut max_buffered = 0;
    while let Some(done) = done_rx.recv().await {
        if done.seq != next {
            arrived_out_of_order += 1;
        }
        pending.insert(done.seq, done.output);
        max_buffered = max_buffered.max(pending.len());
        while let Some(text) = pending.remove(&next) {
            writer.write_all(text.as_bytes()).await?;
            writer.write_all(b"\n").await?;
            next += 1;
        }
    }
    writer.flush().await?;

    let lines_read = reader.await.context("reader task panicked")??;
    let mut per_worker = Vec::with_capacity(workers);
    for handle in worker_handles {
        per_worker.push(handle.await.context("worker task panicked")?);
    }
    if !pending.is_empty() {
        anyhow::bail!("{} results could not be written (gap in sequence)", pending.len());
    }

    Ok(Stats {
        lines_read,
        lines_written: next,
        per_worker,
        arrived_out_of_order,
        max_buffered,
        elapsed: started.elapsed(),
    })
}

fn sample_text(lines: usize) -> String {
    const WORDS: [&str; 16] = [
        "async", "rust", "tokio", "pipeline", "stream", "channel", "worker", "ordered",
        "buffer", "future", "task", "parallel", "file", "line", "result", "write",
    ];
    let mut text = String::new();
    for i in 0..lines {
        let count = 3 + (i * 7) % 6;
        let line: Vec<&str> = (0..count).map(|k| WORDS[(i * 5 + k * 3) % WORDS.len()]).collect();
        text.push_str(&line.join(" "));
        text.push('\n');
    }
    text
}

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (input, output) = match (args.get(1), args.get(2)) {
        (Some(i), Some(o)) => (PathBuf::from(i), PathBuf::from(o)),
        (Some(i), None) => (PathBuf::from(i), PathBuf::from(format!("{}.out", i))),
        _ => {
            let dir = std::env::temp_dir();
            let input = dir.join("async-file-pipeline-input.txt");
            tokio::fs::write(&input, sample_text(60)).await?;
            println!("no input given; wrote 60 sample lines to {}", input.display());
            (input, dir.join("async-file-pipeline-output.txt"))
        }
    };
    let workers: usize = args
        .get(3)
        .and_then(|w| w.parse().ok())
        .unwrap_or(4usize)
        .max(1);

    println!(
        "pipeline: {} -> {} with {} workers",
        input.display(),
        output.display(),
        workers
    );
    let stats = run_pipeline(input, output.clone(), workers).await?;

    println!("\nlines read            {}", stats.lines_read);
    println!("lines written         {}", stats.lines_written);
    println!("per worker            {:?}", stats.per_worker);
    println!("arrived out of order  {}", stats.arrived_out_of_order);
    println!("max reorder buffer    {}", stats.max_buffered);
    println!("elapsed               {:?}", stats.elapsed);

    let written = tokio::fs::read_to_string(&output).await?;
    let in_order = written
        .lines()
        .enumerate()
        .all(|(i, l)| l.starts_with(&format!("{:04}", i + 1)));
    println!("\noutput is in input order: {}", in_order);
    println!("first lines of {}:", output.display());
    for line in written.lines().take(5) {
        println!("  {}", line);
    }
    Ok(())
}
