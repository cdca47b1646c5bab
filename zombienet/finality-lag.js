// The worst best-minus-finalized gap seen on a node over 20 s (samples every 2 s).
async function run(nodeName, networkInfo) {
  const { wsUri, userDefinedTypes } = networkInfo.nodesByName[nodeName];
  const api = await zombie.connect(wsUri, userDefinedTypes);
  let worst = 0;
  for (let i = 0; i < 10; i++) {
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    const finalizedHash = await api.rpc.chain.getFinalizedHead();
    const finalized = (await api.rpc.chain.getHeader(finalizedHash)).number.toNumber();
    worst = Math.max(worst, best - finalized);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  await api.disconnect();
  return worst;
}

module.exports = { run };
