#!/usr/bin/env bash
# Prepares this machine to build MedChain: system packages, the WASM target for the runtime.
# Idempotent: safe to run every time, takes seconds when everything is already present.
# It prints one line per step saying what it found or did.
#
# Route 1 (an ordinary machine): rustup installs the wasm32v1-none target and rust-src.
# Route 2 (no access to rustup's server, where `rustup target add` hangs): Debian's Rust 1.96
# with its std sources, a precompiled wasm sysroot with embedded bitcode, rustup's rust-lld,
# and a linked toolchain `wasm-sysroot` that substrate-wasm-builder is pointed at through
# WASM_BUILD_TOOLCHAIN. See docs/building.md for why each step is needed.
# MEDCHAIN_INIT_OFFLINE=1 takes route 2 even where route 1 would work.
set -euo pipefail

say() { printf 'init: %s\n' "$*"; }
die() { printf 'init: error: %s\n' "$*" >&2; exit 1; }

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

CACHE_DIR="${MEDCHAIN_CACHE:-$HOME/.cache/medchain}"
mkdir -p "$CACHE_DIR"
ENV_FILE="$CACHE_DIR/env.sh"

command -v rustup >/dev/null || die "rustup is required (https://rustup.rs); it was not found on PATH"
command -v cargo >/dev/null || die "cargo is required; it was not found on PATH"

