//! The command line: what the tool accepts, parsed into typed values with clear errors.

use clap::{Parser, Subcommand, ValueEnum};
use medchain_client::{from_hex, network};
use medchain_runtime::AccountId;
use sp_core::crypto::Ss58Codec;
use std::{net::SocketAddr, path::PathBuf};

/// MedChain administration for hospital IT staff: register a validator's session keys, propose,
/// vote on and close council motions, apply an authorized runtime upgrade, show the consortium.
///
/// The signing key (an sr25519 secret URI: mnemonic, hex seed, or `//Name` on test networks)
/// comes from `--suri`, or better from the MEDCHAIN_SURI environment variable or `--suri-file`,
/// which do not show in process listings.
///
/// Output: text for people (default), or `--output json` for scripts: one JSON object on stdout
/// per command, and on failure `{"error": {"kind": …, "message": …}}` on stderr.
///
/// Exit codes: 0 done; 1 the node refused or the chain rejected the step (the reason is
/// printed); 2 bad command line.
#[derive(Debug, Parser)]
#[command(name = "medchain-admin", version)]
pub struct Cli {
	/// How results and errors are printed: `text` for people, `json` for scripts.
	#[arg(long, value_enum, default_value_t = Output::Text, global = true)]
	pub output: Output,

	/// JSON-RPC address of a synced node of the network (host:port, or http:// / ws:// URL).
	#[arg(long, default_value = "127.0.0.1:9944", value_parser = parse_rpc_addr, global = true)]
	pub rpc: SocketAddr,

	/// Secret URI of the signing account (else MEDCHAIN_SURI).
	#[arg(long, global = true)]
	pub suri: Option<String>,

	/// File holding the secret URI of the signing account (first line).
	#[arg(long, global = true, conflicts_with = "suri")]
	pub suri_file: Option<PathBuf>,

	#[command(subcommand)]
	pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
	/// The signing account, and the institution it administers if any.
	Account,
	/// The consortium at a glance: runtime, council, open motions, validators, allowed nodes.
	Status,
	/// Generate session keys in a validator node's keystore for the signing account
	/// (`author_rotateKeysWithOwner` on `--node`) and register them on chain
	/// (`Session::set_keys`, submitted through `--rpc`).
	SessionKeys {
		/// JSON-RPC address of the validator node that will hold the keys (default: `--rpc`).
		/// Unsafe RPC methods must be allowed there (the default on 127.0.0.1).
		#[arg(long, value_parser = parse_rpc_addr)]
		node: Option<SocketAddr>,
	},
	/// Register a device (a hospital gateway's account, as `medchain-gateway init` prints it)
	/// for the institution the signing account administers (`institutions::add_device`).
	AddDevice {
		/// The device account (SS58 or 0x public key).
		#[arg(value_parser = parse_account)]
		device: AccountId,
	},
	/// Send MED to an account, e.g. a device for its transaction fees
	/// (`balances::transfer_keep_alive`).
	Transfer {
		/// The receiving account (SS58 or 0x public key).
		#[arg(value_parser = parse_account)]
		to: AccountId,
		/// The amount in MED (decimals allowed, e.g. 2.5).
		#[arg(value_parser = parse_med)]
		amount: u128,
	},
	/// The peer id of a node, to put on the allow-list.
	PeerId {
		/// JSON-RPC address of the node (default: `--rpc`).
		#[arg(long, value_parser = parse_rpc_addr)]
		node: Option<SocketAddr>,
	},
	/// Propose a council motion (the signer must be a member); the threshold is the one the
	/// decision needs (more than half, or two thirds, of the seats) unless given.
	Propose {
		/// Ayes needed instead of the decision's own threshold (at least 2).
		#[arg(long)]
		threshold: Option<u32>,
		#[command(subcommand)]
		proposal: Proposal,
	},
	/// Vote on an open motion (the signer must be a member).
	Vote {
		/// The motion's proposal hash (0x…), as `propose` and `status` print it.
		#[arg(value_parser = parse_hash)]
		proposal: sp_core::H256,
		/// aye or nay.
		vote: Vote,
	},
	/// Close a motion that has enough votes either way (anyone may); prints the outcome.
	Close {
		/// The motion's proposal hash (0x…).
		#[arg(value_parser = parse_hash)]
		proposal: sp_core::H256,
	},
	/// Apply a runtime upgrade that the council authorized (an unsigned extrinsic; no key needed).
	ApplyUpgrade {
		/// The compact compressed WASM blob whose hash was authorized.
		wasm: PathBuf,
	},
}

