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
        #[allow(clippy::disallowed_methods)] // the one place the system time is read
        let system = Utc::now;
        self.manual
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .unwrap_or_else(system)
    }

    /// Freezes the clock at `t` (tests).
    pub fn set(&self, t: DateTime<Utc>) {
        *self.manual.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(t);
    }

    /// Back to the system time.
    pub fn reset(&self) {
        *self.manual.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }
}
