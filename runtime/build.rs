//! Builds the WASM blob of the runtime (`WASM_BINARY`), which is what every node executes.

fn main() {
	#[cfg(feature = "std")]
	{
		substrate_wasm_builder::WasmBuilder::build_using_defaults();
	}
}
