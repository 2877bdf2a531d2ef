//! A sandbox for the garbage-syscall fuzzer: live objects and memory that the program never
//! uses, which arbitrary syscalls may be aimed at.
//!
//! [`Sandbox::new`] makes a pool of live handles of every kind the kernel has (VMARs, a VMO,
//! channels, an event, an event pair, a port, a job with a process and a thread in it) and
//! three ranges of this process's address space that hold no Rust value:
//!
//! - the *read-only page*, mapped without write permission: its first words are the pool's
//!   handle values (the *handle area*), the rest is a filler byte whose words can never be
//!   handle values (valid values have their two low bits set);
//! - the *scratch*, a writable mapping the kernel may fill with anything (new handle values,
//!   records, messages);
//! - the *hole*, a VMAR with nothing mapped; one pool VMAR is a child of it, so syscalls may map
//!   into it, but the hole itself is never destroyed, so no allocation of the program can come to
//!   lie there.
//!
//! [`Sandbox::syscall`] issues any syscall whose arguments stay within the sandbox, checked
//! against each syscall's signature ([`arg_kind`]). The pool's handles belong to the sandbox:
//! calls may close or move them, and the pool forgets every value that stops being live after
//! each call, so a value the kernel later reuses for one of the program's handles is never
//! passed. What is left in the pool stays open until the process ends.

use crate::handle::{Handle, is_live_handle_value};
use crate::status::{Status, ZxResult};
use crate::task::Job;
use crate::vm::{PAGE_SIZE, VmOptions, is_user_address};
use crate::vmar::Vmar;
use crate::vmo::Vmo;
use crate::{Channel, Event, EventPair, Port, rt};
use alloc::vec::Vec;
use core::ops::Range;
use syscalls_abi::numbers as nr;
use syscalls_abi::{
    ZX_OBJ_TYPE_CHANNEL, ZX_OBJ_TYPE_EVENT, ZX_OBJ_TYPE_EVENTPAIR, ZX_OBJ_TYPE_JOB,
    ZX_OBJ_TYPE_PORT, ZX_OBJ_TYPE_PROCESS, ZX_OBJ_TYPE_THREAD, ZX_OBJ_TYPE_VMAR, ZX_OBJ_TYPE_VMO,
};

use super::signatures::{ArgKind, arg_kind};
use super::stubs::{NotInert, raw8};

/// Pointer arguments that must be inert (outside the user range) even in a sandbox:
/// `zx_channel_call`'s `args` (the kernel writes the reply where the structure it points to
/// says), and `zx_debug_write`'s buffer (the console belongs to the test runner).
const INERT_ONLY: [(u64, usize); 2] = [(nr::channel_call, 3), (nr::debug_write, 0)];

/// `zx_channel_write`'s handle array (syscall, position, position of the count): read from
/// memory, and every handle it names consumed.
const HANDLE_ARRAY: (u64, usize, usize) = (nr::channel_write, 4, 5);

/// The byte that fills the read-only page after the handle area: `0xa5a5_a5a5` has the low
/// bits `01`, so no word of it is a handle value.
const FILLER: u8 = 0xa5;
/// Bytes of the hole (pool VMARs are pages of it).
const HOLE_BYTES: usize = 16 * PAGE_SIZE;
/// Bytes of the scratch mapping.
const SCRATCH_BYTES: usize = 2 * PAGE_SIZE;
/// Bytes of the pool's VMO.
const VMO_BYTES: u64 = 4 * PAGE_SIZE as u64;

/// What a pool handle is, so that the pool can be topped up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Vmar,
    Vmo,
    Channel,
    Event,
    EventPair,
    Port,
    Job,
    Process,
    Thread,
}

impl Kind {
    /// The `ZX_OBJ_TYPE_*` of objects of this kind.
    fn object_type(self) -> u32 {
        match self {
            Kind::Vmar => ZX_OBJ_TYPE_VMAR,
            Kind::Vmo => ZX_OBJ_TYPE_VMO,
            Kind::Channel => ZX_OBJ_TYPE_CHANNEL,
            Kind::Event => ZX_OBJ_TYPE_EVENT,
            Kind::EventPair => ZX_OBJ_TYPE_EVENTPAIR,
            Kind::Port => ZX_OBJ_TYPE_PORT,
            Kind::Job => ZX_OBJ_TYPE_JOB,
            Kind::Process => ZX_OBJ_TYPE_PROCESS,
            Kind::Thread => ZX_OBJ_TYPE_THREAD,
        }
    }
}

