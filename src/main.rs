// The CLI that calls into `bench` is written separately; until it lands nothing in the binary
// calls the runner, and only the tests drive it.
#[allow(dead_code, unused_imports)]
mod bench;

fn main() {}
