//! The runtime-upgrade test's "next" runtime (`scripts/build-upgrade-fixture.sh`,
//! `node/tests/consortium_governance.rs`): MedChain's runtime with its `upgrade-fixture`
//! feature, which raises `spec_version` by one. Natively this crate only re-exports the
//! runtime; its build script compiles the WASM blob with the feature, in the workspace's own
//! target folder (`wbuild/medchain-runtime-next/`), so the blob shares every compiled
//! dependency with the node's runtime and never replaces the node's blob.

#![cfg_attr(not(feature = "std"), no_std)]

pub use medchain_runtime::*;