/// Every kind, with how many handles of it the pool keeps at least.
const WANTED: [(Kind, usize); 9] = [
    (Kind::Vmar, 1),
    (Kind::Vmo, 1),
    (Kind::Channel, 2),
    (Kind::Event, 1),
    (Kind::EventPair, 2),
    (Kind::Port, 1),
    (Kind::Job, 1),
    (Kind::Process, 1),
    (Kind::Thread, 1),
];

/// Live objects and unused memory for the fuzzer; see the module doc.
pub struct Sandbox {
    /// The job under which the pool's jobs are made (not in the pool).
    parent: Job,
    /// The VMAR of the read-only page (not in the pool).
    read_only_vmar: Vmar,
    read_only: Range<usize>,
    /// The VMAR that reserves the hole (not in the pool; never destroyed).
    hole_vmar: Vmar,
    hole: Range<usize>,
    /// The VMO mapped at the scratch range (not in the pool; only read).
    scratch_vmo: Vmo,
    scratch: Range<usize>,
    /// The VMO mapped at the read-only page (not in the pool; only read).
    read_only_vmo: Vmo,
    /// What the read-only page was made to hold.
    page: Vec<u8>,
    /// The pool: live handle values owned by the sandbox.
    pool: Vec<(Kind, u32)>,
    /// How many pool values the read-only page's handle area holds.
    handle_count: usize,
}

impl Sandbox {
    /// A sandbox whose jobs are children of `parent`.
    pub fn new(parent: &Job) -> ZxResult<Sandbox> {
        let read_only_options = VmOptions::CAN_MAP_READ | VmOptions::CAN_MAP_SPECIFIC;
        let (read_only_vmar, base) = rt::root_vmar().allocate(read_only_options, 0, PAGE_SIZE)?;
        let hole_options =
            VmOptions::CAN_MAP_READ | VmOptions::CAN_MAP_WRITE | VmOptions::CAN_MAP_SPECIFIC;
        let (hole_vmar, hole) = rt::root_vmar().allocate(hole_options, 0, HOLE_BYTES)?;
        let scratch_vmo = Vmo::create(SCRATCH_BYTES as u64)?;
        let (scratch_vmar, _) = rt::root_vmar().allocate(hole_options, 0, SCRATCH_BYTES)?;
        let scratch = scratch_vmar.map(VmOptions::PERM_RW, 0, &scratch_vmo, 0, SCRATCH_BYTES)?;
        let mut sandbox = Sandbox {
            parent: parent.create_child()?,
            read_only_vmar,
            read_only: base..base + PAGE_SIZE,
            hole_vmar,
            hole: hole..hole + HOLE_BYTES,
            scratch_vmo,
            scratch: scratch..scratch + SCRATCH_BYTES,
            read_only_vmo: Vmo::create(PAGE_SIZE as u64)?,
            page: Vec::new(),
            pool: Vec::new(),
            handle_count: 0,
        };
        sandbox.replenish()?;
        Ok(sandbox)
    }

