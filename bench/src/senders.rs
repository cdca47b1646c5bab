//! The senders: accounts derived as `//MedchainBench//<i>` (the same in every run, so a second
//! run reuses the funds), funded by a funding account (a development account on `--dev`) with
//! transfers signed at consecutive nonces and waited for until final.

use medchain_client::{tx::ChainContext, ws::WsClient, Error};
use medchain_runtime::{AccountId, Balance, Nonce, Runtime};
use serde_json::json;
use sp_core::{sr25519, Pair};
use std::time::{Duration, Instant};

/// How long funding and set-up steps may take to become final.
const FUNDING_TIMEOUT: Duration = Duration::from_secs(120);

/// An account's state as the chain stores it.
type AccountInfo = frame_system::AccountInfo<Nonce, pallet_balances::AccountData<Balance>>;

/// The key pair of sender `i`.
pub fn sender(i: usize) -> Result<sr25519::Pair, Error> {
	sr25519::Pair::from_string(&format!("//MedchainBench//{i}"), None)
		.map_err(|e| Error::Invalid(format!("sender {i}: {e:?}")))
}

/// The key pairs of senders `0..count`.
pub fn senders(count: usize) -> Result<Vec<sr25519::Pair>, Error> {
	(0..count).map(sender).collect()
}

/// The key pair of a secret URI (`//Alice`, a mnemonic…).
pub fn pair(suri: &str) -> Result<sr25519::Pair, Error> {
	sr25519::Pair::from_string(suri, None).map_err(|e| Error::Invalid(format!("{suri}: {e:?}")))
}

/// The finalized block's hash.
pub async fn finalized_hash(ws: &WsClient) -> Result<String, Error> {
	let hash = ws.request("chain_getFinalizedHead", json!([])).await?;
	hash.as_str().map(str::to_string).ok_or_else(|| Error::Decode(format!("not a hash: {hash}")))
}

/// An account's nonce and free balance at block `at` (`None`: best).
pub async fn account(
	ws: &WsClient,
	who: &AccountId,
	at: Option<&str>,
) -> Result<(Nonce, Balance), Error> {
	let key = frame_system::Account::<Runtime>::hashed_key_for(who);
	let info: Option<AccountInfo> = ws.storage(&key, at).await?;
	Ok(info.map(|i| (i.nonce, i.data.free)).unwrap_or_default())
}

/// Signs `call` by `signer` at `nonce` and hands it to the node's pool.
pub async fn submit(
	ws: &WsClient,
	ctx: ChainContext,
	call: medchain_runtime::RuntimeCall,
	signer: &sr25519::Pair,
	nonce: Nonce,
) -> Result<(), Error> {
	let xt = medchain_client::tx::signed(call, signer, nonce, ctx);
	let encoded = codec::Encode::encode(&xt);
	ws.request("author_submitExtrinsic", json!([medchain_client::to_hex(&encoded)])).await?;
	Ok(())
}

/// Waits until `who`'s nonce at the finalized block reaches `nonce` (its transactions up to
/// `nonce - 1` are final), at most two minutes; `what` names the wait in the error.
pub async fn until_final(
	ws: &WsClient,
	who: &AccountId,
	nonce: Nonce,
	what: &str,
) -> Result<(), Error> {
	let started = Instant::now();
	loop {
		let at = finalized_hash(ws).await?;
		if account(ws, who, Some(&at)).await?.0 >= nonce {
			return Ok(());
		}
		if started.elapsed() > FUNDING_TIMEOUT {
			return Err(Error::Timeout(format!("{what} was not final within {FUNDING_TIMEOUT:?}")));
		}
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
}

/// Gives every account holding less than `amount / 2` the `amount`, from `funder`, and waits
/// until the transfers are final. Returns how many were funded.
pub async fn fund(
	ws: &WsClient,
	ctx: ChainContext,
	funder: &sr25519::Pair,
	accounts: &[AccountId],
	amount: Balance,
) -> Result<usize, Error> {
	let funder_account: AccountId = funder.public().into();
	let mut nonce = ws.next_nonce(&funder_account).await?;
	let mut sent = 0;
	for who in accounts {
		if account(ws, who, None).await?.1 >= amount / 2 {
			continue;
		}
		let call =
			medchain_runtime::RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
				dest: who.clone().into(),
				value: amount,
			});
		submit(ws, ctx, call, funder, nonce).await?;
		nonce += 1;
		sent += 1;
	}
	until_final(ws, &funder_account, nonce, &format!("the funding of {sent} accounts")).await?;
	Ok(sent)
}

/// The accounts of key pairs.
pub fn accounts(pairs: &[sr25519::Pair]) -> Vec<AccountId> {
	pairs.iter().map(|p| p.public().into()).collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn senders_are_distinct_and_the_same_in_every_run() {
		let a = senders(3).unwrap();
		let b = senders(3).unwrap();
		assert_eq!(a[2].public(), b[2].public());
		assert_ne!(a[0].public(), a[1].public());
		assert!(pair("//Alice").is_ok());
		assert!(pair("not a uri //").is_err());
	}
}
