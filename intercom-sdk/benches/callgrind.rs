//! Per-call instruction count of the runtime versus a bare `reqwest` + `serde_json` call, for
//! callgrind: `scripts/callgrind-overhead.sh` drives it (see there for the method).
//!
//! ```text
//! callgrind serve                 # the responder, in its own process: prints its base URL
//! callgrind bare|sdk <N> <URL>    # a client making N calls (after a fixed warm-up)
//! ```
//!
//! Both clients decode the same contact body into the same user type, against the same
//! keep-alive HTTP/1.1 responder on 127.0.0.1 (shared with the `overhead` bench). The client
//! runs on a current-thread runtime, so the process counts only the client's instructions.
//! Without arguments (as `cargo bench` runs it) it only prints this usage.

mod support;

use std::io::Write;

use intercom_sdk::Client;
use support::{BoxError, bare_call, contact_body, digest, runtime_call, start_server};

/// Calls made before the counted ones, in every run: connection set-up and first-use costs
/// are then part of the start-up, which cancels out between the N and 2N runs.
const WARMUP: usize = 50;

fn main() -> Result<(), BoxError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["serve"] => serve(),
        [mode @ ("bare" | "sdk"), n, url] => client(mode, n.parse()?, url),
        _ => {
            println!("usage: callgrind serve | callgrind bare|sdk <N> <BASE_URL>");
            println!("(run scripts/callgrind-overhead.sh for the measurement)");
            Ok(())
        }
    }
}

/// Runs the responder until the process is killed.
fn serve() -> Result<(), BoxError> {
    let base = start_server(contact_body())?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{base}")?;
    out.flush()?;
    drop(out);
    loop {
        std::thread::park();
    }
}

fn client(mode: &str, n: usize, base: &str) -> Result<(), BoxError> {
    let url = format!("{base}/contacts/6571a3b2c1d9e0f1a2b3c4d5");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let http = reqwest::Client::new();
        let client = Client::builder()
            .token("bench-token")
            .base_url(base)
            .build()?;
        // Sanity: both paths decode the same document.
        let (a, b) = (bare_call(&http, &url).await?, runtime_call(&client).await?);
        if digest(&a) != digest(&b) {
            return Err("bare and runtime calls decoded different documents".into());
        }
        for _ in 0..WARMUP + n {
            if mode == "bare" {
                bare_call(&http, &url).await?;
            } else {
                runtime_call(&client).await?;
            }
        }
        Ok(())
    })
}
