//! Each command of the tool: the client's step functions over HTTP JSON-RPC, and what the chain
//! answered as a [`Report`] (text lines and one JSON object).

use crate::{
	cli::{Cli, Command, Vote},
	proposals, Failure, Report,
};
use medchain_client::{council, network, tx, upgrade, validator, Chain, Error, HttpClient};
use medchain_runtime::{Runtime, RuntimeCall};
use serde_json::json;
use sp_core::{crypto::Ss58Codec, sr25519, Pair};

/// The signing key: `--suri`, `--suri-file` or MEDCHAIN_SURI.
fn signer(cli: &Cli) -> Result<sr25519::Pair, Failure> {
	let suri = match (&cli.suri, &cli.suri_file) {
		(Some(s), _) => s.clone(),
		(None, Some(path)) => std::fs::read_to_string(path)
			.map_err(|e| Failure::input(format!("cannot read {}: {e}", path.display())))?
			.lines()
			.next()
			.unwrap_or_default()
			.to_string(),
		(None, None) => std::env::var("MEDCHAIN_SURI").map_err(|_| {
			Failure::input(
				"this step is signed: give the key with MEDCHAIN_SURI, --suri-file or --suri",
			)
		})?,
	};
	sr25519::Pair::from_string(suri.trim(), None)
		.map_err(|e| Failure::input(format!("the secret URI is not a valid sr25519 key: {e:?}")))
}

/// A runtime blob from a file: WASM, or WASM compressed by the wasm-builder.
pub fn read_wasm(path: &std::path::Path) -> Result<Vec<u8>, Failure> {
	let code = std::fs::read(path)
		.map_err(|e| Failure::input(format!("cannot read {}: {e}", path.display())))?;
	// A WASM module, or one compressed by the wasm-builder (zstd with a prefix).
	let wasm = code.starts_with(b"\0asm");
	let compressed = code.starts_with(&[0x52, 0xbc, 0x53, 0x76, 0x46, 0xdb, 0x8e, 0x05]);
	if !wasm && !compressed {
		return Err(Failure::input(format!("{} is not a WASM runtime blob", path.display())));
	}
	Ok(code)
}

fn hospital_label(hospital: Option<u32>) -> String {
	hospital.map(|h| format!("hospital {h}")).unwrap_or_else(|| "no hospital".into())
}

/// Runs the command of `cli` against the node at `--rpc`.
pub fn run(cli: &Cli) -> Result<Report, Failure> {
	let node = HttpClient::new(cli.rpc);
	match &cli.command {
		Command::Status => status(&node),
		Command::Account => {
			let account = council::account(&signer(cli)?);
			let key = pallet_institutions::AdminOf::<Runtime>::hashed_key_for(&account);
			let institution = node.storage::<u32>(&key, None)?;
			let mut lines = vec![format!("account {account}")];
			lines.extend(institution.map(|id| format!("institution {id}")));
			Ok(Report {
				lines,
				json: json!({"account": account.to_string(), "institution": institution}),
			})
		},
		Command::AddDevice { device } => {
			let call = RuntimeCall::Institutions(pallet_institutions::Call::add_device {
				device: device.clone(),
			});
			let included = tx::include(&node, call, &signer(cli)?)?.dispatched("add_device")?;
			Ok(Report {
				lines: vec![format!("device {device} added in block #{}", included.block_number)],
				json: json!({"device": device.to_string(), "block": included.block_number}),
			})
		},
		Command::Transfer { to, amount } => {
			let included = tx::include(&node, tx::transfer(to, *amount), &signer(cli)?)?
				.dispatched("transfer")?;
			Ok(Report {
				lines: vec![format!(
					"{amount} units sent to {to} in block #{}",
					included.block_number
				)],
				json: json!({"to": to.to_string(), "amount": amount.to_string(),
					"block": included.block_number}),
			})
		},
		Command::SessionKeys { node: keystore_node } => {
			let pair = signer(cli)?;
			let owner = council::account(&pair);
			let keystore = HttpClient::new(keystore_node.unwrap_or(cli.rpc));
			let generated = validator::rotate_keys(&keystore, &owner)?;
			let included = tx::include(&node, validator::set_keys_call(&generated), &pair)?
				.dispatched("Session::set_keys")?;
			let (aura, grandpa) =
				(generated.keys.aura.to_ss58check(), generated.keys.grandpa.to_ss58check());
			Ok(Report {
				lines: vec![
					format!("session keys generated for {owner} on {}", keystore.addr),
					format!("  aura    {aura}"),
					format!("  grandpa {grandpa}"),
					format!("registered in block #{} (Session::set_keys)", included.block_number),
				],
				json: json!({
					"account": owner.to_string(),
					"keystore": keystore.addr.to_string(),
					"aura": aura,
					"grandpa": grandpa,
					"block": included.block_number,
				}),
			})
		},
		Command::PeerId { node: target } => {
			let peer = network::local_peer_id(&HttpClient::new(target.unwrap_or(cli.rpc)))?;
			Ok(Report { lines: vec![peer.clone()], json: json!({ "peerId": peer }) })
		},
		Command::Propose { threshold, proposal } => {
			let pair = signer(cli)?;
			// Thresholds count suspended hospitals too, not only the seats.
			let seats = council::hospital_base(&node)?;
			let (call, needed) = proposals::to_call(proposal)?;
			let threshold = threshold.unwrap_or_else(|| needed.ayes(seats));
			let motion = council::propose(&node, &pair, threshold, call)?;
			Ok(Report {
				lines: vec![
					format!(
						"motion #{} proposed; {threshold} of {seats} ayes needed",
						motion.index
					),
					format!("proposal {:?}", motion.hash),
				],
				json: json!({
					"motion": motion.index,
					"hash": format!("{:?}", motion.hash),
					"threshold": threshold,
					"seats": seats,
				}),
			})
		},
		Command::Vote { proposal, vote } => {
			let pair = signer(cli)?;
			let motion = council::open_motion(&node, *proposal)?;
			council::vote(&node, &motion, &[&pair], *vote == Vote::Aye)?;
			let tally = council::votes(&node, *proposal)?
				.ok_or_else(|| Error::Invalid("the motion closed meanwhile".into()))?;
			Ok(Report {
				lines: vec![format!(
					"voted {vote:?} on motion #{}: {} ayes, {} nays, {} needed",
					motion.index,
					tally.ayes.len(),
					tally.nays.len(),
					tally.threshold
				)],
				json: json!({
					"motion": motion.index,
					"hash": format!("{:?}", motion.hash),
					"vote": if *vote == Vote::Aye { "aye" } else { "nay" },
					"ayes": tally.ayes.len(),
					"nays": tally.nays.len(),
					"threshold": tally.threshold,
				}),
			})
		},
		Command::Close { proposal } => {
			let pair = signer(cli)?;
			let motion = council::open_motion(&node, *proposal)?;
			match council::close(&node, &pair, &motion)? {
				council::Closed::Executed(Ok(())) => Ok(Report {
					lines: vec![format!("motion #{} approved and executed", motion.index)],
					json: json!({
						"motion": motion.index,
						"hash": format!("{:?}", motion.hash),
						"outcome": "executed",
					}),
				}),
				council::Closed::Executed(Err(e)) => Err(Error::refused(
					&format!("motion #{} was approved, but its call", motion.index),
					None,
					e,
				)
				.into()),
				council::Closed::Disapproved => Err(Error::ChainRefused {
					what: format!("motion #{}", motion.index),
					block: None,
					pallet: Some("Council".into()),
					error: "Disapproved".into(),
				}
				.into()),
			}
		},
		Command::ApplyUpgrade { wasm } => {
			let code = read_wasm(wasm)?;
			let hash = upgrade::code_hash(&code);
			let before = upgrade::spec_version(&node)?;
			match upgrade::authorized(&node)? {
				Some((authorized, _)) if authorized == hash => {},
				Some((authorized, _)) => {
					return Err(Error::Invalid(format!(
						"the council authorized {authorized:?}, not this blob ({hash:?})"
					))
					.into())
				},
				None => {
					return Err(Error::Invalid("no runtime upgrade is authorized".into()).into())
				},
			}
			let included = upgrade::apply(&node, code)?.dispatched("the upgrade")?;
			Ok(Report {
				lines: vec![format!(
					"upgrade applied in block #{} (spec_version {before} until then; the new runtime runs from the next block)",
					included.block_number
				)],
				json: json!({
					"block": included.block_number,
					"codeHash": format!("{hash:?}"),
					"previousSpecVersion": before,
				}),
			})
		},
	}
}

