//! The client's errors: one enum for every way a step against the chain can fail, so callers can
//! tell a node that cannot be reached from a chain that said no.

use serde_json::Value;
use sp_runtime::DispatchError;
use std::fmt;

/// Why a call to the chain failed.
#[derive(Clone, Debug, PartialEq)]
pub enum Error {
	/// The node could not be reached, or the connection broke.
	Transport(String),
	/// The node answered with a JSON-RPC error object (an unknown method, bad parameters, a
	/// transaction the pool refused).
	Rpc {
		/// The JSON-RPC error code (e.g. -32601 method not found, 1010 invalid transaction).
		code: i64,
		/// The error message.
		message: String,
		/// The error's data, if the node gave any.
		data: Option<Value>,
	},
	/// An answer was not what was expected (JSON shape, hex, SCALE encoding).
	Decode(String),
	/// A call or a wait did not finish in time.
	Timeout(String),
	/// A transaction left the node's pool without being included (dropped, invalid, usurped).
	Dropped(String),
	/// The chain executed the step and refused it.
	ChainRefused {
		/// The step, e.g. `propose`, `Session::set_keys`.
		what: String,
		/// The block the refused extrinsic is in, if it is in one.
		block: Option<u32>,
		/// The pallet whose error it is (`Consortium`), if it is a pallet's error.
		pallet: Option<String>,
		/// The error: the pallet's error by name (`NoSessionKeys`), else the dispatch error
		/// (`BadOrigin`, `Token(FundsUnavailable)`).
		error: String,
	},
	/// The request cannot be made as asked (an argument the chain would refuse, a motion that
	/// is not open).
	Invalid(String),
}

impl Error {
	/// The chain refused `what` in `block` with `error`; a pallet's error is named.
	pub fn refused(what: &str, block: Option<u32>, error: DispatchError) -> Self {
		let (pallet, error) = split_dispatch_error(error);
		Error::ChainRefused { what: what.to_string(), block, pallet, error }
	}

	/// A short, stable name of the variant for machine-readable output: `transport`, `rpc`,
	/// `decode`, `timeout`, `dropped`, `chain_refused`, `invalid`.
	pub fn kind(&self) -> &'static str {
		match self {
			Error::Transport(_) => "transport",
			Error::Rpc { .. } => "rpc",
			Error::Decode(_) => "decode",
			Error::Timeout(_) => "timeout",
			Error::Dropped(_) => "dropped",
			Error::ChainRefused { .. } => "chain_refused",
			Error::Invalid(_) => "invalid",
		}
	}
}

impl fmt::Display for Error {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Error::Transport(e) => write!(f, "transport error: {e}"),
			Error::Rpc { code, message, data } => write!(
				f,
				"RPC error {code}: {message}{}",
				data.as_ref().map(|d| format!(" ({d})")).unwrap_or_default()
			),
			Error::Decode(e) => write!(f, "malformed answer: {e}"),
			Error::Timeout(e) => write!(f, "{e}"),
			Error::Dropped(e) => write!(f, "transaction not included: {e}"),
			Error::ChainRefused { what, block, pallet, error } => {
				write!(f, "{what} failed")?;
				if let Some(block) = block {
					write!(f, " in block #{block}")?;
				}
				match pallet {
					Some(pallet) => write!(f, ": {pallet}({error})"),
					None => write!(f, ": {error}"),
				}
			},
			Error::Invalid(e) => write!(f, "{e}"),
		}
	}
}

impl std::error::Error for Error {}

/// The message of an error, for callers whose errors are text (the test harness's helpers).
impl From<Error> for String {
	fn from(e: Error) -> String {
		e.to_string()
	}
}

impl From<jsonrpsee_core::ClientError> for Error {
	fn from(e: jsonrpsee_core::ClientError) -> Self {
		use jsonrpsee_core::ClientError as E;
		match e {
			E::Call(object) => Error::Rpc {
				code: object.code().into(),
				message: object.message().to_string(),
				data: object.data().map(|raw| {
					serde_json::from_str(raw.get())
						.unwrap_or_else(|_| Value::String(raw.get().to_string()))
				}),
			},
			E::RequestTimeout => Error::Timeout("the node did not answer in time".into()),
			E::ParseError(e) => Error::Decode(e.to_string()),
			other => Error::Transport(other.to_string()),
		}
	}
}

/// A dispatch error as (pallet, error): `Some("Consortium"), "NoSessionKeys"` for a pallet's
/// error, `None, "BadOrigin"` otherwise.
pub fn split_dispatch_error(error: DispatchError) -> (Option<String>, String) {
	match medchain_runtime::RuntimeError::from_dispatch_error(error) {
		Some(named) => {
			let text = format!("{named:?}");
			match text.split_once('(') {
				Some((pallet, rest)) => {
					(Some(pallet.to_string()), rest.strip_suffix(')').unwrap_or(rest).to_string())
				},
				None => (None, text),
			}
		},
		None => (None, format!("{error:?}")),
	}
}

/// A dispatch error, with the pallet's error by name when it is one (e.g.
/// `Consortium(NoSessionKeys)`).
pub fn describe(error: DispatchError) -> String {
	match split_dispatch_error(error) {
		(Some(pallet), error) => format!("{pallet}({error})"),
		(None, error) => error,
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn errors_display_their_cause_and_kind() {
		let rpc = Error::Rpc {
			code: -32601,
			message: "Method not found".into(),
			data: Some(Value::String("x".into())),
		};
		assert_eq!(rpc.to_string(), "RPC error -32601: Method not found (\"x\")");
		assert_eq!(rpc.kind(), "rpc");
		let refused = Error::refused("close", Some(7), DispatchError::BadOrigin);
		assert_eq!(refused.to_string(), "close failed in block #7: BadOrigin");
		assert_eq!(refused.kind(), "chain_refused");
		assert_eq!(String::from(Error::Timeout("timed out".into())), "timed out");
	}

	#[test]
	fn pallet_errors_are_named() {
		let error: DispatchError =
			pallet_consortium::Error::<medchain_runtime::Runtime>::NoSessionKeys.into();
		assert_eq!(
			split_dispatch_error(error),
			(Some("Consortium".to_string()), "NoSessionKeys".to_string())
		);
		assert_eq!(describe(error), "Consortium(NoSessionKeys)");
		let refused = Error::refused("add validator", None, error);
		assert!(matches!(
			refused,
			Error::ChainRefused { pallet: Some(ref p), ref error, .. }
				if p == "Consortium" && error == "NoSessionKeys"
		));
	}
}
