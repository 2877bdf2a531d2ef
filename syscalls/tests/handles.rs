//! Handle syscalls (spec §6), and how creating syscalls hand handles out.

mod common;

use common::{Harness, st};
use syscalls::abi::*;

#[test]
fn close_removes_the_handle_and_a_second_close_is_bad_handle() {
    let harness = Harness::new();
    let event = harness.event();
    harness.ok(numbers::handle_close, &[event.into()]);
    assert_eq!(harness.handle_count(), 0);
    assert_eq!(
        harness.call(numbers::handle_close, &[event.into()]),
        st(ZX_ERR_BAD_HANDLE)
    );
}

#[test]
fn closing_the_invalid_handle_is_ok() {
    let harness = Harness::new();
    harness.ok(numbers::handle_close, &[ZX_HANDLE_INVALID.into()]);
}

#[test]
fn close_takes_the_low_32_bits_of_its_register() {
    let harness = Harness::new();
    let event = harness.event();
    harness.ok(
        numbers::handle_close,
        &[0xffff_ffff_0000_0000 | u64::from(event)],
    );
    assert_eq!(harness.handle_count(), 0);
}

#[test]
fn duplicate_with_same_rights_copies_the_rights() {
    let harness = Harness::new();
    let event = harness.event();
    let copy = harness.reduced(event, ZX_RIGHT_SAME_RIGHTS);
    assert_ne!(copy, event);
    let (original, duplicate) = (harness.basic_info(event), harness.basic_info(copy));
    assert_eq!(duplicate.rights, ZX_DEFAULT_EVENT_RIGHTS);
    assert_eq!(duplicate.koid, original.koid);
}

#[test]
fn duplicate_to_fewer_rights_keeps_only_those() {
    let harness = Harness::new();
    let event = harness.event();
    let copy = harness.reduced(event, ZX_RIGHT_WAIT | ZX_RIGHT_INSPECT);
    assert_eq!(
        harness.basic_info(copy).rights,
        ZX_RIGHT_WAIT | ZX_RIGHT_INSPECT
    );
}

#[test]
fn duplicate_to_more_rights_is_invalid_args() {
    let harness = Harness::new();
    let event = harness.event();
    let out = harness.memory.alloc(4);
    let status = harness.call(
        numbers::handle_duplicate,
        &[
            event.into(),
            (ZX_DEFAULT_EVENT_RIGHTS | ZX_RIGHT_WRITE).into(),
            out,
        ],
    );
    assert_eq!(status, st(ZX_ERR_INVALID_ARGS));
    assert_eq!(harness.handle_count(), 1);
}

#[test]
fn duplicate_without_the_duplicate_right_is_access_denied() {
    let harness = Harness::new();
    let (channel, _) = harness.channel();
    let out = harness.memory.alloc(4);
    let status = harness.call(
        numbers::handle_duplicate,
        &[channel.into(), ZX_RIGHT_SAME_RIGHTS.into(), out],
    );
    assert_eq!(status, st(ZX_ERR_ACCESS_DENIED));
}

#[test]
fn duplicate_of_a_bad_handle_is_bad_handle() {
    let harness = Harness::new();
    let out = harness.memory.alloc(4);
    let status = harness.call(
        numbers::handle_duplicate,
        &[0x1233, ZX_RIGHT_SAME_RIGHTS.into(), out],
    );
    assert_eq!(status, st(ZX_ERR_BAD_HANDLE));
}

#[test]
fn duplicate_to_a_bad_out_pointer_leaves_no_new_handle() {
    let harness = Harness::new();
    let event = harness.event();
    let unmapped = harness.memory.unmapped();
    for out in [0, unmapped] {
        let status = harness.call(
            numbers::handle_duplicate,
            &[event.into(), ZX_RIGHT_SAME_RIGHTS.into(), out],
        );
        assert_eq!(status, st(ZX_ERR_INVALID_ARGS));
    }
    assert_eq!(harness.handle_count(), 1);
}

#[test]
fn replace_gives_a_new_handle_and_kills_the_old_one() {
    let harness = Harness::new();
    let event = harness.event();
    let koid = harness.basic_info(event).koid;
    let out = harness.memory.alloc(4);
    harness.ok(
        numbers::handle_replace,
        &[event.into(), ZX_RIGHT_WAIT.into(), out],
    );
    let replacement = harness.memory.get_u32(out);
    assert_eq!(harness.basic_info(replacement).rights, ZX_RIGHT_WAIT);
    assert_eq!(harness.basic_info(replacement).koid, koid);
    assert_eq!(
        harness.call(numbers::handle_close, &[event.into()]),
        st(ZX_ERR_BAD_HANDLE)
    );
    assert_eq!(harness.handle_count(), 1);
}

#[test]
fn replace_needs_no_right() {
    let harness = Harness::new();
    let event = harness.event();
    let bare = harness.reduced(event, ZX_RIGHT_NONE);
    let out = harness.memory.alloc(4);
    harness.ok(
        numbers::handle_replace,
        &[bare.into(), ZX_RIGHT_SAME_RIGHTS.into(), out],
    );
}

#[test]
fn a_failed_replace_still_consumes_the_original() {
    let harness = Harness::new();
    let event = harness.event();
    let out = harness.memory.alloc(4);
    let status = harness.call(
        numbers::handle_replace,
        &[event.into(), ZX_RIGHT_WRITE.into(), out],
    );
    assert_eq!(status, st(ZX_ERR_INVALID_ARGS));
    assert_eq!(harness.handle_count(), 0);
}

#[test]
fn replace_to_a_bad_out_pointer_closes_both_handles() {
    let harness = Harness::new();
    let event = harness.event();
    let status = harness.call(
        numbers::handle_replace,
        &[event.into(), ZX_RIGHT_SAME_RIGHTS.into(), 0],
    );
    assert_eq!(status, st(ZX_ERR_INVALID_ARGS));
    assert_eq!(harness.handle_count(), 0);
}

#[test]
fn replace_of_a_bad_handle_is_bad_handle() {
    let harness = Harness::new();
    let out = harness.memory.alloc(4);
    let status = harness.call(
        numbers::handle_replace,
        &[0x1233, ZX_RIGHT_SAME_RIGHTS.into(), out],
    );
    assert_eq!(status, st(ZX_ERR_BAD_HANDLE));
}

#[test]
fn a_pair_with_one_bad_out_pointer_leaves_neither_handle() {
    let harness = Harness::new();
    let out = harness.memory.alloc(4);
    let unmapped = harness.memory.unmapped();
    for number in [numbers::channel_create, numbers::eventpair_create] {
        for (out0, out1) in [(out, unmapped), (unmapped, out), (0, out)] {
            assert_eq!(
                harness.call(number, &[0, out0, out1]),
                st(ZX_ERR_INVALID_ARGS)
            );
        }
    }
    assert_eq!(harness.handle_count(), 0);
}
