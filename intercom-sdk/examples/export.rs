//! A data export from start to file: create, wait with backoff, download.
//!
//! ```sh
//! INTERCOM_API_KEY=... cargo run -p intercom-sdk --example export -- export.csv.gz
//! ```

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::TryStreamExt;
use intercom_sdk::Client;
use intercom_sdk::export::DataExportRun;
use intercom_sdk::requests::CreateDataExportRequest;
use tokio::io::AsyncWriteExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let target = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "export.csv.gz".into());
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs() as i64;

    // The last 7 days of message data.
    let archive = DataExportRun::new(&client, CreateDataExportRequest::new(now - 7 * 86_400, now))
        .poll_every(Duration::from_secs(10), Duration::from_secs(120))
        .max_wait(Duration::from_secs(3600))
        .cancel_on_timeout(true)
        .on_status(|export| println!("export {}: {:?}", export.job_identifier, export.status))
        .await?;

    // Stream it to disk chunk by chunk.
    let mut file = tokio::fs::File::create(&target).await?;
    let mut body = archive.body;
    let mut written = 0;
    while let Some(chunk) = body.try_next().await? {
        file.write_all(&chunk).await?;
        written += chunk.len();
    }
    println!("{written} bytes written to {target}");
    Ok(())
}
