//! The relay's errors, each with the HTTP answer it gives (docs/relay.md §3).

use axum::{
	http::{HeaderValue, StatusCode},
	response::{IntoResponse, Response},
	Json,
};
use serde_json::json;

/// What went wrong, and what the caller is told.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum Error {
	/// The signature, timestamp or nonce is missing or wrong (401).
	#[error("unauthenticated: {0}")]
	Unauthenticated(String),
	/// The device may not act on this request (403); the same answer whether the request
	/// exists or not.
	#[error("forbidden: this device may not act on this package")]
	Forbidden,
	/// The relay holds no such package (404).
	#[error("no package for request {0}")]
	NotFound(u64),
	/// The request is not in the state the call needs, or the offset is wrong (409).
	#[error("conflict: {reason}")]
	Conflict {
		/// Why.
		reason: String,
		/// The stored upload offset, when it is the cause.
		offset: Option<u64>,
	},
	/// The chunk or the declared package is too large (413).
	#[error("too large: {0}")]
	TooLarge(String),
	/// The request is malformed (400).
	#[error("bad request: {0}")]
	BadRequest(String),
	/// The requested range lies outside the package (416).
	#[error("range not satisfiable: {0}")]
	Range(String),
	/// The body does not match what was signed or declared (422).
	#[error("content mismatch: {0}")]
	Mismatch(String),
	/// Too many requests from the institution (429).
	#[error("rate limit: {0}")]
	RateLimited(String),
	/// The data directory's disk is too full (507).
	#[error("insufficient storage: {0}")]
	DiskFull(String),
	/// The node cannot be asked now (503).
	#[error("chain unavailable: {0}")]
	Chain(String),
	/// The store or a file failed (500).
	#[error("store: {0}")]
	Store(String),
	/// The relay answered a client with an error (for `client.rs`).
	#[error("relay answered {0}: {1}")]
	Remote(u16, String),
	/// The relay could not be reached (for `client.rs`).
	#[error("relay unreachable: {0}")]
	Unreachable(String),
	/// The configuration is unusable.
	#[error("configuration: {0}")]
	Config(String),
	/// A key or configuration file exists already.
	#[error("{0} exists: refusing to overwrite it")]
	Exists(String),
}

impl Error {
	/// An I/O error on `path`.
	pub fn io(path: &std::path::Path, e: std::io::Error) -> Self {
		Error::Store(format!("{}: {e}", path.display()))
	}

	/// The HTTP status of the answer.
	pub fn status(&self) -> StatusCode {
		match self {
			Error::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
			Error::Forbidden => StatusCode::FORBIDDEN,
			Error::NotFound(_) => StatusCode::NOT_FOUND,
			Error::Conflict { .. } => StatusCode::CONFLICT,
			Error::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
			Error::BadRequest(_) => StatusCode::BAD_REQUEST,
			Error::Mismatch(_) => StatusCode::UNPROCESSABLE_ENTITY,
			Error::Range(_) => StatusCode::RANGE_NOT_SATISFIABLE,
			Error::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
			Error::DiskFull(_) => StatusCode::INSUFFICIENT_STORAGE,
			Error::Chain(_) => StatusCode::SERVICE_UNAVAILABLE,
			Error::Remote(..) | Error::Unreachable(_) => StatusCode::BAD_GATEWAY,
			Error::Store(_) | Error::Config(_) | Error::Exists(_) => {
				StatusCode::INTERNAL_SERVER_ERROR
			},
		}
	}
}

impl From<redb::Error> for Error {
	fn from(e: redb::Error) -> Self {
		Error::Store(e.to_string())
	}
}

macro_rules! store_error {
	($($t:ty),*) => {$(
		impl From<$t> for Error {
			fn from(e: $t) -> Self {
				Error::Store(e.to_string())
			}
		}
	)*};
}
store_error!(
	redb::DatabaseError,
	redb::TransactionError,
	redb::TableError,
	redb::StorageError,
	redb::CommitError
);

impl From<medchain_client::Error> for Error {
	fn from(e: medchain_client::Error) -> Self {
		Error::Chain(e.to_string())
	}
}

impl IntoResponse for Error {
	fn into_response(self) -> Response {
		let status = self.status();
		let mut response = (status, Json(json!({ "error": self.to_string() }))).into_response();
		if let Error::Conflict { offset: Some(offset), .. } = &self {
			if let Ok(value) = HeaderValue::from_str(&offset.to_string()) {
				response.headers_mut().insert(crate::auth::UPLOAD_OFFSET, value);
			}
		}
		if status == StatusCode::UNAUTHORIZED {
			response
				.headers_mut()
				.insert("www-authenticate", HeaderValue::from_static(crate::auth::SCHEME));
		}
		response
	}
}
