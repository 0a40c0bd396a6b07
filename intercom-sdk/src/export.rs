//! Data exports from start to download: create the job, poll it with backoff
//! until it completes, then stream the archive.
//!
//! ```no_run
//! use std::time::Duration;
//! use intercom_sdk::Client;
//! use intercom_sdk::export::DataExportRun;
//! use intercom_sdk::requests::CreateDataExportRequest;
//!
//! # async fn demo(client: &Client) -> Result<(), Box<dyn std::error::Error>> {
//! let archive = DataExportRun::new(client, CreateDataExportRequest::new(1_714_521_600, 1_717_200_000))
//!     .poll_every(Duration::from_secs(10), Duration::from_secs(120)) // 10 s, 20 s, 40 s, ... 120 s
//!     .max_wait(Duration::from_secs(2 * 3600))
//!     .cancel_on_timeout(true)
//!     .await?;
//! println!("export {} is ready", archive.job_identifier);
//! let gzipped_csv = archive.body.collect_bytes().await?;
//! # let _ = gzipped_csv; Ok(()) }
//! ```
//!
//! The run is bounded by [`DataExportRun::max_wait`]; dropping the future
//! stops it at once (with [`DataExportRun::cancel_on_timeout`], running past
//! the bound also cancels the job on Intercom's side).
//!
//! The run reads the job's `job_identifier` and `status` by their wire names, not through the
//! generated model's field types, so it keeps working when a regenerated description changes
//! how those fields are typed.

use std::fmt;
use std::future::IntoFuture;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;

use crate::models::DataExport;
use crate::requests::{
    CancelDataExportRequest, CreateDataExportRequest, DownloadDataExportRequest,
    FindDataExportRequest,
};
use crate::{ByteStream, Client, Error};

/// Default first poll delay.
pub const DEFAULT_FIRST_POLL: Duration = Duration::from_secs(5);
/// Default longest delay between polls.
pub const DEFAULT_MAX_POLL: Duration = Duration::from_secs(60);
/// Default bound on the whole run.
pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(3 * 3600);

/// A completed export: the job as last reported and its archive (a gzipped CSV).
#[derive(Debug)]
#[non_exhaustive]
pub struct ExportArchive {
    /// The job's identifier.
    pub job_identifier: String,
    /// The job, with status `completed`.
    pub export: DataExport,
    /// The archive, streamed.
    pub body: ByteStream,
}

/// Why a run did not produce an archive.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// A request failed.
    #[error(transparent)]
    Api(#[from] Error),
    /// The job ended without data: `failed`, `no_data` or `canceled`.
    #[error("data export {job_identifier} ended as `{status}`")]
    Ended {
        /// The job's identifier.
        job_identifier: String,
        /// `failed`, `no_data` or `canceled`.
        status: String,
        /// The job as last reported.
        export: Box<DataExport>,
    },
    /// The create call answered without a `job_identifier`, so there is nothing to poll.
    #[error("the created data export has no job_identifier to poll")]
    NoJobIdentifier(Box<DataExport>),
    /// The job was still running when the run's bound passed.
    #[error("data export {job_identifier} did not complete within {waited:?}")]
    TimedOut {
        /// The job, which can be resumed with [`DataExportRun::resume`].
        job_identifier: String,
        /// How long the run waited.
        waited: Duration,
    },
}

/// A string field of the job by its wire name (`job_identifier`, `status`).
fn wire_str(export: &DataExport, key: &str) -> Option<String> {
    match serde_json::to_value(export).ok()?.get(key)? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

type StatusHook = Arc<dyn Fn(&DataExport) + Send + Sync>;

enum Start {
    Create(CreateDataExportRequest),
    Resume(String),
}

/// One data export run; `.await` it for the [`ExportArchive`].
#[must_use = "a DataExportRun does nothing until it is awaited"]
pub struct DataExportRun {
    client: Client,
    start: Start,
    first_poll: Duration,
    max_poll: Duration,
    max_wait: Duration,
    cancel_on_timeout: bool,
    on_status: Option<StatusHook>,
}

impl fmt::Debug for DataExportRun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DataExportRun")
            .field("first_poll", &self.first_poll)
            .field("max_poll", &self.max_poll)
            .field("max_wait", &self.max_wait)
            .field("cancel_on_timeout", &self.cancel_on_timeout)
            .finish_non_exhaustive()
    }
}

