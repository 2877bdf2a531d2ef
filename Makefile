# Spinel's build, run and test targets. README.md explains them.
#
#   make qemu-smp    build and boot on SMP CPUs (default 4) under QEMU
#   make test        host tests plus the QEMU test suite; ends with "N passed, M failed"
#   make bench       in-kernel benchmark under QEMU (exact and plain TCG), against Linux
#   make profile CASE=name   where one user-space benchmark case's instructions go
#
# Variables: SMP=N, MEM=MiB, LOG=level (error|warn|info|debug|trace), CMDLINE="...",
# ACCEL=auto|tcg|kvm, GRAPHIC=1 (show the screen instead of running headless),
# BENCH_LINUX=0 (make bench measures Spinel only).

SMP ?= 4
MEM ?= 256
LOG ?=
CMDLINE ?=
ACCEL ?= auto
GRAPHIC ?=
BENCH_LINUX ?= 1
CASE ?=
PROFILE_FLAGS ?=

NIGHTLY := nightly-2026-07-15
# Where Debian's ovmf package puts the UEFI firmware (src/qemu.rs reads the same files).
OVMF_DIR := /usr/share/OVMF
TARGET := x86_64-unknown-none
BUILD := $(CURDIR)/target
IMAGES := $(BUILD)/images

# A higher-half kernel linked at the top 2 GiB, with frame pointers for backtraces.
KERNEL_RUSTFLAGS := -C relocation-model=static -C code-model=kernel -C force-frame-pointers=yes \
	-C link-arg=--image-base=0xffffffff80000000

# User programs: statically linked at a fixed address in the user half, embedded in the kernel.
USER_RUSTFLAGS := -C relocation-model=static -C link-arg=--image-base=0x20000000 \
	-C force-frame-pointers=yes -C strip=debuginfo
USER_DIR := $(BUILD)/user/$(TARGET)/release
USER_PROGRAMS := $(sort $(basename $(notdir $(wildcard user/src/bin/*.rs))) \
	$(notdir $(patsubst %/main.rs,%,$(wildcard user/src/bin/*/main.rs))))
EMBED := SPINEL_USER_PROGRAMS="$(foreach p,$(USER_PROGRAMS),$(p)=$(USER_DIR)/$(p))"

KERNEL_ELF := $(BUILD)/kernel/$(TARGET)/release/kernel
TEST_KERNEL_ELF := $(BUILD)/kernel-test/$(TARGET)/release/kernel
BENCH_KERNEL_ELF := $(BUILD)/kernel-bench/$(TARGET)/release/kernel
RUNNER := $(BUILD)/host/debug/spinel
# The images carry the kernel without its debug information (the bootloader reads every byte of
# the file, slowly under BIOS emulation); the runner symbolises backtraces with the full ELF.
OBJCOPY = $(shell rustc +$(NIGHTLY) --print sysroot)/lib/rustlib/x86_64-unknown-linux-gnu/bin/llvm-objcopy
# The host test steps' logs: $(HOST_LOG)-crates.log, -user.log, -runner.log and -loom.log.
HOST_LOG := $(BUILD)/host-tests

RUN_FLAGS := --mem $(MEM) --accel $(ACCEL) --kernel $(KERNEL_ELF) \
	$(if $(CMDLINE),--cmdline "$(CMDLINE)") $(if $(GRAPHIC),--graphic)

.PHONY: qemu qemu-smp qemu-uefi image gdb test bench profile setup user kernel test-kernel bench-kernel \
	images test-images bench-images

qemu: images
	$(RUNNER) run --images $(IMAGES)/spinel --smp 1 $(RUN_FLAGS)

qemu-smp: images
	$(RUNNER) run --images $(IMAGES)/spinel --smp $(SMP) $(RUN_FLAGS)

qemu-uefi: images
	$(RUNNER) run --images $(IMAGES)/spinel --uefi --smp $(SMP) $(RUN_FLAGS)

image: images
	@echo "BIOS image: $(IMAGES)/spinel/bios.img"
	@echo "UEFI image: $(IMAGES)/spinel/uefi.img  (write it to a USB stick with dd; see README)"

# The runner and its QEMU run in a process group of their own (setsid), which is ended as a
# whole when GDB exits.
gdb: images
	@command -v gdb >/dev/null || { echo "make gdb needs GDB: sudo apt-get install gdb"; exit 1; }
	setsid $(RUNNER) run --images $(IMAGES)/spinel --smp $(SMP) $(RUN_FLAGS) --gdb & \
	qemu=$$!; \
	gdb -q -ex "file $(KERNEL_ELF)" -ex "target remote localhost:1234"; \
	kill -- -$$qemu 2>/dev/null || true

