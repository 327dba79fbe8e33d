/**
 * Writing to KV streams: {@link io.axivon.kv.client.KvBatcher} collects writes, reads and
 * access-control ops into one KV transaction, uploads it as a log file and waits for its result.
 */
package io.axivon.kv.client;
