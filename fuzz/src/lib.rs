//! Fuzz targets for the SDK and its generator, runnable on stable Rust.
//!
//! Each [`Target`] turns a seeded random generator into one input, runs it
//! through the code under test and checks a property (no panic, and what
//! the target states: no path escape, every generator error with a JSON
//! pointer, bounded time, ...). The [`run`] driver repeats that for a number
//! of iterations or seconds, catching panics, and reports every finding with
//! the seed that reproduces it. Inputs are mutations of real material (the
//! description's response examples, the description itself) plus arbitrary
//! values: the mutators know JSON and OpenAPI, which a byte-level fuzzer
//! would spend most of its time rediscovering.
//!
//! Run from the workspace root (the targets read the pinned description from
//! `$INTERCOM_OPENAPI_DIR`):
//!
//! ```text
//! cargo run --release -p intercom-fuzz -- all --seconds 120
//! cargo run --release -p intercom-fuzz -- generator --iterations 2000 --seed 7
//! ```

pub mod mutate;
pub mod targets;

use std::panic::{self, AssertUnwindSafe};
use std::time::{Duration, Instant};

/// A small, fast, seedable generator (splitmix64): reproducible inputs
/// without a dependency.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`0` when `n == 0`).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// `true` with probability `1/n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }
}

/// What one input did.
#[derive(Debug)]
pub enum Outcome {
    /// The property held. `kind` counts outcomes by category in the report
    /// (e.g. `"decoded"`, `"rejected"`).
    Pass { kind: &'static str },
    /// The property failed.
    Finding(String),
}

/// A fuzz target: builds one input from `rng` and checks it.
pub trait Target {
    type Input;
    fn name(&self) -> &'static str;
    /// One input; the same seed gives the same input.
    fn generate(&mut self, rng: &mut Rng) -> Self::Input;
    /// Runs the code under test on `input` and checks the property.
    fn check(&mut self, input: &Self::Input) -> Outcome;
    /// The input as text, for a report.
    fn show(&self, input: &Self::Input) -> String;
    /// An input that takes longer than this is a finding.
    fn slow_limit(&self) -> Duration {
        Duration::from_secs(2)
    }
}

/// How long to run.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    pub iterations: Option<u64>,
    pub time: Option<Duration>,
}

/// One finding, reproducible with `--seed <seed> --iterations 1`.
#[derive(Debug)]
pub struct Finding {
    pub seed: u64,
    pub what: String,
    pub input: String,
}

/// What a run did.
#[derive(Debug, Default)]
pub struct Report {
    pub target: &'static str,
    pub iterations: u64,
    pub elapsed: Duration,
    pub kinds: std::collections::BTreeMap<&'static str, u64>,
    pub findings: Vec<Finding>,
    pub slowest: Duration,
    pub slowest_seed: u64,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {} iterations in {:.1?} ({:.0}/s), {} findings, slowest input {:.1?} (seed {})",
            self.target,
            self.iterations,
            self.elapsed,
            self.iterations as f64 / self.elapsed.as_secs_f64().max(1e-9),
            self.findings.len(),
            self.slowest,
            self.slowest_seed
        )?;
        for (kind, n) in &self.kinds {
            write!(f, "\n    {kind}: {n}")?;
        }
        for finding in self.findings.iter().take(20) {
            let input: String = finding.input.chars().take(300).collect();
            write!(
                f,
                "\n  FINDING (seed {}): {}\n    input: {input}",
                finding.seed, finding.what
            )?;
        }
        Ok(())
    }
}

/// Runs `target` from `seed` (each iteration uses `seed + i`) until the
/// budget is spent; panics are caught and reported as findings.
pub fn run<T: Target>(target: &mut T, seed: u64, budget: Budget) -> Report {
    let started = Instant::now();
    let mut report = Report {
        target: target.name(),
        ..Report::default()
    };
    let previous_hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let mut i = 0u64;
    loop {
        if budget.iterations.is_some_and(|n| i >= n)
            || budget.time.is_some_and(|t| started.elapsed() >= t)
        {
            break;
        }
        let iteration_seed = seed.wrapping_add(i);
        let mut rng = Rng::new(iteration_seed);
        let input = match panic::catch_unwind(AssertUnwindSafe(|| target.generate(&mut rng))) {
            Ok(input) => input,
            Err(payload) => {
                report.findings.push(Finding {
                    seed: iteration_seed,
                    what: format!("the harness panicked: {}", panic_message(&payload)),
                    input: String::new(),
                });
                i += 1;
                continue;
            }
        };
        let t0 = Instant::now();
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| target.check(&input)));
        let took = t0.elapsed();
        if took > report.slowest {
            report.slowest = took;
            report.slowest_seed = iteration_seed;
        }
        let outcome = match outcome {
            Ok(outcome) => outcome,
            Err(payload) => Outcome::Finding(format!("panic: {}", panic_message(&payload))),
        };
        let finding = match outcome {
            Outcome::Pass { kind } if took > target.slow_limit() => {
                Some(format!("slow: {took:.1?} ({kind})"))
            }
            Outcome::Pass { kind } => {
                *report.kinds.entry(kind).or_default() += 1;
                None
            }
            Outcome::Finding(what) => Some(what),
        };
        if let Some(what) = finding {
            report.findings.push(Finding {
                seed: iteration_seed,
                what,
                input: target.show(&input),
            });
        }
        i += 1;
    }
    panic::set_hook(previous_hook);
    report.iterations = i;
    report.elapsed = started.elapsed();
    report
}

fn panic_message(payload: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(non-string panic payload)".to_owned()
    }
}
