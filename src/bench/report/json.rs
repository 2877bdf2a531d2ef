//! `bench/results.json`: every figure of both systems, with what is needed to reproduce them:
//! the QEMU version, every QEMU command line, the kernels the guests named, the packages the
//! Linux guest was made from, and the host date.
//!
//! Invariant: the JSON holds the figures exactly as the guests printed them; a case one side did
//! not report is `null` on that side, and `ratio_linux_over_spinel` is `null` unless
//! [`Row::ratio`] gives one.

use std::path::Path;

use serde_json::{Value, json};

use super::{ReportContext, Row, rows};
use crate::bench::results::{CaseResult, Measure, RunResults};

/// The whole report as a JSON value.
pub fn results_json(spinel: &RunResults, linux: &RunResults, context: &ReportContext) -> Value {
    let cases: Vec<Value> = rows(spinel, linux).iter().map(row_json).collect();
    json!({
        "generated": humantime::format_rfc3339_seconds(context.generated).to_string(),
        "qemu_version": context.qemu_version,
        "statistics": "per case: n measured iterations after a warm-up; min, and median and p99 \
                       by nearest rank over the sorted samples",
        "ratio": "Linux median / Spinel median; above 1 means Spinel ran the case in fewer",
        "systems": {
            "spinel": system_json(spinel, &context.repo_root),
            "linux": system_json(linux, &context.repo_root),
        },
        "cases": cases,
    })
}

fn system_json(run: &RunResults, repo_root: &Path) -> Value {
    let boots: Vec<Value> = run
        .boots
        .iter()
        .map(|b| {
            let args: Vec<String> = b.qemu_args.iter().map(|a| relative(a, repo_root)).collect();
            json!({ "label": b.label, "qemu_args": args, "seconds": round2(b.seconds) })
        })
        .collect();
    let provenance: serde_json::Map<String, Value> = run
        .provenance
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    json!({
        "name": run.system,
        "kernel": run.kernel,
        "provenance": provenance,
        "boots": boots,
    })
}

fn row_json(row: &Row) -> Value {
    json!({
        "name": row.name,
        "spinel": row.spinel.map(case_json),
        "linux": row.linux.map(case_json),
        "ratio_linux_over_spinel": row.ratio().map(|r| (r * 1000.0).round() / 1000.0),
    })
}

fn case_json(case: &CaseResult) -> Value {
    let (unit, runs) = match case.measure {
        Measure::Instructions => ("guest_instructions_icount", None),
        Measure::PlainTcgTicks { runs } => ("tsc_ticks_plain_tcg_min_of_runs", Some(runs)),
    };
    json!({
        "n": case.iterations,
        "min": case.min,
        "median": case.median,
        "p99": case.p99,
        "unit": unit,
        "runs": runs,
    })
}

/// `arg` with the repository root taken off a path that starts with it.
fn relative(arg: &str, repo_root: &Path) -> String {
    Path::new(arg)
        .strip_prefix(repo_root)
        .map(|rest| rest.to_string_lossy().into_owned())
        .unwrap_or_else(|_| arg.to_string())
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::qemu::BootRecord;
    use crate::bench::report::tests::sample_runs;
    use std::time::{Duration, SystemTime};

    fn context() -> ReportContext {
        ReportContext {
            qemu_version: "QEMU emulator version 7.2.22".into(),
            generated: SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000),
            repo_root: "/repo".into(),
        }
    }

    #[test]
    fn json_holds_versions_date_and_flags() {
        let (spinel, mut linux) = sample_runs();
        linux.provenance.push((
            "linux-image".into(),
            "linux-image-6.1.0-57-amd64 6.1.192-3".into(),
        ));
        linux.boots.push(BootRecord {
            label: "linux-one-cpu".into(),
            qemu_args: vec![
                "-icount".into(),
                "shift=0,sleep=off".into(),
                "-kernel".into(),
                "/repo/bench/cache/vmlinuz".into(),
                "/repository/x".into(),
            ],
            seconds: 61.234,
        });
        let value = results_json(&spinel, &linux, &context());

        assert_eq!(value["qemu_version"], "QEMU emulator version 7.2.22");
        assert_eq!(value["generated"], "2027-01-15T08:00:00Z");
        assert_eq!(value["systems"]["linux"]["kernel"], "6.1.0-57-amd64");
        assert_eq!(
            value["systems"]["linux"]["provenance"]["linux-image"],
            "linux-image-6.1.0-57-amd64 6.1.192-3"
        );
        assert_eq!(
            value["systems"]["linux"]["boots"][0]["qemu_args"][1],
            "shift=0,sleep=off"
        );
        assert_eq!(
            value["systems"]["linux"]["boots"][0]["qemu_args"][3],
            "bench/cache/vmlinuz"
        );
        assert_eq!(
            value["systems"]["linux"]["boots"][0]["qemu_args"][4],
            "/repository/x"
        );
        assert_eq!(value["systems"]["linux"]["boots"][0]["seconds"], 61.23);
    }

    #[test]
    fn each_case_begins_with_its_name() {
        let (spinel, linux) = sample_runs();
        let value = results_json(&spinel, &linux, &context());
        let first_key = value["cases"][0]
            .as_object()
            .and_then(|o| o.keys().next().cloned());
        assert_eq!(first_key.as_deref(), Some("name"));
    }

    #[test]
    fn json_holds_every_figure_and_nulls_for_missing_sides() {
        let (spinel, linux) = sample_runs();
        let value = results_json(&spinel, &linux, &context());
        let cases = value["cases"].as_array().expect("a list of cases");
        let find = |name: &str| cases.iter().find(|c| c["name"] == name).expect("a case");

        let null_syscall = find("null_syscall");
        assert_eq!(null_syscall["linux"]["median"], 329);
        assert_eq!(null_syscall["linux"]["p99"], 493);
        assert_eq!(null_syscall["spinel"]["min"], 90);
        assert_eq!(null_syscall["ratio_linux_over_spinel"], 3.29);

        assert!(find("process_lifecycle")["spinel"].is_null());
        assert!(find("process_lifecycle")["ratio_linux_over_spinel"].is_null());
        assert_eq!(
            find("ipi_wake")["linux"]["unit"],
            "tsc_ticks_plain_tcg_min_of_runs"
        );
        assert_eq!(find("ipi_wake")["linux"]["runs"], 3);
        assert!(find("ipi_wake")["ratio_linux_over_spinel"].is_null());
    }
}
