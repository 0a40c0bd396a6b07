//! The fuzz driver: `intercom-fuzz <target|all> [--seconds N] [--iterations N] [--seed N]
//! [--pinned-spec]`. Targets: `models`, `headers`, `paths`, `generator`. Exits with status 1 when
//! anything was found; each finding names the seed that reproduces it (`--seed S --iterations 1`).

use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use intercom_fuzz::targets::{Corpus, Generator, Headers, Models, Paths};
use intercom_fuzz::{run, Budget, Report};

const USAGE: &str = "usage: intercom-fuzz <models|headers|paths|generator|all> \
    [--seconds N] [--iterations N] [--seed N] [--pinned-spec]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(target) = args.first().cloned() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let mut budget = Budget {
        iterations: None,
        time: None,
    };
    let mut seed = None;
    let mut pinned_spec = false;
    let mut rest = args[1..].iter();
    while let Some(flag) = rest.next() {
        let mut number = || rest.next().and_then(|v| v.parse::<u64>().ok());
        match flag.as_str() {
            "--seconds" => budget.time = number().map(Duration::from_secs),
            "--iterations" => budget.iterations = number(),
            "--seed" => seed = number(),
            "--pinned-spec" => pinned_spec = true,
            _ => {
                eprintln!("unknown argument `{flag}`\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    if budget.iterations.is_none() && budget.time.is_none() {
        budget.time = Some(Duration::from_secs(10));
    }
    // A fresh seed per run unless given: every run explores new inputs, and prints its seed.
    let seed = seed.unwrap_or_else(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0)
    });
    println!("seed {seed}");

    let needs_corpus = matches!(target.as_str(), "models" | "all") || pinned_spec;
    let corpus = needs_corpus.then(Corpus::load);
    let mut reports: Vec<Report> = Vec::new();
    let all = target == "all";
    if all || target == "models" {
        if let Some(corpus) = &corpus {
            reports.push(run(&mut Models { corpus }, seed, budget));
        }
    }
    if all || target == "headers" {
        reports.push(run(&mut Headers, seed, budget));
    }
    if all || target == "paths" {
        reports.push(run(&mut Paths, seed, budget));
    }
    if all || target == "generator" {
        let spec = if pinned_spec { corpus.as_ref() } else { None };
        reports.push(run(&mut Generator::new(spec), seed, budget));
    }
    if reports.is_empty() {
        eprintln!("unknown target `{target}`\n{USAGE}");
        return ExitCode::from(2);
    }
    for report in &reports {
        println!("{report}");
    }
    if reports.iter().any(|r| !r.findings.is_empty()) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
