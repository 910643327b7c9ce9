use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;

/// Squares every job on `workers` threads; returns results sorted and the number processed.
fn process_parallel(jobs: Vec<u64>, workers: usize) -> (Vec<u64>, usize) {
    let (job_tx, job_rx) = mpsc::channel::<u64>();
    let job_rx = Arc::new(Mutex::new(job_rx));
    let (result_tx, result_rx) = mpsc::channel();
    let processed = Arc::new(Mutex::new(0usize));

    let handles: Vec<_> = (0..workers)
        .map(|_| {
            let job_rx = Arc::clone(&job_rx);
            let result_tx = result_tx.clone();
            let processed = Arc::clone(&processed);
            thread::spawn(move || loop {
                let job = job_rx.lock().unwrap().recv();
                match job {
                    Ok(n) => {
                        result_tx.send(n * n).unwrap();
                        *processed.lock().unwrap() += 1;
                    }
                    Err(_) => break,
                }
            })
        })
        .collect();
    drop(result_tx);
    for job in jobs {
        job_tx.send(job).unwrap();
    }
    drop(job_tx);
    for handle in handles {
        handle.join().unwrap();
    }
    let mut results: Vec<u64> = result_rx.iter().collect();
    results.sort_unstable();
    let count = *processed.lock().unwrap();
    (results, count)
}

fn main() {
    let (results, count) = process_parallel((1..=10).collect(), 4);
    println!("{count} jobs: {results:?}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_job_is_processed_once() {
        let (results, count) = process_parallel(vec![3, 1, 2], 2);
        assert_eq!(results, vec![1, 4, 9]);
        assert_eq!(count, 3);
    }

    #[test]
    fn no_jobs_no_results() {
        assert_eq!(process_parallel(Vec::new(), 3), (Vec::new(), 0));
    }
}
