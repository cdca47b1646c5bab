//! Builds the "next" runtime's WASM blob: the runtime with its `upgrade-fixture` feature.

fn main() {
	#[cfg(feature = "std")]
	{
		// As runtime/build.rs: the target folder is outside the clone, so wasm-builder is told
		// where the workspace (and its Cargo.lock) is, for this build script only.
		if std::env::var_os("WASM_BUILD_WORKSPACE_HINT").is_none() {
			if let Some(manifest) = std::env::var_os("CARGO_MANIFEST_DIR") {
				let workspace = std::path::Path::new(&manifest).join("../..");
				std::env::set_var("WASM_BUILD_WORKSPACE_HINT", workspace);
			}
		}
		substrate_wasm_builder::WasmBuilder::init_with_defaults()
			.enable_feature("upgrade-fixture")
			.build();
	}
}
