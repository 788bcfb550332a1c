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
        self.manual
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .unwrap_or_else(Self::system_now)
    }

    /// The system time, ignoring any test setting: for checks that must follow the wall clock
    /// whatever a test does to business time (access-token expiry, as the JWT library does).
    pub fn system_now() -> DateTime<Utc> {
        #[allow(clippy::disallowed_methods)] // the one place the system time is read
        Utc::now()
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
