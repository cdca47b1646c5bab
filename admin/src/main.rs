//! `medchain-admin`: the steps of hospital IT staff on the consortium chain, each a JSON-RPC call
//! or a signed extrinsic, with the chain's answer printed (docs/governance.md, onboarding) as
//! text for people or, with `--output json`, as one JSON object for scripts.

mod cli;
mod commands;
mod proposals;

use clap::Parser;
use cli::{Cli, Output};
use medchain_client::Error;
use serde_json::{json, Map, Value};
use std::process::ExitCode;

/// A failed step: its kind, what to tell the person, and details for scripts.
pub struct Failure {
	/// `input` (a key or file given to the tool), or the client error's kind (`transport`,
	/// `rpc`, `decode`, `timeout`, `dropped`, `chain_refused`, `invalid`).
	kind: &'static str,
	message: String,
	details: Map<String, Value>,
}

impl Failure {
	/// A problem with what the tool was given (a key, a file), found before asking the chain.
	pub fn input(message: impl Into<String>) -> Self {
		Failure { kind: "input", message: message.into(), details: Map::new() }
	}

	/// `{"error": {"kind": …, "message": …, …details}}`.
	fn to_json(&self) -> Value {
		let mut error = Map::new();
		error.insert("kind".into(), json!(self.kind));
		error.insert("message".into(), json!(self.message));
		error.extend(self.details.clone());
		json!({ "error": error })
	}
}

impl From<Error> for Failure {
	fn from(e: Error) -> Self {
		let mut details = Map::new();
		match &e {
			Error::Rpc { code, data, .. } => {
				details.insert("code".into(), json!(code));
				if let Some(data) = data {
					details.insert("data".into(), data.clone());
				}
			},
			Error::ChainRefused { block, pallet, error, .. } => {
				details.insert("pallet".into(), json!(pallet));
				details.insert("error".into(), json!(error));
				details.insert("block".into(), json!(block));
			},
			_ => {},
		}
		Failure { kind: e.kind(), message: e.to_string(), details }
	}
}

/// What a command did: lines for people, one object for scripts.
pub struct Report {
	/// The text output, line by line.
	pub lines: Vec<String>,
	/// The JSON output.
	pub json: Value,
}

fn main() -> ExitCode {
	// Addresses are shown in MedChain's own SS58 format, as the node shows them.
	sp_core::crypto::set_default_ss58_version(sp_core::crypto::Ss58AddressFormat::custom(
		medchain_runtime::SS58_PREFIX,
	));
	let json_asked = cli::wants_json(std::env::args_os().map(|a| a.to_string_lossy().into_owned()));
	let cli = match Cli::try_parse() {
		Ok(cli) => cli,
		// A bad command line: exit code 2, reported as JSON when JSON was asked for.
		Err(e) if json_asked && e.use_stderr() => {
			let message = e.to_string();
			eprintln!("{}", json!({"error": {"kind": "usage", "message": message.trim()}}));
			return ExitCode::from(2);
		},
		Err(e) => e.exit(),
	};
	match (commands::run(&cli), cli.output) {
		(Ok(report), Output::Text) => {
			for line in report.lines {
				println!("{line}");
			}
			ExitCode::SUCCESS
		},
		(Ok(report), Output::Json) => {
			println!("{}", report.json);
			ExitCode::SUCCESS
		},
		(Err(failure), Output::Text) => {
			eprintln!("error: {}", failure.message);
			ExitCode::from(1)
		},
		(Err(failure), Output::Json) => {
			eprintln!("{}", failure.to_json());
			ExitCode::from(1)
		},
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_runtime::DispatchError;

	#[test]
	fn failures_carry_their_kind_and_details_in_json() {
		let refused: Failure = Error::refused("close", Some(9), DispatchError::BadOrigin).into();
		assert_eq!(
			refused.to_json(),
			json!({"error": {"kind": "chain_refused", "message": "close failed in block #9: BadOrigin",
				"pallet": null, "error": "BadOrigin", "block": 9}})
		);
		let rpc: Failure =
			Error::Rpc { code: 1010, message: "Invalid Transaction".into(), data: None }.into();
		assert_eq!(rpc.to_json()["error"]["code"], json!(1010));
		assert_eq!(rpc.to_json()["error"]["kind"], json!("rpc"));
		assert_eq!(Failure::input("no key").to_json()["error"]["kind"], json!("input"));
	}
}
