//! THIS FILE WAS AUTO-GENERATED USING THE SUBSTRATE BENCHMARK CLI VERSION 64.0.0
//! DATE: 2026-12-02 (Y/M/D)
//! HOSTNAME: `vm`, CPU: `Intel(R) Xeon(R) Processor`
//!
//! DATABASE: `ParityDb`, RUNTIME: `MedChain Development`
//! BLOCK-NUM: `Number(26)`
//! SKIP-WRITE: `false`, SKIP-READ: `false`, WARMUPS: `1`
//! STATE-VERSION: `V1`, STATE-CACHE-SIZE: ``
//! WEIGHT-PATH: `runtime/src/weights/`
//! METRIC: `Average`, WEIGHT-MUL: `1.1`, WEIGHT-ADD: `0`

// Executed Command:
//   /root/.cache/medchain/target/release/medchain-node
//   benchmark
//   storage
//   --dev
//   --base-path
//   /tmp/stor/node
//   --database
//   paritydb
//   --state-version
//   1
//   --weight-path
//   runtime/src/weights/
//   --batch-size
//   1000
//   --mul
//   1.1
//   --warmups
//   1

/// Storage DB weights for the `MedChain Development` runtime and `ParityDb`.
pub mod constants {
	use frame_support::parameter_types;
	use frame_support::weights::constants;
	use frame_support::weights::RuntimeDbWeight;

	parameter_types! {
		/// MedChain's nodes store state in ParityDB only. Measured with `benchmark storage` on
		/// this project's machine, on a development chain holding 61,440 anchored records
		/// (307,739 keys), writes committed in batches of 1,000 (a block's worth), average
		/// times 1.1 (docs/performance.md).
		pub const ParityDbWeight: RuntimeDbWeight = RuntimeDbWeight {
			// Time to read one storage item.
			// Calculated by multiplying the *Average* of all values with `1.1` and adding `0`.
			//
			// Stats nanoseconds:
			//   Min, Max: 937, 9_411_261
			//   Average:  6_939
			//   Median:   5_857
			//   Std-Dev:  18877.7
			//
			// Percentiles nanoseconds:
			//   99th: 18_393
			//   95th: 10_645
			//   75th: 6_937
			read: 7_633 * constants::WEIGHT_REF_TIME_PER_NANOS,

			// Time to write one storage item.
			// Calculated by multiplying the *Average* of all values with `1.1` and adding `0`.
			//
			// Stats nanoseconds:
			//   Min, Max: 15_288, 88_610
			//   Average:  26_934
			//   Median:   25_971
			//   Std-Dev:  6793.52
			//
			// Percentiles nanoseconds:
			//   99th: 70_332
			//   95th: 32_003
			//   75th: 26_904
			write: 29_628 * constants::WEIGHT_REF_TIME_PER_NANOS,
		};
	}

	#[cfg(test)]
	mod test_db_weights {
		use super::constants::ParityDbWeight as W;
		use frame_support::weights::constants;

		/// Checks that all weights exist and have sane values.
		// NOTE: If this test fails but you are sure that the generated values are fine,
		// you can delete it.
		#[test]
		fn bound() {
			// At least 1 µs.
			assert!(
				W::get().reads(1).ref_time() >= constants::WEIGHT_REF_TIME_PER_MICROS,
				"Read weight should be at least 1 µs."
			);
			assert!(
				W::get().writes(1).ref_time() >= constants::WEIGHT_REF_TIME_PER_MICROS,
				"Write weight should be at least 1 µs."
			);
			// At most 1 ms.
			assert!(
				W::get().reads(1).ref_time() <= constants::WEIGHT_REF_TIME_PER_MILLIS,
				"Read weight should be at most 1 ms."
			);
			assert!(
				W::get().writes(1).ref_time() <= constants::WEIGHT_REF_TIME_PER_MILLIS,
				"Write weight should be at most 1 ms."
			);
		}
	}
}