# ---- System packages the build needs (protoc for libp2p/litep2p, clang for C code) ----------
apt_updated=0
apt_install() {
	local missing=()
	for pkg in "$@"; do
		if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
			:
		else
			missing+=("$pkg")
		fi
	done
	if [ ${#missing[@]} -eq 0 ]; then
		say "packages present: $*"
		return 0
	fi
	command -v apt-get >/dev/null || die "missing packages ${missing[*]} and no apt-get to install them"
	if [ $apt_updated = 0 ]; then
		say "apt-get update"
		$SUDO apt-get update -qq >/dev/null
		apt_updated=1
	fi
	say "installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
}
apt_install protobuf-compiler clang make

# ---- The web app (app/, docs/app.md): Debian's Chromium for its browser tests (with a Korean
# font, so Korean text renders in them), and its npm packages from the lock file -------------
apt_install chromium fonts-nanum
app_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/app"
if [ -f "$app_dir/package-lock.json" ]; then
	command -v npm >/dev/null || die "npm (Node.js >= 20.19) is required for app/; it was not found on PATH"
	lock_sum="$(sha256sum "$app_dir/package-lock.json" | cut -d' ' -f1)"
	stamp="$app_dir/node_modules/.medchain-lock-sha256"
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_sum" ] && [ -d "$app_dir/.papi/descriptors/dist" ]; then
		say "app/node_modules present (package-lock.json unchanged)"
	else
		say "npm ci in app/"
		(cd "$app_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null && npx papi generate >/dev/null) ||
			die "npm ci in app/ failed"
		echo "$lock_sum" >"$stamp"
	fi
fi

# ---- The WASM target --------------------------------------------------------------------------
host_toolchain="$(rustup show active-toolchain 2>/dev/null | awk '{print $1}')"
host_sysroot="$(rustc --print sysroot)"

have_rustup_wasm() {
	[ -d "$host_sysroot/lib/rustlib/wasm32v1-none/lib" ] &&
		[ -d "$host_sysroot/lib/rustlib/src/rust/library" ]
}

write_env() {
	# $1: value of WASM_BUILD_TOOLCHAIN or empty
	{
		echo "# written by scripts/init.sh"
		if [ -n "$1" ]; then echo "export WASM_BUILD_TOOLCHAIN=$1"; fi
	} >"$ENV_FILE.tmp"
	mv "$ENV_FILE.tmp" "$ENV_FILE"
}

# MEDCHAIN_INIT_OFFLINE=1 forces the offline route (to test it where rustup works).
force_offline="${MEDCHAIN_INIT_OFFLINE:-0}"
if [ "$force_offline" != 1 ] && have_rustup_wasm; then
	say "wasm32v1-none and rust-src present in $host_toolchain"
	write_env ""
	exit 0
fi

offline_marker="$CACHE_DIR/wasm-sysroot.ok"
if [ "$force_offline" != 1 ] && [ ! -f "$offline_marker" ]; then
	say "trying rustup (wasm32v1-none, rust-src) with a 45 s timeout"
	if timeout 45 rustup target add wasm32v1-none >/dev/null 2>&1 &&
		timeout 45 rustup component add rust-src >/dev/null 2>&1 && have_rustup_wasm; then
		say "rustup installed the wasm target"
		write_env ""
		exit 0
	fi
	say "rustup could not reach its server: taking the offline route"
fi

# Route 2: Debian's Rust with std sources.
apt_install rustc-web cargo-web rust-web-src
deb_src="$(ls -d /usr/src/rustc-* 2>/dev/null | sort -V | tail -n 1)"
[ -n "$deb_src" ] && [ -d "$deb_src/library" ] || die "Debian's rust-web-src did not provide /usr/src/rustc-*/library"
if [ "$(readlink /usr/lib/rustlib/src/rust 2>/dev/null)" != "$deb_src" ]; then
	$SUDO mkdir -p /usr/lib/rustlib/src
	$SUDO ln -sfn "$deb_src" /usr/lib/rustlib/src/rust
	say "linked /usr/lib/rustlib/src/rust -> $deb_src"
else
	say "std sources linked: $deb_src"
fi

# rust-lld from rustup's toolchain, where Debian's rustc looks for it.
lld_src="$host_sysroot/lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld"
lld_dst=/usr/lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld
[ -x "$lld_src" ] || die "rustup's rust-lld not found at $lld_src"
if [ "$(readlink "$lld_dst" 2>/dev/null)" != "$lld_src" ]; then
	$SUDO mkdir -p "$(dirname "$lld_dst")"
	$SUDO ln -sfn "$lld_src" "$lld_dst"
	say "linked $lld_dst -> $lld_src"
else
	say "rust-lld linked"
fi

# Precompiled core/alloc/compiler_builtins for the wasm targets, with embedded bitcode (the
# runtime blob is linked with LTO, which needs it).
deb_version="$(/usr/bin/rustc --version)"
for target in wasm32v1-none wasm32-unknown-unknown; do
	libdir="/usr/lib/rustlib/$target/lib"
	stamp="$libdir/.medchain-sysroot"
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$deb_version" ] && ls "$libdir"/libcore-*.rlib >/dev/null 2>&1; then
		say "sysroot for $target present"
		continue
	fi
	say "building the $target sysroot with $deb_version (about 20 s)"
	work="$CACHE_DIR/sysroot-build"
	rm -rf "$work"
	mkdir -p "$work/src"
	cat >"$work/Cargo.toml" <<'TOML'
[package]
name = "medchain-wasm-sysroot"
version = "0.0.0"
edition = "2021"

[lib]
path = "src/lib.rs"

[profile.release]
panic = "abort"
TOML
	echo '#![no_std]' >"$work/src/lib.rs"
	(cd "$work" && env -u CARGO_TARGET_DIR -u RUSTC_WRAPPER RUSTFLAGS="-C embed-bitcode=yes" RUSTC=/usr/bin/rustc \
		RUSTC_BOOTSTRAP=1 /usr/bin/cargo build -q --release -Zbuild-std=core,alloc \
		-Zbuild-std-features=compiler-builtins-mem --target "$target") ||
		die "building the $target sysroot failed"
	$SUDO mkdir -p "$libdir"
	$SUDO rm -f "$libdir"/lib{core,alloc,compiler_builtins}-*.rlib
	for lib in core alloc compiler_builtins; do
		$SUDO cp "$work/target/$target/release/deps/lib$lib"-*.rlib "$libdir/"
	done
	echo "$deb_version" | $SUDO tee "$stamp" >/dev/null
	rm -rf "$work"
done

# A rustup toolchain that is Debian's Rust, for substrate-wasm-builder.
if ! rustup toolchain list | grep -q '^wasm-sysroot'; then
	rustup toolchain link wasm-sysroot /usr
	say "linked rustup toolchain wasm-sysroot -> /usr"
else
	say "rustup toolchain wasm-sysroot present"
fi

# Make WASM_BUILD_TOOLCHAIN reach every cargo build, also ones not started by our scripts.
cargo_config="${CARGO_HOME:-$HOME/.cargo}/config.toml"
if ! grep -q 'WASM_BUILD_TOOLCHAIN' "$cargo_config" 2>/dev/null; then
	if grep -q '^\[env\]' "$cargo_config" 2>/dev/null; then
		sed -i 's/^\[env\]$/[env]\nWASM_BUILD_TOOLCHAIN = "wasm-sysroot"/' "$cargo_config"
	else
		printf '\n[env]\nWASM_BUILD_TOOLCHAIN = "wasm-sysroot"\n' >>"$cargo_config"
	fi
	say "set WASM_BUILD_TOOLCHAIN=wasm-sysroot in $cargo_config"
else
	say "WASM_BUILD_TOOLCHAIN set in $cargo_config"
fi
write_env wasm-sysroot
touch "$offline_marker"
say "ready (offline wasm route, toolchain wasm-sysroot)"