impl DataExportRun {
    /// Creates an export job for `request`, then waits for it.
    pub fn new(client: &Client, request: CreateDataExportRequest) -> Self {
        DataExportRun::with_start(client, Start::Create(request))
    }

    /// Waits for a job created earlier (Intercom allows one active job at a time).
    pub fn resume(client: &Client, job_identifier: impl Into<String>) -> Self {
        DataExportRun::with_start(client, Start::Resume(job_identifier.into()))
    }

    fn with_start(client: &Client, start: Start) -> Self {
        DataExportRun {
            client: client.clone(),
            start,
            first_poll: DEFAULT_FIRST_POLL,
            max_poll: DEFAULT_MAX_POLL,
            max_wait: DEFAULT_MAX_WAIT,
            cancel_on_timeout: false,
            on_status: None,
        }
    }

    /// The first delay between polls, doubling up to `max` (defaults 5 s and 60 s).
    pub fn poll_every(mut self, first: Duration, max: Duration) -> Self {
        self.first_poll = first;
        self.max_poll = max.max(first);
        self
    }

    /// Gives up with [`ExportError::TimedOut`] once this much time has passed (default 3 h).
    pub fn max_wait(mut self, max_wait: Duration) -> Self {
        self.max_wait = max_wait;
        self
    }

    /// Cancels the job on Intercom's side when the run times out (default off).
    pub fn cancel_on_timeout(mut self, cancel: bool) -> Self {
        self.cancel_on_timeout = cancel;
        self
    }

    /// Called with the job after the create call and every poll, e.g. to log progress.
    pub fn on_status(mut self, hook: impl Fn(&DataExport) + Send + Sync + 'static) -> Self {
        self.on_status = Some(Arc::new(hook));
        self
    }

    /// Runs the export to its archive.
    pub async fn send(self) -> Result<ExportArchive, ExportError> {
        let started = Instant::now();
        let api = self.client.data_export();
        let (mut export, job) = match self.start {
            Start::Create(request) => {
                let created = api.create(request).await?;
                let job = wire_str(&created, "job_identifier").unwrap_or_default();
                if job.is_empty() {
                    return Err(ExportError::NoJobIdentifier(Box::new(created)));
                }
                (Some(created), job)
            }
            Start::Resume(job) => (None, job),
        };
        let mut delay = self.first_poll;
        loop {
            let current = match export.take() {
                Some(known) => known,
                None => api.find(FindDataExportRequest::new(&job)).await?,
            };
            if let Some(hook) = &self.on_status {
                hook(&current);
            }
            match wire_str(&current, "status").as_deref() {
                Some("completed") => {
                    let body = api.download(DownloadDataExportRequest::new(&job)).await?;
                    return Ok(ExportArchive {
                        job_identifier: job,
                        export: current,
                        body,
                    });
                }
                Some(status @ ("failed" | "no_data" | "canceled")) => {
                    return Err(ExportError::Ended {
                        job_identifier: job,
                        status: status.to_owned(),
                        export: Box::new(current),
                    });
                }
                // Pending, in progress, missing or a status newer than this SDK: keep waiting.
                _ => {}
            }
            let waited = started.elapsed();
            if waited.saturating_add(delay) > self.max_wait {
                if self.cancel_on_timeout {
                    api.cancel(CancelDataExportRequest::new(&job)).await?;
                }
                return Err(ExportError::TimedOut {
                    job_identifier: job,
                    waited,
                });
            }
            tokio::time::sleep(delay).await;
            delay = delay.saturating_mul(2).min(self.max_poll);
        }
    }
}

impl IntoFuture for DataExportRun {
    type Output = Result<ExportArchive, ExportError>;
    type IntoFuture = BoxFuture<'static, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
