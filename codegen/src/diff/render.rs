//! A [`Report`] as text, Markdown and JSON.

use std::fmt::Write as _;

use super::{Change, Class, Impact, Report, Verdict};

impl Report {
    pub fn breaking(&self) -> usize {
        self.changes
            .iter()
            .filter(|c| c.impact == Impact::Breaking)
            .count()
    }

    pub fn additive(&self) -> usize {
        self.changes
            .iter()
            .filter(|c| c.impact == Impact::Additive)
            .count()
    }

    /// One line: `2.11 -> 2.15: major (12 breaking, 30 additive, 2 compatible)`.
    pub fn summary_line(&self) -> String {
        format!(
            "{} -> {}: {} ({} breaking, {} additive, {} compatible)",
            self.from,
            self.to,
            self.verdict.as_str(),
            self.breaking(),
            self.additive(),
            self.changes.len() - self.breaking() - self.additive()
        )
    }

    /// Counts per class, one `label: n` per line, indented.
    fn counts_text(&self) -> String {
        let mut out = String::new();
        for class in Class::ALL {
            if let Some(n) = self.counts.get(&class) {
                let _ = writeln!(out, "  {:<30} {n}", format!("{}:", class.label()));
            }
        }
        out
    }

    /// The human report: changes grouped by impact, counts per class, then the verdict.
    pub fn text(&self) -> String {
        let mut out = format!("API diff {} -> {}\n", self.from, self.to);
        for (impact, title) in [
            (Impact::Breaking, "Breaking changes"),
            (Impact::Additive, "Additive changes"),
            (
                Impact::Compatible,
                "Compatible changes (the Rust API is unchanged)",
            ),
        ] {
            let group: Vec<&Change> = self.changes.iter().filter(|c| c.impact == impact).collect();
            if group.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n{title} ({}):", group.len());
            for c in group {
                let _ = writeln!(out, "  - {}: {}: {}", c.class.label(), c.subject, c.detail);
            }
        }
        let _ = writeln!(out, "\nCounts:");
        if self.changes.is_empty() {
            let _ = writeln!(out, "  no change to the Rust API");
        }
        out.push_str(&self.counts_text());
        let _ = writeln!(out, "\nVerdict: {}", self.verdict_text());
        out
    }

    fn verdict_text(&self) -> String {
        match self.verdict {
            Verdict::Major => format!(
                "major ({} breaking change(s); while the crate is 0.x, bump the minor version)",
                self.breaking()
            ),
            Verdict::Minor => format!(
                "minor ({} additive change(s), nothing breaking; while the crate is 0.x, bump the patch version)",
                self.additive()
            ),
            Verdict::Patch => "patch (no change to the Rust API)".to_owned(),
        }
    }

    /// A Keep a Changelog section body (`### Added`, `### Changed`, ...), breaking entries marked.
    pub fn markdown(&self) -> String {
        let mut out = format!(
            "API {} -> {}. Semver verdict: **{}**.\n",
            self.from,
            self.to,
            self.verdict_text()
        );
        if !self.counts.is_empty() {
            let _ = writeln!(out, "\n| Change | Count |\n|---|---|");
            for class in Class::ALL {
                if let Some(n) = self.counts.get(&class) {
                    let _ = writeln!(out, "| {} | {n} |", class.label());
                }
            }
        }
        let section = |c: &Change| match c.class {
            Class::OperationAdded
            | Class::TypeAdded
            | Class::FieldAdded
            | Class::EnumValueAdded
            | Class::VariantAdded => "Added",
            Class::InputAdded => "Added",
            Class::OperationRemoved
            | Class::TypeRemoved
            | Class::FieldRemoved
            | Class::EnumValueRemoved
            | Class::VariantRemoved
            | Class::InputRemoved => "Removed",
            Class::OperationChanged if c.detail == "deprecated" => "Deprecated",
            _ => "Changed",
        };
        for title in ["Added", "Changed", "Deprecated", "Removed"] {
            let group: Vec<&Change> = self
                .changes
                .iter()
                .filter(|c| section(c) == title)
                .collect();
            if group.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n### {title}\n");
            for c in group {
                let mark = if c.impact == Impact::Breaking {
                    "**Breaking:** "
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "- {mark}{} `{}`: {}",
                    c.class.label(),
                    c.subject,
                    c.detail
                );
            }
        }
        out
    }

    /// The report as pretty JSON (`from`, `to`, `verdict`, `counts`, `changes`).
    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}
