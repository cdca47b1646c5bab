//! `medchain-admin`: the steps of hospital IT staff on the consortium chain, each a JSON-RPC call
//! or a signed extrinsic, with the chain's answer printed (docs/governance.md, onboarding).

mod cli;
mod proposals;

use clap::Parser;
use cli::{Cli, Command, Vote};
use medchain_harness::{council, network, upgrade, validator, Node};
use medchain_runtime::Runtime;
use serde_json::json;
use sp_core::{crypto::Ss58Codec, sr25519, Pair};
use std::process::ExitCode;

/// A failed step, with what to tell the person.
struct Failure(String);

impl<E: std::fmt::Display> From<E> for Failure {
	fn from(e: E) -> Self {
		Failure(e.to_string())
	}
}

fn main() -> ExitCode {
	// Addresses are shown in MedChain's own SS58 format, as the node shows them.
	sp_core::crypto::set_default_ss58_version(sp_core::crypto::Ss58AddressFormat::custom(
		medchain_runtime::SS58_PREFIX,
	));
	let cli = Cli::parse();
	match run(cli) {
		Ok(()) => ExitCode::SUCCESS,
		Err(Failure(message)) => {
			eprintln!("error: {message}");
			ExitCode::from(1)
		},
	}
}

/// The signing key: `--suri`, `--suri-file` or MEDCHAIN_SURI.
fn signer(cli: &Cli) -> Result<sr25519::Pair, Failure> {
	let suri = match (&cli.suri, &cli.suri_file) {
		(Some(s), _) => s.clone(),
		(None, Some(path)) => std::fs::read_to_string(path)
			.map_err(|e| format!("cannot read {}: {e}", path.display()))?
			.lines()
			.next()
			.unwrap_or_default()
			.to_string(),
		(None, None) => std::env::var("MEDCHAIN_SURI").map_err(|_| {
			"this step is signed: give the key with MEDCHAIN_SURI, --suri-file or --suri"
		})?,
	};
	sr25519::Pair::from_string(suri.trim(), None)
		.map_err(|e| Failure(format!("the secret URI is not a valid sr25519 key: {e:?}")))
}

fn read_wasm(path: &std::path::Path) -> Result<Vec<u8>, Failure> {
	let code = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
	// A WASM module, or one compressed by the wasm-builder (zstd with a prefix).
	let wasm = code.starts_with(b"\0asm");
	let compressed = code.starts_with(&[0x52, 0xbc, 0x53, 0x76, 0x46, 0xdb, 0x8e, 0x05]);
	if !wasm && !compressed {
		return Err(Failure(format!("{} is not a WASM runtime blob", path.display())));
	}
	Ok(code)
}

