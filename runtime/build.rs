//! Builds the WASM blob of the runtime (`WASM_BINARY`), which is what every node executes.

fn main() {
	#[cfg(feature = "std")]
	{
		// The scripts keep the target folder outside the clone, where wasm-builder cannot find
		// the workspace's Cargo.lock by walking up. Point it at this crate's workspace; only for
		// this build script, as other runtimes built as dependencies must not get the hint.
		if std::env::var_os("WASM_BUILD_WORKSPACE_HINT").is_none() {
			let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
			std::env::set_var("WASM_BUILD_WORKSPACE_HINT", workspace);
		}
		substrate_wasm_builder::WasmBuilder::build_using_defaults();
	}
}
