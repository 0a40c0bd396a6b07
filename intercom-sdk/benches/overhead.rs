//! Per-call overhead of the runtime versus a bare `reqwest` + `serde_json`
//! call, against a minimal keep-alive HTTP/1.1 responder on 127.0.0.1.
//!
//! Run with `cargo bench -p intercom-sdk --bench overhead`. Bounded: a fixed
//! number of calls (about 60k in total) and a 120 s deadline; it only talks
//! to a listener it binds on loopback.
//!
//! The responder runs on its own thread and runtime; the client side is a
//! current-thread runtime, so each side has one of the machine's cores.
//! Rounds alternate between the two clients and the median round is
//! reported, which keeps drift (CPU frequency, other load) out of the ratio.

mod support;

use std::time::{Duration, Instant};

use intercom_sdk::Client;
use support::{BoxError, bare_call, contact_body, digest, runtime_call, start_server};

const WARMUP: usize = 500;
const CALLS_PER_ROUND: usize = 2_000;
const ROUNDS: usize = 15;
const DEADLINE: Duration = Duration::from_secs(120);

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() -> Result<(), BoxError> {
    let body = contact_body();
    let base = start_server(body.clone())?;
    let url = format!("{base}/contacts/6571a3b2c1d9e0f1a2b3c4d5");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let http = reqwest::Client::new();
        let client = Client::builder()
            .token("bench-token")
            .base_url(&base)
            .build()?;

        // Sanity: both paths decode the same document.
        let (a, b) = (bare_call(&http, &url).await?, runtime_call(&client).await?);
        if digest(&a) != digest(&b) {
            return Err("bare and runtime calls decoded different documents".into());
        }

        for _ in 0..WARMUP {
            bare_call(&http, &url).await?;
            runtime_call(&client).await?;
        }
        let started = Instant::now();
        let (mut bare, mut runtime) = (Vec::new(), Vec::new());
        for round in 0..ROUNDS {
            if started.elapsed() > DEADLINE {
                eprintln!("deadline reached after {round} rounds");
                break;
            }
            // Alternate which side goes first to cancel ordering effects.
            for side in [round % 2, (round + 1) % 2] {
                let t = Instant::now();
                for _ in 0..CALLS_PER_ROUND {
                    if side == 0 {
                        bare_call(&http, &url).await?;
                    } else {
                        runtime_call(&client).await?;
                    }
                }
                let per_call = t.elapsed().as_secs_f64() * 1e6 / CALLS_PER_ROUND as f64;
                if side == 0 {
                    bare.push(per_call);
                } else {
                    runtime.push(per_call);
                }
            }
        }
        let (b, r) = (median(&mut bare), median(&mut runtime));
        println!(
            "loopback GET, {} B JSON body, {} rounds x {CALLS_PER_ROUND} calls each",
            body.len(),
            bare.len()
        );
        println!("bare reqwest + serde_json : {b:8.2} us/call (median round)");
        println!("intercom-sdk runtime      : {r:8.2} us/call (median round)");
        println!("ratio runtime / bare      : {:8.3}x", r / b);
        Ok::<(), BoxError>(())
    })
}