/// A decision the council takes by motion.
#[derive(Clone, Debug, Subcommand)]
pub enum Proposal {
	/// Admit a hospital (more than half).
	AdmitHospital {
		/// The hospital's admin account (SS58 or 0x public key).
		#[arg(value_parser = parse_account)]
		admin: AccountId,
		/// The hospital's public name.
		name: String,
	},
	/// Add a hospital's node to the validators (more than half). Its account must have
	/// registered session keys (`session-keys`).
	AddValidator {
		/// The node's session account.
		#[arg(value_parser = parse_account)]
		account: AccountId,
		/// The hospital's institution id.
		hospital: u32,
	},
	/// Remove a validator (more than half; refused below the floor).
	RemoveValidator {
		/// The node's session account.
		#[arg(value_parser = parse_account)]
		account: AccountId,
	},
	/// Allow a hospital's node on the network (more than half).
	AuthorizeNode {
		/// The node's peer id (12D3KooW…), as `peer-id` prints it.
		#[arg(value_parser = parse_peer_id)]
		peer_id: PeerId,
		/// The hospital's institution id.
		hospital: u32,
	},
	/// Take a node off the network (more than half).
	DeauthorizeNode {
		/// The node's peer id.
		#[arg(value_parser = parse_peer_id)]
		peer_id: PeerId,
	},
	/// Authorize a runtime upgrade to this WASM blob (two thirds); anyone then applies it.
	AuthorizeUpgrade {
		/// The compact compressed WASM blob.
		wasm: PathBuf,
	},
}

/// A libp2p peer id as the allow-list stores it (the multihash bytes).
#[derive(Clone, Debug, PartialEq)]
pub struct PeerId(pub Vec<u8>);

/// How the tool prints results and errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Output {
	/// Lines for people.
	Text,
	/// One JSON object per command (stdout; errors on stderr).
	Json,
}

/// Whether the raw arguments ask for JSON output (`--output json` or `--output=json`), to report
/// a command line clap cannot parse in the format asked for.
pub fn wants_json<I: IntoIterator<Item = String>>(args: I) -> bool {
	let args: Vec<String> = args.into_iter().collect();
	args.iter().any(|a| a == "--output=json")
		|| args.windows(2).any(|w| w[0] == "--output" && w[1] == "json")
}

#[derive(Clone, Copy, Debug, PartialEq, ValueEnum)]
pub enum Vote {
	Aye,
	Nay,
}

/// `host:port`, `http://host:port` or `ws://host:port` (resolved; the first address is used).
pub fn parse_rpc_addr(text: &str) -> Result<SocketAddr, String> {
	use std::net::ToSocketAddrs;
	let bare =
		text.trim().trim_start_matches("http://").trim_start_matches("ws://").trim_end_matches('/');
	bare.to_socket_addrs()
		.map_err(|e| format!("`{text}` is not a host:port address: {e}"))?
		.next()
		.ok_or_else(|| format!("`{text}` resolves to no address"))
}

/// An account as SS58 (any network prefix) or a 0x-prefixed 32-byte public key.
pub fn parse_account(text: &str) -> Result<AccountId, String> {
	let text = text.trim();
	if let Some(hex) = text.strip_prefix("0x") {
		let bytes: [u8; 32] = from_hex(hex)
			.map_err(|e| e.to_string())?
			.try_into()
			.map_err(|_| format!("`{text}` is not a 32-byte public key"))?;
		return Ok(AccountId::from(bytes));
	}
	AccountId::from_ss58check_with_version(text)
		.map(|(account, _)| account)
		.map_err(|e| format!("`{text}` is not an SS58 address: {e:?}"))
}

/// A 0x-prefixed 32-byte hash.
pub fn parse_hash(text: &str) -> Result<sp_core::H256, String> {
	let bytes = from_hex(text.trim()).map_err(|e| e.to_string())?;
	if bytes.len() != 32 {
		return Err(format!("`{text}` is not a 32-byte hash"));
	}
	Ok(sp_core::H256::from_slice(&bytes))
}

