//! What every blocking connection to a node offers: one JSON-RPC call, and the chain queries
//! built on it. The step functions of this crate ([`crate::tx`], [`crate::council`], …) take any
//! [`Chain`].

use crate::{from_hex, poll_until, to_hex, Error};
use codec::Decode;
use serde_json::{json, Value};
use std::{fmt, time::Duration};

/// A blocking connection to a node: [`crate::HttpClient`], [`crate::blocking::WsClient`], or the
/// test harness's `Node`.
pub trait Chain {
	/// The error the chain functions return on this connection. The client's own connections
	/// use [`Error`]; another implementation may use any type an [`Error`] converts into (the
	/// test harness uses `String`, which its tests' helpers expect).
	type Error: From<Error> + fmt::Display + fmt::Debug;

	/// Calls `method` with `params` (a JSON array), waiting at most the connection's timeout.
	fn rpc(&self, method: &str, params: Value) -> Result<Value, Error>;

	/// Number of the header with this hash (`None`: the best block).
	fn header_number(&self, hash: Option<&str>) -> Result<u32, Self::Error> {
		let header = self.rpc("chain_getHeader", json!([hash]))?;
		Ok(parse_number(&header["number"])?)
	}

	/// The best block number.
	fn best_number(&self) -> Result<u32, Self::Error> {
		self.header_number(None)
	}

	/// The hash of the last finalized block.
	fn finalized_hash(&self) -> Result<String, Self::Error> {
		let v = self.rpc("chain_getFinalizedHead", json!([]))?;
		Ok(v.as_str()
			.map(str::to_string)
			.ok_or_else(|| Error::Decode(format!("not a hash: {v}")))?)
	}

	/// The number of the last finalized block.
	fn finalized_number(&self) -> Result<u32, Self::Error> {
		let hash = self.finalized_hash()?;
		self.header_number(Some(&hash))
	}

	/// The hash of block `number` on the best chain.
	fn block_hash(&self, number: u32) -> Result<Option<String>, Self::Error> {
		let v = self.rpc("chain_getBlockHash", json!([number]))?;
		Ok(v.as_str().map(str::to_string))
	}

	/// The encoded extrinsics of a block.
	fn block_extrinsics(&self, hash: &str) -> Result<Vec<Vec<u8>>, Self::Error> {
		let block = self.rpc("chain_getBlock", json!([hash]))?;
		Ok(parse_extrinsics(&block)?)
	}

	/// A storage value at a block (`None`: best), SCALE-decoded.
	fn storage<T: Decode>(&self, key: &[u8], at: Option<&str>) -> Result<Option<T>, Self::Error> {
		let v = self.rpc("state_getStorage", json!([to_hex(key), at]))?;
		Ok(decode_storage(&v)?)
	}

	/// The runtime version at the best block (`specVersion`, `transactionVersion`, …).
	fn runtime_version(&self) -> Result<Value, Self::Error> {
		Ok(self.rpc("state_getRuntimeVersion", json!([]))?)
	}

	/// Submits an encoded extrinsic; returns its hash as the node reports it. A transaction
	/// the pool refuses is an [`Error::Rpc`] (code 1010 for an invalid one).
	fn submit(&self, extrinsic: &[u8]) -> Result<String, Self::Error> {
		let v = self.rpc("author_submitExtrinsic", json!([to_hex(extrinsic)]))?;
		Ok(v.as_str()
			.map(str::to_string)
			.ok_or_else(|| Error::Decode(format!("not a hash: {v}")))?)
	}

	/// Waits until the finalized block number is at least `number`.
	fn wait_finalized(&self, number: u32, timeout: Duration) -> Result<u32, Self::Error> {
		Ok(poll_until(
			&format!("finalized block #{number}"),
			timeout,
			Duration::from_millis(500),
			|| self.finalized_number().ok().filter(|n| *n >= number),
		)?)
	}

	/// Waits until the best block number is at least `number`.
	fn wait_best(&self, number: u32, timeout: Duration) -> Result<u32, Self::Error> {
		Ok(poll_until(
			&format!("best block #{number}"),
			timeout,
			Duration::from_millis(500),
			|| self.best_number().ok().filter(|n| *n >= number),
		)?)
	}

	/// Looks for an extrinsic in the finalized blocks `from..=finalized`; returns the block
	/// number and hash it is in.
	fn find_finalized_extrinsic(
		&self,
		extrinsic: &[u8],
		from: u32,
	) -> Result<Option<(u32, String)>, Self::Error> {
		let finalized = self.finalized_number()?;
		for n in from..=finalized {
			let Some(hash) = self.block_hash(n)? else { continue };
			if self.block_extrinsics(&hash)?.iter().any(|x| x == extrinsic) {
				return Ok(Some((n, hash)));
			}
		}
		Ok(None)
	}
}

/// Parses a block number given as hex (`"0x1a"`) or as a JSON number.
pub fn parse_number(v: &Value) -> Result<u32, Error> {
	if let Some(n) = v.as_u64() {
		return u32::try_from(n).map_err(|e| Error::Decode(e.to_string()));
	}
	let s = v.as_str().ok_or_else(|| Error::Decode(format!("not a number: {v}")))?;
	u32::from_str_radix(s.trim_start_matches("0x"), 16)
		.map_err(|e| Error::Decode(format!("bad number {s}: {e}")))
}

/// The encoded extrinsics of a `chain_getBlock` answer.
pub fn parse_extrinsics(block: &Value) -> Result<Vec<Vec<u8>>, Error> {
	block["block"]["extrinsics"]
		.as_array()
		.ok_or_else(|| Error::Decode(format!("no extrinsics in {block}")))?
		.iter()
		.map(|x| from_hex(x.as_str().unwrap_or_default()))
		.collect()
}

/// A `state_getStorage` answer (hex or null), SCALE-decoded.
pub fn decode_storage<T: Decode>(v: &Value) -> Result<Option<T>, Error> {
	match v.as_str() {
		None => Ok(None),
		Some(hex) => {
			let bytes = from_hex(hex)?;
			T::decode(&mut &bytes[..])
				.map(Some)
				.map_err(|e| Error::Decode(format!("cannot decode storage: {e}")))
		},
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn numbers_extrinsics_and_storage_parse() {
		assert_eq!(parse_number(&json!("0x1a")).unwrap(), 26);
		assert_eq!(parse_number(&json!(7)).unwrap(), 7);
		assert!(parse_number(&json!(null)).is_err());
		let block = json!({"block": {"extrinsics": ["0x01", "0x0203"]}});
		assert_eq!(parse_extrinsics(&block).unwrap(), vec![vec![1], vec![2, 3]]);
		assert!(parse_extrinsics(&json!({})).is_err());
		assert_eq!(decode_storage::<u32>(&json!("0x05000000")).unwrap(), Some(5));
		assert_eq!(decode_storage::<u32>(&json!(null)).unwrap(), None);
		assert!(matches!(decode_storage::<u32>(&json!("0x05")), Err(Error::Decode(_))));
	}
}