    /// The live pool handles.
    pub fn pool(&self) -> impl Iterator<Item = u32> + '_ {
        self.pool.iter().map(|&(_, value)| value)
    }

    /// The read-only page.
    pub fn read_only(&self) -> Range<usize> {
        self.read_only.clone()
    }

    /// The handle area at the start of the read-only page: one `u32` per entry.
    pub fn handle_area(&self) -> Range<usize> {
        self.read_only.start..self.read_only.start + 4 * self.handle_count
    }

    /// The hole.
    pub fn hole(&self) -> Range<usize> {
        self.hole.clone()
    }

    /// The scratch range.
    pub fn scratch(&self) -> Range<usize> {
        self.scratch.clone()
    }

    /// The live pool handles with their object types (`ZX_OBJ_TYPE_*`).
    pub fn pool_typed(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.pool
            .iter()
            .map(|&(kind, value)| (kind.object_type(), value))
    }

    /// Tops the pool up to [`WANTED`] with new objects (once the hole is full, without new
    /// VMARs in it) and rewrites the read-only page with the pool's values.
    pub fn replenish(&mut self) -> ZxResult {
        for (kind, wanted) in WANTED {
            let have = self.pool.iter().filter(|(k, _)| *k == kind).count();
            for _ in have..wanted {
                match self.add(kind) {
                    Ok(()) => {}
                    // The hole is full of VMARs the fuzz left behind; other VMARs remain.
                    Err(Status::NoMemory) if kind == Kind::Vmar => break,
                    Err(status) => return Err(status),
                }
            }
        }
        self.rewrite_read_only()
    }

    /// Makes one more object of `kind` (with its companions where objects come in sets).
    fn add(&mut self, kind: Kind) -> ZxResult {
        let made: Vec<(Kind, Handle)> = match kind {
            Kind::Vmar => {
                let options = VmOptions::CAN_MAP_READ
                    | VmOptions::CAN_MAP_WRITE
                    | VmOptions::CAN_MAP_SPECIFIC;
                let (vmar, _) = self.hole_vmar.allocate(options, 0, PAGE_SIZE)?;
                alloc::vec![(Kind::Vmar, vmar.into())]
            }
            Kind::Vmo => alloc::vec![(Kind::Vmo, Vmo::create(VMO_BYTES)?.into())],
            Kind::Channel => {
                let (a, b) = Channel::create()?;
                alloc::vec![(Kind::Channel, a.into()), (Kind::Channel, b.into())]
            }
            Kind::Event => alloc::vec![(Kind::Event, Event::create()?.into())],
            Kind::EventPair => {
                let (a, b) = EventPair::create()?;
                alloc::vec![(Kind::EventPair, a.into()), (Kind::EventPair, b.into())]
            }
            Kind::Port => alloc::vec![(Kind::Port, Port::create()?.into())],
            Kind::Job | Kind::Process | Kind::Thread => {
                let job = self.parent.create_child()?;
                let (process, vmar) = job.create_process("sandboxed")?;
                let thread = process.create_thread("sandboxed")?;
                // The root VMAR of another process: what is mapped there is not this one's.
                alloc::vec![
                    (Kind::Thread, thread.into()),
                    (Kind::Process, process.into()),
                    (Kind::Vmar, vmar.into()),
                    (Kind::Job, job.into()),
                ]
            }
        };
        let adopted = made
            .into_iter()
            .map(|(kind, handle)| (kind, handle.into_raw()));
        self.pool.extend(adopted);
        Ok(())
    }

    /// Maps a new read-only page over the old one: the pool's values, then the filler.
    fn rewrite_read_only(&mut self) -> ZxResult {
        let mut page = alloc::vec![FILLER; PAGE_SIZE];
        let values: Vec<u32> = self.pool().collect();
        for (slot, value) in page.chunks_exact_mut(4).zip(&values) {
            slot.copy_from_slice(&value.to_le_bytes());
        }
        let vmo = Vmo::create(PAGE_SIZE as u64)?;
        vmo.write(&page, 0)?;
        let options = VmOptions::PERM_READ | VmOptions::SPECIFIC_OVERWRITE;
        self.read_only_vmar.map(options, 0, &vmo, 0, PAGE_SIZE)?;
        (self.read_only_vmo, self.page, self.handle_count) = (vmo, page, values.len());
        Ok(())
    }

    /// Whether the read-only page still holds what it was made with: the kernel must not
    /// have written it.
    pub fn read_only_intact(&self) -> ZxResult<bool> {
        let mut now = alloc::vec![0; PAGE_SIZE];
        self.read_only_vmo.read(&mut now, 0)?;
        Ok(now == self.page)
    }

    /// Whether the pointer at position `index` of syscall `number` must be inert (outside the
    /// user range) even in a sandbox; see [`INERT_ONLY`].
    pub fn must_be_inert(number: u64, index: usize) -> bool {
        INERT_ONLY.contains(&(number, index))
    }

    /// Whether position `index` of syscall `number` is the handle array the sandbox reads from
    /// memory and checks against the pool; see [`HANDLE_ARRAY`].
    pub fn is_handle_array(number: u64, index: usize) -> bool {
        let (syscall, at, _) = HANDLE_ARRAY;
        (number, index) == (syscall, at)
    }

    /// Whether `arg` may stand at position `index` of syscall `number`. The arguments of a
    /// syscall without a signature are all taken as pointers.
    fn check(&self, number: u64, index: usize, arg: u64) -> Result<(), NotInert> {
        let pooled = self.pool().any(|value| value == arg as u32);
        if !pooled && is_live_handle_value(arg as u32) {
            return Err(NotInert::LiveHandle(index));
        }
        if arg_kind(number, index).unwrap_or(ArgKind::Pointer) != ArgKind::Pointer {
            return Ok(());
        }
        let address = arg as usize;
        let user = is_user_address(arg);
        let inert_only = Sandbox::must_be_inert(number, index);
        let in_sandbox = [&self.read_only, &self.scratch, &self.hole]
            .iter()
            .any(|range| range.contains(&address));
        if user && (inert_only || !in_sandbox) {
            return Err(NotInert::UserAddress(index));
        }
        Ok(())
    }

    /// Whether the handle array of a `zx_channel_write` with `args` names only pool handles:
    /// it is inert, or lies whole in the read-only page or in the scratch, and each of its
    /// words, as the memory holds it now, is a pool value or names no handle.
    fn check_handle_array(&self, args: &[u64; 8]) -> Result<(), NotInert> {
        let (_, at, count_at) = HANDLE_ARRAY;
        if !is_user_address(args[at]) {
            return Ok(());
        }
        let (start, count) = (args[at] as usize, args[count_at] as u32 as usize);
        let end = start.saturating_add(count * 4);
        let memory = [
            (&self.read_only, &self.read_only_vmo),
            (&self.scratch, &self.scratch_vmo),
        ];
        let Some((range, vmo)) = memory
            .into_iter()
            .find(|(range, _)| range.start <= start && end <= range.end)
        else {
            return Err(NotInert::UserAddress(at));
        };
        let mut words = alloc::vec![0; count * 4];
        if vmo.read(&mut words, (start - range.start) as u64).is_err() {
            return Err(NotInert::UserAddress(at));
        }
        for word in words.chunks_exact(4) {
            let value = u32::from_le_bytes([word[0], word[1], word[2], word[3]]);
            if !self.pool().any(|v| v == value) && is_live_handle_value(value) {
                return Err(NotInert::LiveHandle(at));
            }
        }
        Ok(())
    }

    /// Issues syscall `number` with `args`, if every argument stays within the sandbox:
    /// handle arguments name pool handles or no handle; pointer arguments lie outside the user
    /// range, in the read-only page, the scratch or the hole (see [`INERT_ONLY`] and
    /// [`HANDLE_ARRAY`] for the exceptions); no argument names a handle outside the pool.
    /// `zx_thread_exit` is refused. Afterwards the pool forgets the values that are no longer
    /// live. Returns `rax` as the kernel left it.
    pub fn syscall(&mut self, number: u64, args: [u64; 8]) -> Result<i64, NotInert> {
        if number == nr::thread_exit {
            return Err(NotInert::ExitsThread);
        }
        for (index, &arg) in args.iter().enumerate() {
            self.check(number, index, arg)?;
        }
        if number == HANDLE_ARRAY.0 {
            self.check_handle_array(&args)?;
        }
        let [a0, a1, a2, a3, a4, a5, a6, a7] = args;
        // SAFETY: the kernel touches this process's memory through pointer arguments, which
        // lie outside the user range, in the read-only page, the scratch or the hole (checked
        // above), where no Rust value lives; the one pointer it reads from memory and writes
        // through (`zx_channel_call`'s `args`) must be inert. The only VMARs of this process a
        // call can name are pool VMARs, children of the hole, so no mapping of the program can
        // change.
        // The only handles a call can close or consume are the pool's (arguments and the
        // handle array are checked against the pool), and the pool drops each value that stops
        // being live right after the call, before the program can make a handle that reuses
        // it.
        let rax = unsafe { raw8(number, a0, a1, a2, a3, a4, a5, a6, a7) };
        self.pool.retain(|&(_, value)| is_live_handle_value(value));
        Ok(rax)
    }
}