/// A base58 libp2p peer id.
pub fn parse_peer_id(text: &str) -> Result<PeerId, String> {
	network::peer_id_bytes(text).map(PeerId).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn addresses_accounts_hashes_and_peer_ids_parse() {
		assert_eq!(parse_rpc_addr("http://127.0.0.1:9944").unwrap().port(), 9944);
		assert_eq!(parse_rpc_addr("ws://127.0.0.1:9945/").unwrap().port(), 9945);
		assert!(parse_rpc_addr("127.0.0.1").is_err(), "a port is needed");
		let alice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
		let account = parse_account(alice).unwrap();
		assert_eq!(parse_account(&medchain_client::to_hex(account.as_ref())).unwrap(), account);
		assert!(parse_account("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ").is_err());
		assert!(parse_account("0x1234").is_err());
		assert!(parse_hash("0x12").is_err());
		assert!(parse_hash(&format!("0x{}", "ab".repeat(32))).is_ok());
		let (_, peer) = network::peer_id_of_node_key(&"11".repeat(32)).unwrap();
		assert_eq!(parse_peer_id(&peer).unwrap().0.len(), 38);
		assert!(parse_peer_id("12D3KooW").is_err());
	}

	#[test]
	fn commands_parse_with_their_arguments() {
		let cli = Cli::try_parse_from([
			"medchain-admin",
			"--rpc",
			"127.0.0.1:9950",
			"propose",
			"add-validator",
			"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
			"4",
		])
		.unwrap();
		assert_eq!(cli.rpc.port(), 9950);
		assert_eq!(cli.output, Output::Text, "text unless asked");
		assert!(matches!(
			cli.command,
			Command::Propose {
				threshold: None,
				proposal: Proposal::AddValidator { hospital: 4, .. }
			}
		));
		let (bytes, peer) = network::peer_id_of_node_key(&"22".repeat(32)).unwrap();
		let cli = Cli::try_parse_from(["medchain-admin", "propose", "authorize-node", &peer, "2"])
			.unwrap();
		assert!(matches!(
			cli.command,
			Command::Propose { proposal: Proposal::AuthorizeNode { peer_id, hospital: 2 }, .. }
				if peer_id.0 == bytes
		));
		let cli =
			Cli::try_parse_from(["medchain-admin", "propose", "deauthorize-node", &peer]).unwrap();
		assert!(matches!(
			cli.command,
			Command::Propose { proposal: Proposal::DeauthorizeNode { peer_id }, .. } if peer_id.0 == bytes
		));
		let hash = format!("0x{}", "cd".repeat(32));
		let cli = Cli::try_parse_from(["medchain-admin", "vote", &hash, "nay"]).unwrap();
		assert!(matches!(cli.command, Command::Vote { vote: Vote::Nay, .. }));
		// The output flag is global: before or after the command.
		let cli = Cli::try_parse_from(["medchain-admin", "status", "--output", "json"]).unwrap();
		assert_eq!(cli.output, Output::Json);
		let cli = Cli::try_parse_from(["medchain-admin", "--output=json", "status"]).unwrap();
		assert_eq!(cli.output, Output::Json);
		assert!(Cli::try_parse_from(["medchain-admin", "--output", "yaml", "status"]).is_err());
		let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
		assert!(wants_json(args(&["medchain-admin", "--output", "json", "nonsense"])));
		assert!(wants_json(args(&["medchain-admin", "nonsense", "--output=json"])));
		assert!(!wants_json(args(&["medchain-admin", "status"])));
		assert!(Cli::try_parse_from(["medchain-admin", "vote", "0x12", "aye"]).is_err());
		assert!(
			Cli::try_parse_from(["medchain-admin", "propose", "add-validator", "x", "4"]).is_err()
		);
		assert!(Cli::try_parse_from([
			"medchain-admin",
			"--suri",
			"//Alice",
			"--suri-file",
			"f",
			"status"
		])
		.is_err());
	}
}

/// An amount of MED (up to 12 decimals) in the chain's smallest unit.
pub fn parse_med(text: &str) -> Result<u128, String> {
	const DECIMALS: usize = 12;
	let bad = || format!("not an amount of MED: {text} (e.g. 10 or 2.5)");
	let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
	if whole.is_empty() && fraction.is_empty() || fraction.len() > DECIMALS {
		return Err(bad());
	}
	let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
	if !digits(whole) || !digits(fraction) {
		return Err(bad());
	}
	let whole: u128 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| bad())? };
	let fraction: u128 = format!("{fraction:0<DECIMALS$}").parse().map_err(|_| bad())?;
	let amount = whole
		.checked_mul(10u128.pow(DECIMALS as u32))
		.and_then(|w| w.checked_add(fraction))
		.ok_or_else(bad)?;
	if amount == 0 {
		return Err(bad());
	}
	Ok(amount)
}

#[cfg(test)]
mod med_tests {
	use super::parse_med;

	#[test]
	fn amounts_of_med_parse_to_the_smallest_unit() {
		assert_eq!(parse_med("1"), Ok(1_000_000_000_000));
		assert_eq!(parse_med("2.5"), Ok(2_500_000_000_000));
		assert_eq!(parse_med("0.000000000001"), Ok(1));
		assert_eq!(parse_med(".5"), Ok(500_000_000_000));
		for bad in ["", ".", "0", "1.0000000000001", "-1", "1e3", "x"] {
			assert!(parse_med(bad).is_err(), "{bad}");
		}
	}
}
