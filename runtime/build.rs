//! Builds the WASM blob of the runtime (`WASM_BINARY`), which is what every node executes.

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
		substrate_wasm_builder::WasmBuilder::build_using_defaults();
	}
}