# Host tests (the host-testable crates, the user library, the runner, the executor's loom
# models), then the QEMU suite; every result is counted even when an earlier step failed. Each
# host step's exit status and log go to the runner, which counts a step that failed without a
# failing test (a compile error, a crashed test binary) as a failure too, and prints the log of
# a failed step.
test: setup test-images bench-images
	@cargo test --no-fail-fast --workspace --exclude kernel --exclude user --exclude spinel \
		>$(HOST_LOG)-crates.log 2>&1; crates=$$?; \
	cargo test --no-fail-fast -p user --lib >$(HOST_LOG)-user.log 2>&1; user=$$?; \
	CARGO_TARGET_DIR=$(BUILD)/host cargo +$(NIGHTLY) test --no-fail-fast -p spinel \
		>$(HOST_LOG)-runner.log 2>&1; runner=$$?; \
	RUSTFLAGS="--cfg loom -C debug-assertions" CARGO_TARGET_DIR=$(BUILD)/loom \
		cargo test --no-fail-fast -p executor --release --lib \
		>$(HOST_LOG)-loom.log 2>&1; loom=$$?; \
	$(RUNNER) test --images $(IMAGES)/test --kernel $(TEST_KERNEL_ELF) \
		--host-step crates:$$crates:$(HOST_LOG)-crates.log \
		--host-step user:$$user:$(HOST_LOG)-user.log \
		--host-step runner:$$runner:$(HOST_LOG)-runner.log \
		--host-step loom:$$loom:$(HOST_LOG)-loom.log \
		--bench-images $(IMAGES)/bench --bench-kernel $(BENCH_KERNEL_ELF) \
		--bench-user $(USER_DIR)/bench; suite=$$?; \
	[ $$crates = 0 ] && [ $$user = 0 ] && [ $$runner = 0 ] && [ $$loom = 0 ] && [ $$suite = 0 ]

# Spinel's benchmark image exactly (-icount) and under plain TCG, then the Linux guest.
bench: setup bench-images
	$(RUNNER) bench --images $(IMAGES)/bench $(if $(filter 0,$(BENCH_LINUX)),--no-linux)

# One user-space benchmark case traced instruction by instruction under -icount (CASE=name;
# PROFILE_FLAGS="--lines" adds a breakdown by source line).
profile: setup bench-images
	@test -n "$(CASE)" || { echo "make profile needs CASE=<case>, e.g. CASE=null_syscall"; exit 2; }
	$(RUNNER) profile --images $(IMAGES)/bench --kernel $(BENCH_KERNEL_ELF) \
		--user $(USER_DIR)/bench --case $(CASE) $(PROFILE_FLAGS)

# Installs what is missing: the Rust target, the pinned nightly for the image step, QEMU, OVMF.
setup:
	@rustup target list --installed | grep -qx $(TARGET) || rustup target add $(TARGET)
	@rustup toolchain list | grep -q "^$(NIGHTLY)" || rustup toolchain install $(NIGHTLY) \
		--profile minimal -c rust-src -c llvm-tools-preview
	@components=$$(rustup component list --installed --toolchain $(NIGHTLY)); \
	echo "$$components" | grep -q '^rust-src' && echo "$$components" | grep -q '^llvm-tools' \
		|| rustup component add --toolchain $(NIGHTLY) rust-src llvm-tools-preview
	@if ! command -v qemu-system-x86_64 >/dev/null || [ ! -f $(OVMF_DIR)/OVMF_CODE_4M.fd ] \
		|| [ ! -f $(OVMF_DIR)/OVMF_VARS_4M.fd ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				qemu-system-x86 ovmf >/dev/null; \
		else \
			echo "Spinel needs QEMU and OVMF: sudo apt-get install qemu-system-x86 ovmf"; exit 1; \
		fi; \
	fi

user: setup
	@echo "==> user programs: $(USER_PROGRAMS)"
	@RUSTFLAGS="$(USER_RUSTFLAGS)" CARGO_TARGET_DIR=$(BUILD)/user \
		cargo build -q -p user --release --target $(TARGET)

# $(call build-kernel,<target directory>,<cargo features>): the kernel with the user programs.
define build-kernel
	@echo "==> kernel$(if $(2), ($(2)))"
	@$(EMBED) RUSTFLAGS="$(KERNEL_RUSTFLAGS)" SPINEL_LOG="$(LOG)" CARGO_TARGET_DIR=$(BUILD)/$(1) \
		cargo build -q -p kernel --release --target $(TARGET) $(if $(2),--features $(2))
endef

# $(call build-images,<kernel ELF>,<image directory>): the root package's build.rs writes the
# BIOS and UEFI images; building it also builds the runner. It is built in the dev profile on
# purpose: the bootloader's nested release builds inherit CARGO_TARGET_DIR, and a release build
# of the root package would hold their lock.
define build-images
	@$(OBJCOPY) --strip-debug $(1) $(1).stripped
	@echo "==> images in $(2)"
	@KERNEL_PATH=$(1).stripped IMAGE_DIR=$(2) CARGO_TARGET_DIR=$(BUILD)/host \
		cargo +$(NIGHTLY) build -q -p spinel
endef

kernel: user
	$(call build-kernel,kernel,)

test-kernel: user
	$(call build-kernel,kernel-test,qemu-test)

bench-kernel: user
	$(call build-kernel,kernel-bench,bench)

images: kernel
	$(call build-images,$(KERNEL_ELF),$(IMAGES)/spinel)

test-images: test-kernel
	$(call build-images,$(TEST_KERNEL_ELF),$(IMAGES)/test)

bench-images: bench-kernel
	$(call build-images,$(BENCH_KERNEL_ELF),$(IMAGES)/bench)
