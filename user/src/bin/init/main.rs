#![no_std]
#![no_main]

user::entry!(main);

fn main(_s: user::Startup) -> i64 {
    0
}
