//! The time the business logic sees. The system clock in production; tests move a manual
//! clock to exercise expiry without waiting.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

/// A clock shared by handlers and background jobs.
#[derive(Clone, Default)]
pub struct Clock {
    manual: Arc<Mutex<Option<DateTime<Utc>>>>,
}

impl Clock {
    /// Now: the system time, unless a test has set the clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.manual.lock().expect("clock lock").unwrap_or_else(Utc::now)
    }

    /// Freezes the clock at `t` (tests).
    pub fn set(&self, t: DateTime<Utc>) {
        *self.manual.lock().expect("clock lock") = Some(t);
    }

    /// Back to the system time.
    pub fn reset(&self) {
        *self.manual.lock().expect("clock lock") = None;
    }
}
