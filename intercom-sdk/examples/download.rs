//! A data export: start it, wait until it is complete, and stream the archive to a file chunk by
//! chunk.
//!
//! ```sh
//! INTERCOM_API_KEY=... cargo run -p intercom-sdk --example download -- export.csv.gz
//! ```
//!
//! Set `INTERCOM_BASE_URL` to point it at another server (a mock, or the EU/AU region URL).

use std::io::Write;
use std::time::Duration;

use futures::TryStreamExt;
use intercom_sdk::Client;
use intercom_sdk::models::DataExportStatus;
use intercom_sdk::requests::{
    CreateDataExportRequest, DownloadDataExportRequest, FindDataExportRequest,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = client()?;
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "export.csv.gz".to_owned());

    // The message data created in May 2024 (Unix timestamps).
    let job = client
        .data_export()
        .create(CreateDataExportRequest::new(1_714_521_600, 1_717_200_000))
        .await?;
    println!("export {} started", job.job_identifier);

    loop {
        let export = client
            .data_export()
            .find(FindDataExportRequest::new(&job.job_identifier))
            .await?;
        match export.status {
            Some(DataExportStatus::Completed) => break,
            Some(DataExportStatus::Pending | DataExportStatus::InProgress) | None => {
                println!("waiting for the export...");
                tokio::time::sleep(Duration::from_secs(30)).await;
            }
            Some(other) => return Err(format!("the export ended as `{other}`").into()),
        }
    }

    // The body arrives as a stream of chunks; none is held longer than it takes to write it.
    let mut chunks = client
        .data_export()
        .download(DownloadDataExportRequest::new(&job.job_identifier))
        .await?;
    let mut file = std::fs::File::create(&out)?;
    let mut written = 0;
    while let Some(chunk) = chunks.try_next().await? {
        file.write_all(&chunk)?;
        written += chunk.len();
    }
    println!("{written} bytes written to {out}");
    Ok(())
}

/// The client for `INTERCOM_API_KEY`, at `INTERCOM_BASE_URL` when that is set.
fn client() -> Result<Client, intercom_sdk::Error> {
    match std::env::var("INTERCOM_BASE_URL") {
        Ok(url) => Client::builder()
            .token(std::env::var("INTERCOM_API_KEY").unwrap_or_default())
            .base_url(url)
            .build(),
        Err(_) => Client::from_env(),
    }
}
