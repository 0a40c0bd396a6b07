//! A short, deterministic run of every target (fixed seeds, a few hundred inputs each): the
//! properties hold on inputs that once broke the SDK or the generator. Longer runs: see the README.

use intercom_fuzz::targets::{Corpus, Generator, Headers, Models, Paths};
use intercom_fuzz::{run, Budget, Target};

fn iterations(n: u64) -> Budget {
    Budget {
        iterations: Some(n),
        time: None,
    }
}

fn assert_clean<T: Target>(target: &mut T, n: u64) {
    let report = run(target, 20_251_125, iterations(n));
    assert_eq!(report.iterations, n);
    assert!(report.findings.is_empty(), "{report}");
}

#[test]
fn headers() {
    assert_clean(&mut Headers, 20_000);
}

#[test]
fn paths() {
    assert_clean(&mut Paths, 20_000);
}

#[test]
fn models() {
    let corpus = Corpus::load();
    assert!(
        corpus.examples.len() > 50,
        "{} examples",
        corpus.examples.len()
    );
    assert_clean(&mut Models { corpus: &corpus }, 3_000);
}

#[test]
fn generator() {
    assert_clean(&mut Generator::new(None), 150);
}
