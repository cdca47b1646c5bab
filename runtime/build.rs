//! Builds the WASM blob of the runtime (`WASM_BINARY`), which is what every node executes,
//! with its RFC-0078 metadata hash (`CheckMetadataHash`), so that signers that verify the
//! metadata can sign MedChain transactions. Always on, not behind a feature: every build the
//! project makes is the release build the node ships (docs/decisions.md, "CheckMetadataHash").

/// The token's symbol and decimals, shared with the runtime's `currency` (they are part of the
/// hash, and wallets show amounts with them).
#[cfg(feature = "std")]
mod token {
	include!("src/token.rs");
}

fn main() {
	#[cfg(feature = "std")]
	{
		// The scripts keep the target folder outside the clone, where wasm-builder cannot find
		// the workspace's Cargo.lock by walking up. Point it at this crate's workspace; only for
		// this build script, as other runtimes built as dependencies must not get the hint.
		if std::env::var_os("WASM_BUILD_WORKSPACE_HINT").is_none() {
			// Read at run time: a build script compiled for a clone at another path must not
			// point at that path.
			if let Some(manifest) = std::env::var_os("CARGO_MANIFEST_DIR") {
				let workspace = std::path::Path::new(&manifest).join("..");
				std::env::set_var("WASM_BUILD_WORKSPACE_HINT", workspace);
			}
		}
		// The blob is built twice: once to read its metadata and hash it, then with the hash
		// (`RUNTIME_METADATA_HASH`) compiled in.
		substrate_wasm_builder::WasmBuilder::init_with_defaults()
			.enable_metadata_hash(token::TOKEN_SYMBOL, token::TOKEN_DECIMALS)
			.build();
	}
}