fn run(cli: Cli) -> Result<(), Failure> {
	let node = Node::attach(cli.rpc);
	match &cli.command {
		Command::Status => status(&node),
		Command::Account => {
			let account = council::account(&signer(&cli)?);
			println!("account {account}");
			let key = pallet_institutions::AdminOf::<Runtime>::hashed_key_for(&account);
			if let Some(id) = node.storage::<u32>(&key, None)? {
				println!("institution {id}");
			}
			Ok(())
		},
		Command::SessionKeys { node: keystore_node } => {
			let pair = signer(&cli)?;
			let owner = council::account(&pair);
			let keystore = Node::attach(keystore_node.unwrap_or(cli.rpc));
			let generated = validator::rotate_keys(&keystore, &owner)?;
			println!("session keys generated for {owner} on {}", keystore.rpc_addr());
			println!("  aura    {}", generated.keys.aura.to_ss58check());
			println!("  grandpa {}", generated.keys.grandpa.to_ss58check());
			let included =
				medchain_harness::tx::include(&node, validator::set_keys_call(&generated), &pair)?;
			match included.result {
				Ok(()) => {
					println!("registered in block #{} (Session::set_keys)", included.block_number);
					Ok(())
				},
				Err(e) => {
					Err(Failure(format!("Session::set_keys failed: {}", council::describe(e))))
				},
			}
		},
		Command::PeerId { node: target } => {
			let target = Node::attach(target.unwrap_or(cli.rpc));
			let peer = target.rpc("system_localPeerId", json!([]))?;
			println!("{}", peer.as_str().unwrap_or_default());
			Ok(())
		},
		Command::Propose { threshold, proposal } => {
			let pair = signer(&cli)?;
			let seats = council::members(&node, None)?.len() as u32;
			let (call, needed) = proposals::to_call(proposal)?;
			let threshold = threshold.unwrap_or_else(|| needed.ayes(seats));
			let motion = council::propose(&node, &pair, threshold, call)?;
			println!("motion #{} proposed; {threshold} of {seats} ayes needed", motion.index);
			println!("proposal {:?}", motion.hash);
			Ok(())
		},
		Command::Vote { proposal, vote } => {
			let pair = signer(&cli)?;
			let motion = council::open_motion(&node, *proposal)?;
			council::vote(&node, &motion, &[&pair], *vote == Vote::Aye)?;
			let tally = council::votes(&node, *proposal)?.ok_or("the motion closed meanwhile")?;
			println!(
				"voted {vote:?} on motion #{}: {} ayes, {} nays, {} needed",
				motion.index,
				tally.ayes.len(),
				tally.nays.len(),
				tally.threshold
			);
			Ok(())
		},
		Command::Close { proposal } => {
			let pair = signer(&cli)?;
			let motion = council::open_motion(&node, *proposal)?;
			match council::close(&node, &pair, &motion)? {
				council::Closed::Executed(Ok(())) => {
					println!("motion #{} approved and executed", motion.index);
					Ok(())
				},
				council::Closed::Executed(Err(e)) => Err(Failure(format!(
					"motion #{} approved, but the call failed: {}",
					motion.index,
					council::describe(e)
				))),
				council::Closed::Disapproved => {
					Err(Failure(format!("motion #{} was disapproved", motion.index)))
				},
			}
		},
		Command::ApplyUpgrade { wasm } => {
			let code = read_wasm(wasm)?;
			let before = upgrade::spec_version(&node)?;
			match upgrade::authorized(&node)? {
				Some((hash, _)) if hash == upgrade::code_hash(&code) => {},
				Some((hash, _)) => {
					return Err(Failure(format!(
						"the council authorized {hash:?}, not this blob ({:?})",
						upgrade::code_hash(&code)
					)))
				},
				None => return Err(Failure("no runtime upgrade is authorized".into())),
			}
			let included = upgrade::apply(&node, code)?;
			included.result.map_err(|e| format!("the upgrade failed: {}", council::describe(e)))?;
			println!(
				"upgrade applied in block #{} (spec_version {before} until then; the new runtime runs from the next block)",
				included.block_number
			);
			Ok(())
		},
	}
}

fn hospital_label(hospital: Option<u32>) -> String {
	hospital.map(|h| format!("hospital {h}")).unwrap_or_else(|| "no hospital".into())
}

fn status(node: &Node) -> Result<(), Failure> {
	println!("node        {}", node.rpc_addr());
	println!("runtime     spec_version {}", upgrade::spec_version(node)?);
	println!("blocks      best #{}, finalized #{}", node.best_number()?, node.finalized_number()?);
	let members = council::members(node, None)?;
	println!("council     {} seats", members.len());
	for m in &members {
		println!("  {m}");
	}
	let open = council::open_proposals(node)?;
	println!("motions     {} open", open.len());
	for hash in open {
		if let Some(tally) = council::votes(node, hash)? {
			println!(
				"  #{} {hash:?}: {} ayes, {} nays, {} needed, closable by votes or from block #{}",
				tally.index,
				tally.ayes.len(),
				tally.nays.len(),
				tally.threshold,
				tally.end
			);
		}
	}
	println!("session     #{}", validator::session_index(node, None)?);
	let active = validator::session_validators(node, None)?;
	println!("validators  {} in this session", active.len());
	for (account, hospital) in validator::consortium_validators(node)? {
		let state = if active.contains(&account) { "active" } else { "from a coming session" };
		println!("  {account} ({}, {state})", hospital_label(hospital));
	}
	let nodes = network::authorized_nodes(node)?;
	if nodes.is_empty() {
		println!("nodes       no allow-list (any node may connect)");
	} else {
		println!("nodes       {} allowed", nodes.len());
		for (peer, hospital) in nodes {
			println!("  {} ({})", network::peer_id_text(&peer), hospital_label(hospital));
		}
	}
	Ok(())
}