fn status(node: &HttpClient) -> Result<Report, Failure> {
	let mut lines = Vec::new();
	let spec_version = upgrade::spec_version(node)?;
	let (best, finalized) = (node.best_number()?, node.finalized_number()?);
	lines.push(format!("node        {}", node.addr));
	lines.push(format!("runtime     spec_version {spec_version}"));
	lines.push(format!("blocks      best #{best}, finalized #{finalized}"));
	let members = council::members(node, None)?;
	lines.push(format!("council     {} seats", members.len()));
	lines.extend(members.iter().map(|m| format!("  {m}")));
	let open = council::open_proposals(node)?;
	lines.push(format!("motions     {} open", open.len()));
	let mut motions = Vec::new();
	for hash in open {
		if let Some(tally) = council::votes(node, hash)? {
			lines.push(format!(
				"  #{} {hash:?}: {} ayes, {} nays, {} needed, closable by votes or from block #{}",
				tally.index,
				tally.ayes.len(),
				tally.nays.len(),
				tally.threshold,
				tally.end
			));
			motions.push(json!({
				"motion": tally.index,
				"hash": format!("{hash:?}"),
				"ayes": tally.ayes.len(),
				"nays": tally.nays.len(),
				"threshold": tally.threshold,
				"end": tally.end,
			}));
		}
	}
	let session = validator::session_index(node, None)?;
	lines.push(format!("session     #{session}"));
	let active = validator::session_validators(node, None)?;
	lines.push(format!("validators  {} in this session", active.len()));
	let mut validators = Vec::new();
	for (account, hospital) in validator::consortium_validators(node)? {
		let is_active = active.contains(&account);
		let state = if is_active { "active" } else { "from a coming session" };
		lines.push(format!("  {account} ({}, {state})", hospital_label(hospital)));
		validators.push(
			json!({"account": account.to_string(), "hospital": hospital, "active": is_active}),
		);
	}
	let allowed = network::authorized_nodes(node)?;
	if allowed.is_empty() {
		lines.push("nodes       no allow-list (any node may connect)".into());
	} else {
		lines.push(format!("nodes       {} allowed", allowed.len()));
	}
	let mut nodes = Vec::new();
	for (peer, hospital) in allowed {
		let peer = network::peer_id_text(&peer);
		lines.push(format!("  {peer} ({})", hospital_label(hospital)));
		nodes.push(json!({"peerId": peer, "hospital": hospital}));
	}
	let json = json!({
		"node": node.addr.to_string(),
		"specVersion": spec_version,
		"best": best,
		"finalized": finalized,
		"council": members.iter().map(|m| m.to_string()).collect::<Vec<_>>(),
		"motions": motions,
		"session": session,
		"sessionValidators": active.iter().map(|a| a.to_string()).collect::<Vec<_>>(),
		"validators": validators,
		"nodes": nodes,
	});
	Ok(Report { lines, json })
}
