#!/bin/sh
# One-shot setup for compose.yaml: writes a 4-validator testnet into the `testnet` volume (once),
# then points the configs `axivon testnet init` writes for one machine at the compose network:
# services bind 0.0.0.0 instead of loopback, and validator i's peers are validator-j:26650+j.
set -eu
out=${AXIVON_TESTNET:-/testnet}
if [ -f "$out/genesis.json" ]; then
  echo "testnet already in $out"
  exit 0
fi
axivon testnet init --validators 4 --out "$out" --p2p-port 26650 --metrics-port 9410 --rpc-port 8545
for cfg in "$out"/node-*/config.yaml; do
  sed -i \
    -e 's/host: "127\.0\.0\.1"/host: "0.0.0.0"/' \
    -e 's/@127\.0\.0\.1:2665\([0-9]\)"/@validator-\1:2665\1"/' \
    "$cfg"
done
echo "testnet written to $out"
