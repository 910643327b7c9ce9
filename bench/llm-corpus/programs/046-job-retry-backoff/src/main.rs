use rand::Rng;
use std::future::Future;
use std::time::{Duration, Instant};
use thiserror::Error;
use tokio::time::{sleep, timeout};

#[derive(Debug, Clone, Error)]
enum OpError {
    #[error("transient: {0}")]
    Transient(String),
    #[error("permanent: {0}")]
    Permanent(String),
}

#[derive(Debug, Error)]
enum RetryError {
    #[error("gave up after {attempts} attempts (last error: {last})")]
    Exhausted { attempts: u32, last: OpError },
    #[error("aborted on attempt {attempt}: {cause}")]
    Aborted { attempt: u32, cause: OpError },
}

#[derive(Debug, Clone)]
struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    multiplier: f64,
    attempt_timeout: Duration,
}

impl RetryPolicy {
    /// Exponential backoff with "equal jitter": half of the nominal delay is
    /// fixed, the other half is random. Returns (nominal, jittered).
    fn delay_for(&self, retry: u32) -> (Duration, Duration) {
        let nominal_ms = (self.base_delay.as_millis() as f64
            * self.multiplier.powi(retry as i32 - 1))
        .min(self.max_delay.as_millis() as f64);
        let half = nominal_ms / 2.0;
        let jittered = half + rand::thread_rng().gen_range(0.0..=half);
        (
            Duration::from_millis(nominal_ms as u64),
            Duration::from_millis(jittered as u64),
        )
    }
}

fn log(start: Instant, job: &str, message: &str) {
    println!(
        "[{:>5} ms] {:<15} {}",
        start.elapsed().as_millis(),
        job,
        message
    );
}

async fn retry<T, F, Fut>(
    job: &str,
    policy: &RetryPolicy,
    start: Instant,
    mut operation: F,
) -> Result<(T, u32), RetryError>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<T, OpError>>,
{
    let mut attempt = 1;
    loop {
        log(
            start,
            job,
            &format!("attempt {}/{}", attempt, policy.max_attempts),
        );
        let outcome = match timeout(policy.attempt_timeout, operation(attempt)).await {
            Ok(result) => result,
            Err(_) => Err(OpError::Transient(format!(
                "timed out after {} ms",
                policy.attempt_timeout.as_millis()
            ))),
        };
        match outcome {
            Ok(value) => {
                log(start, job, &format!("succeeded on attempt {}", attempt));
                return Ok((value, attempt));
            }
            Err(OpError::Permanent(msg)) => {
                log(start, job, &format!("permanent error, not retrying: {}", msg));
                return Err(RetryError::Aborted {
                    attempt,
                    cause: OpError::Permanent(msg),
                });
            }
            Err(err) => {
                if attempt >= policy.max_attempts {
                    log(start, job, &format!("{} -> no attempts left", err));
                    return Err(RetryError::Exhausted {
                        attempts: attempt,
                        last: err,
                    });
                }
                let (nominal, delay) = policy.delay_for(attempt);
                log(
                    start,
                    job,
                    &format!(
                        "{} -> backing off {} ms (nominal {} ms)",
                        err,
                        delay.as_millis(),
                        nominal.as_millis()
                    ),
                );
                sleep(delay).await;
                attempt += 1;
            }
        }
    }
}

/// Simulated remote call with random latency and random failures.
async fn flaky_service(
    job: String,
    attempt: u32,
    failure_rate: f64,
    fatal_rate: f64,
) -> Result<String, OpError> {
    let (latency_ms, roll) = {
        let mut rng = rand::thread_rng();
        (rng.gen_range(20..260u64), rng.gen::<f64>())
    };
    sleep(Duration::from_millis(latency_ms)).await;
    if roll < fatal_rate {
        Err(OpError::Permanent(format!(
            "{} rejected the request (HTTP 400)",
            job
        )))
    } else if roll < fatal_rate + failure_rate {
        Err(OpError::Transient(format!("{} answered HTTP 503", job)))
    } else {
        Ok(format!("payload from attempt {} in {} ms", attempt, latency_ms))
    }
}

#[tokio::main]
async fn main() {
    let policy = RetryPolicy {
        max_attempts: 5,
        base_delay: Duration::from_millis(50),
        max_delay: Duration::from_millis(800),
        multiplier: 2.0,
        attempt_timeout: Duration::from_millis(200),
    };
    println!("Retry policy: {:?}\n", policy);

    // (job name, transient failure rate, permanent failure rate)
    let jobs = vec![
        ("fetch-users", 0.3, 0.0),
        ("sync-orders", 0.6, 0.0),
        ("send-emails", 0.85, 0.0),
        ("bill-customers", 0.2, 0.15),
        ("resize-images", 0.5, 0.05),
        ("ping-health", 0.0, 0.0),
    ];

    let start = Instant::now();
    let mut handles = Vec::new();
    for (name, failure_rate, fatal_rate) in jobs {
        let policy = policy.clone();
        let name = name.to_string();
        handles.push(tokio::spawn(async move {
            let op_name = name.clone();
            let result = retry(&name, &policy, start, move |attempt| {
                flaky_service(op_name.clone(), attempt, failure_rate, fatal_rate)
            })
            .await;
            (name, result)
        }));
    }

    let mut succeeded = 0;
    let mut failed = 0;
    let mut total_attempts = 0;
    let mut summary = Vec::new();
    for handle in handles {
        match handle.await {
            Ok((name, Ok((value, attempts)))) => {
                succeeded += 1;
                total_attempts += attempts;
                summary.push(format!("{:<15} OK      {} attempt(s): {}", name, attempts, value));
            }
            Ok((name, Err(err))) => {
                failed += 1;
                let attempts = match &err {
                    RetryError::Exhausted { attempts, .. } => *attempts,
                    RetryError::Aborted { attempt, .. } => *attempt,
                };
                total_attempts += attempts;
                summary.push(format!("{:<15} FAILED  {}", name, err));
            }
            Err(join_error) => summary.push(format!("task panicked: {}", join_error)),
        }
    }

    println!("\n==== summary after {} ms ====", start.elapsed().as_millis());
    for line in summary {
        println!("{}", line);
    }
    println!(
        "{} succeeded, {} failed, {} attempts in total",
        succeeded, failed, total_attempts
    );
}
