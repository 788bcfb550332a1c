//! Periodic background jobs: one runner for all of them (interval with jitter, shutdown, a
//! metric per run), so no service writes its own `loop { select! { sleep } }`.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::Rng;
use tokio_util::sync::CancellationToken;

type RunFn = Arc<dyn Fn() -> Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send>> + Send + Sync>;

/// A job run every `every` until shutdown.
#[derive(Clone)]
pub struct Job {
    pub name: String,
    pub every: Duration,
    run: RunFn,
    run_at_start: bool,
    run_at_shutdown: bool,
}

impl Job {
    /// A job whose first run is one interval after start.
    pub fn new<F, Fut>(name: impl Into<String>, every: Duration, f: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = anyhow::Result<()>> + Send + 'static,
    {
        Self {
            name: name.into(),
            every,
            run: Arc::new(move || Box::pin(f())),
            run_at_start: false,
            run_at_shutdown: false,
        }
    }

    /// Runs once right at start, then every interval.
    pub fn at_start(mut self) -> Self {
        self.run_at_start = true;
        self
    }

    /// Runs once more when shutdown begins (e.g. to flush what is buffered in memory).
    pub fn at_shutdown(mut self) -> Self {
        self.run_at_shutdown = true;
        self
    }

    /// One run, timed and counted: `jobs_runs_total{job, outcome}` and
    /// `job_duration_seconds{job}`. Failures are logged; the next interval retries.
    pub async fn run_once(&self) -> anyhow::Result<()> {
        let start = Instant::now();
        let result = (self.run)().await;
        let outcome = if result.is_ok() { "ok" } else { "error" };
        metrics::counter!("jobs_runs_total", "job" => self.name.clone(), "outcome" => outcome).increment(1);
        metrics::histogram!("job_duration_seconds", "job" => self.name.clone()).record(start.elapsed().as_secs_f64());
        if let Err(e) = &result {
            tracing::error!(job = %self.name, error = %e, "background job failed; will retry");
        }
        result
    }

    /// Spawns the job's loop. Sleeps are the interval plus up to 10 % jitter, so replicas
    /// started together do not hit the database in step.
    pub fn spawn(self, shutdown: CancellationToken) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            if self.run_at_start {
                let _ = self.run_once().await;
            }
            loop {
                let jitter = self.every.mul_f64(rand::thread_rng().gen_range(0.0..0.1));
                tokio::select! {
                    _ = shutdown.cancelled() => break,
                    _ = tokio::time::sleep(self.every + jitter) => {}
                }
                let _ = self.run_once().await;
            }
            if self.run_at_shutdown {
                let _ = self.run_once().await;
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[tokio::test(start_paused = true)]
    async fn runs_on_interval_and_at_shutdown() {
        let runs = Arc::new(AtomicUsize::new(0));
        let counter = runs.clone();
        let job = Job::new("test", Duration::from_secs(10), move || {
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                anyhow::bail!("failures are retried, not fatal")
            }
        })
        .at_start()
        .at_shutdown();
        let cancel = CancellationToken::new();
        let handle = job.spawn(cancel.clone());
        tokio::time::sleep(Duration::from_secs(35)).await;
        // At start, then after ~10-11, ~20-22, ~30-33 seconds.
        assert_eq!(runs.load(Ordering::SeqCst), 4);
        cancel.cancel();
        handle.await.unwrap();
        assert_eq!(runs.load(Ordering::SeqCst), 5);
    }
}
