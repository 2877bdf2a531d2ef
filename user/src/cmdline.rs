//! What `init` reads in the kernel command line: the boot mode and the test filter.
//!
//! `spinel.mode=test` runs the conformance suite, `spinel.mode=bench` the benchmarks, and any
//! other value (or none) the demonstration. `spinel.test=<filter>` keeps only the conformance
//! cases whose name contains `<filter>`. Other words are the kernel's and are ignored.

/// The key of the boot mode.
const MODE_KEY: &str = "spinel.mode=";
/// The key of the test filter.
const TEST_KEY: &str = "spinel.test=";

/// What `init` does after boot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode<'a> {
    /// The demonstration, then power off.
    Demo,
    /// The conformance suite, keeping cases whose name contains the filter (if any).
    Test {
        /// The filter.
        filter: Option<&'a str>,
    },
    /// The benchmarks.
    Bench,
}

/// The mode `cmdline` asks for. A key given twice counts the last time.
pub fn mode(cmdline: &str) -> Mode<'_> {
    let value = |key: &str| {
        cmdline
            .split_whitespace()
            .filter_map(|w| w.strip_prefix(key))
            .next_back()
    };
    match value(MODE_KEY) {
        Some("test") => Mode::Test {
            filter: value(TEST_KEY).filter(|f| !f.is_empty()),
        },
        Some("bench") => Mode::Bench,
        _ => Mode::Demo,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_mode_is_the_demo() {
        assert_eq!(mode(""), Mode::Demo);
        assert_eq!(mode("log=debug spinel.mode=party"), Mode::Demo);
    }

    #[test]
    fn test_mode_takes_the_filter() {
        assert_eq!(mode("spinel.mode=test"), Mode::Test { filter: None });
        let cmdline = "log=info spinel.test=channel_ spinel.mode=test";
        assert_eq!(
            mode(cmdline),
            Mode::Test {
                filter: Some("channel_")
            }
        );
        assert_eq!(
            mode("spinel.mode=test spinel.test="),
            Mode::Test { filter: None }
        );
    }

    #[test]
    fn bench_mode_and_repeated_keys() {
        assert_eq!(mode("spinel.mode=bench"), Mode::Bench);
        assert_eq!(
            mode("spinel.mode=bench spinel.mode=test"),
            Mode::Test { filter: None }
        );
    }
}
