/**
 * The cluster: chains i &gt; 0 follow chain 0's validator set through a light client of chain 0
 * ({@link io.axivon.consensus.cluster.Chain0LightClient}), fed by certified chain-0 headers that
 * name a new set ({@link io.axivon.consensus.types.SetChange}).
 */
package io.axivon.consensus.cluster;
