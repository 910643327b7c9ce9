use std::sync::mpsc;
use std::thread;
use std::time::Instant;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const THREADS: usize = 4;

/// Length of the longest suffix of `a` that is a prefix of `b` (strictly shorter than both).
fn overlap(a: &str, b: &str) -> usize {
    let max = a.len().min(b.len()).saturating_sub(1);
    (1..=max).rev().find(|&k| a.ends_with(&b[..k])).unwrap_or(0)
}

/// Computes the full overlap matrix, one band of rows per thread.
fn overlap_matrix(frags: &[String]) -> Vec<Vec<usize>> {
    let n = frags.len();
    let mut matrix = vec![vec![0; n]; n];
    thread::scope(|scope| {
        let (tx, rx) = mpsc::channel::<(usize, Vec<usize>)>();
        let band = n.div_ceil(THREADS).max(1);
        for start in (0..n).step_by(band) {
            let tx = tx.clone();
            scope.spawn(move || {
                for i in start..(start + band).min(n) {
                    let row = (0..n).map(|j| if i == j { 0 } else { overlap(&frags[i], &frags[j]) }).collect();
                    tx.send((i, row)).expect("collector alive");
                }
            });
        }
        drop(tx);
        for (i, row) in rx {
            matrix[i] = row;
        }
    });
    matrix
}

/// Overlaps of `s` with every fragment in both directions, computed in parallel.
fn overlaps_with(s: &str, frags: &[String]) -> (Vec<usize>, Vec<usize>) {
    let n = frags.len();
    let mut out = vec![0; n];
    let mut inc = vec![0; n];
    thread::scope(|scope| {
        let (tx, rx) = mpsc::channel::<(usize, usize, usize)>();
        let band = n.div_ceil(THREADS).max(1);
        for start in (0..n).step_by(band) {
            let tx = tx.clone();
            scope.spawn(move || {
                for k in start..(start + band).min(n) {
                    let _ = tx.send((k, overlap(s, &frags[k]), overlap(&frags[k], s)));
                }
            });
        }
        drop(tx);
        for (k, o, i) in rx {
            out[k] = o;
            inc[k] = i;
        }
    });
    (out, inc)
}

/// Drops duplicates and fragments contained in other fragments (checked in parallel).
fn remove_contained(frags: Vec<String>) -> Vec<String> {
    let mut unique = frags;
    unique.sort();
    unique.dedup();
    let keep: Vec<bool> = thread::scope(|scope| {
        let (tx, rx) = mpsc::channel::<(usize, bool)>();
        let all = &unique;
        let band = all.len().div_ceil(THREADS).max(1);
        for start in (0..all.len()).step_by(band) {
            let tx = tx.clone();
            scope.spawn(move || {
                for i in start..(start + band).min(all.len()) {
                    let contained = all.iter().enumerate().any(|(j, other)| j != i && other.len() > all[i].len() && other.contains(all[i].as_str()));
                    let _ = tx.send((i, !contained));
                }
            });
        }
        drop(tx);
        let mut keep = vec![true; all.len()];
        for (i, k) in rx {
            keep[i] = k;
        }
        keep
    });
    unique.into_iter().zip(keep).filter(|(_, k)| *k).map(|(f, _)| f).collect()
}

fn greedy_superstring(fragments: Vec<String>) -> (String, usize) {
    let mut active = remove_contained(fragments);
    if active.is_empty() {
        return (String::new(), 0);
    }
    let mut matrix = overlap_matrix(&active);
    let mut merges = 0;
    while active.len() > 1 {
        let n = active.len();
        let (mut bi, mut bj, mut best) = (0, 1, 0);
        for i in 0..n {
            for j in 0..n {
                if i != j && matrix[i][j] > best {
                    (bi, bj, best) = (i, j, matrix[i][j]);
                }
            }
        }
        if best == 0 {
            // Only zero overlaps remain: concatenating in any order is equivalent.
            (bi, bj) = (0, 1);
        }
        let merged = format!("{}{}", active[bi], &active[bj][best..]);
        let (keep, drop_idx) = (bi.min(bj), bi.max(bj));
        active.remove(drop_idx);
        matrix.remove(drop_idx);
        for row in matrix.iter_mut() {
            row.remove(drop_idx);
        }
        active[keep] = merged;
        let (out, inc) = overlaps_with(&active[keep], &active);
        for k in 0..active.len() {
            matrix[keep][k] = if k == keep { 0 } else { out[k] };
            matrix[k][keep] = if k == keep { 0 } else { inc[k] };
        }
        merges += 1;
    }
    (active.pop().unwrap_or_default(), merges)
}

fn random_dna(rng: &mut StdRng, len: usize) -> String {
    (0..len).map(|_| ['A', 'C', 'G', 'T'][rng.gen_range(0..4)]).collect()
}

fn sample_fragments(genome: &str, rng: &mut StdRng, min_len: usize, max_len: usize, min_overlap: usize) -> Vec<String> {
    let mut frags = Vec::new();
    let mut start = 0;
    while start < genome.len() {
        let len = rng.gen_range(min_len..=max_len).min(genome.len() - start);
        frags.push(genome[start..start + len].to_string());
        if start + len >= genome.len() {
            break;
        }
        start += rng.gen_range(1..=len.saturating_sub(min_overlap).max(1));
    }
    // Add a few extra reads at random positions for redundant coverage.
    for _ in 0..frags.len() / 3 {
        let len = rng.gen_range(min_len..=max_len);
        let s = rng.gen_range(0..genome.len().saturating_sub(len).max(1));
        frags.push(genome[s..(s + len).min(genome.len())].to_string());
    }
    frags
}

fn main() {
    let seed: u64 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(2024);
    let mut rng = StdRng::seed_from_u64(seed);

    println!("Small example:");
    let small: Vec<String> = ["ATTAGACCTG", "CCTGCCGGAA", "AGACCTGCCG", "GCCGGAATAC"].iter().map(|s| s.to_string()).collect();
    let (s, merges) = greedy_superstring(small.clone());
    println!("  fragments: {small:?}");
    println!("  superstring: {s} (length {}, {merges} merges)", s.len());
    assert!(small.iter().all(|f| s.contains(f.as_str())));

    let genome = random_dna(&mut rng, 600);
    let mut frags = sample_fragments(&genome, &mut rng, 30, 50, 15);
    // Shuffle so the input order carries no hint of the genome layout.
    for i in (1..frags.len()).rev() {
        let j = rng.gen_range(0..=i);
        frags.swap(i, j);
    }
    let naive_len: usize = frags.iter().map(String::len).sum();
    println!("\nRandom genome of {} bases, {} fragments (total {} bases, seed {seed})", genome.len(), frags.len(), naive_len);

    let started = Instant::now();
    let (assembled, merges) = greedy_superstring(frags.clone());
    let elapsed = started.elapsed();
    let all_present = frags.iter().all(|f| assembled.contains(f.as_str()));
    println!("  assembled length: {} after {merges} merges in {:.1?}", assembled.len(), elapsed);
    println!("  compression vs concatenation: {:.1}x", naive_len as f64 / assembled.len().max(1) as f64);
    println!("  every fragment is a substring: {all_present}");
    println!("  reconstructed the original genome exactly: {}", assembled == genome);
    if assembled != genome {
        let diff = assembled.len() as i64 - genome.len() as i64;
        println!("  length difference to the genome: {diff:+} (repeats or coverage gaps)");
    }
    println!("  first 60 bases: {}", &assembled[..60.min(assembled.len())]);
    println!("  genome start:   {}", &genome[..60.min(genome.len())]);
}
