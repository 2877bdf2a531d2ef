//! VMOs (spec §4.6): creation, contents and size.

use crate::harness::{Case, Context, Outcome, case, ensure_eq, ensure_err};
use user::Vmo;

pub const CASES: &[Case] = &[
    case("vmo_write_then_read_round_trips", round_trip),
    case("vmo_starts_zero_filled", zero_filled),
    case("vmo_size_is_rounded_up_to_whole_pages", rounded_size),
    case(
        "vmo_create_with_unknown_options_is_invalid_args",
        bad_options,
    ),
    case("vmo_create_too_large_is_out_of_range", too_large),
];

fn round_trip(_: &Context) -> Outcome {
    let vmo = Vmo::create(8192)?;
    vmo.write(b"spinel", 4000)?;
    let mut buffer = [0u8; 6];
    vmo.read(&mut buffer, 4000)?;
    ensure_eq!(&buffer, b"spinel");
    Ok(())
}

fn zero_filled(_: &Context) -> Outcome {
    let vmo = Vmo::create(4096)?;
    let mut buffer = [0xffu8; 64];
    vmo.read(&mut buffer, 1000)?;
    ensure_eq!(buffer, [0u8; 64]);
    Ok(())
}

fn rounded_size(_: &Context) -> Outcome {
    ensure_eq!(Vmo::create(5000)?.size()?, 8192);
    ensure_eq!(Vmo::create(4096)?.size()?, 4096);
    Ok(())
}

fn bad_options(_: &Context) -> Outcome {
    ensure_err!(Vmo::create_with(4096, 1 << 7), InvalidArgs);
    Ok(())
}

fn too_large(_: &Context) -> Outcome {
    ensure_err!(Vmo::create(u64::MAX), OutOfRange);
    Ok(())
}
