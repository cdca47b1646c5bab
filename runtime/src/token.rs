// The token's symbol and decimals, in a file of their own because two builds read them: the
// runtime (`currency`, and through it the chain spec's properties) and runtime/build.rs, which
// puts them into the RFC-0078 metadata hash. A wallet that checks the hash shows amounts with
// these, so the hash and the chain spec must never disagree.

/// The token's symbol, as shown to wallets (chain spec property `tokenSymbol`, and part of the
/// metadata hash).
pub const TOKEN_SYMBOL: &str = "MED";
/// Decimals of one MED (chain spec property `tokenDecimals`, and part of the metadata hash).
pub const TOKEN_DECIMALS: u8 = 12;
