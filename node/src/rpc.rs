//! The node's own JSON-RPC methods, besides the ones sc-service provides (chain, state, author,
//! system): account nonces (`system_accountNextIndex`), transaction fees (`payment_*`),
//! record verification (`records_*`), certificates (`certificates_*`), prescriptions
//! (`prescriptions_*`), claims (`claims_*`), consent (`consent_*`) and exchanges
//! (`exchange_*`).

use jsonrpsee::RpcModule;
use medchain_runtime::{opaque::Block, AccountId, Balance, BlockNumber, Nonce};
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};
use std::sync::Arc;

/// What the RPC methods need.
pub struct FullDeps<C, P> {
	/// The client.
	pub client: Arc<C>,
	/// The transaction pool.
	pub pool: Arc<P>,
}

/// Builds the RPC methods.
pub fn create_full<C, P>(
	deps: FullDeps<C, P>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>,
	C: HeaderBackend<Block> + HeaderMetadata<Block, Error = BlockChainError> + 'static,
	C: Send + Sync + 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>,
	C::Api: pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>,
	C::Api: pallet_records_rpc::RecordsRuntimeApi<Block, AccountId, BlockNumber>,
	C::Api: pallet_certificates_rpc::CertificatesRuntimeApi<Block, AccountId, BlockNumber>,
	C::Api: pallet_prescriptions_rpc::PrescriptionsRuntimeApi<Block, AccountId, BlockNumber>,
	C::Api: pallet_claims_rpc::ClaimsRuntimeApi<Block, AccountId, Balance, BlockNumber>,
	C::Api: pallet_consent_rpc::ConsentRuntimeApi<Block, AccountId, BlockNumber>,
	C::Api: pallet_exchange_rpc::ExchangeRuntimeApi<Block, AccountId, Balance, BlockNumber>,
	C::Api: pallet_institutions_rpc::InstitutionsRuntimeApi<Block, AccountId, BlockNumber>,
	C::Api: BlockBuilder<Block>,
	P: TransactionPool + 'static,
{
	use pallet_certificates_rpc::{Certificates, CertificatesApiServer};
	use pallet_claims_rpc::{Claims, ClaimsApiServer};
	use pallet_consent_rpc::{ConsentApiServer, ConsentRpc};
	use pallet_exchange_rpc::{ExchangeApiServer, ExchangeRpc};
	use pallet_institutions_rpc::{Institutions, InstitutionsApiServer};
	use pallet_prescriptions_rpc::{Prescriptions, PrescriptionsApiServer};
	use pallet_records_rpc::{Records, RecordsApiServer};
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let mut module = RpcModule::new(());
	let FullDeps { client, pool } = deps;

	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	module.merge(Records::new(client.clone()).into_rpc())?;
	module.merge(Certificates::new(client.clone()).into_rpc())?;
	module.merge(Prescriptions::new(client.clone()).into_rpc())?;
	module.merge(Claims::new(client.clone()).into_rpc())?;
	module.merge(ConsentRpc::new(client.clone()).into_rpc())?;
	module.merge(ExchangeRpc::new(client.clone()).into_rpc())?;
	module.merge(Institutions::new(client).into_rpc())?;

	Ok(module)
}
