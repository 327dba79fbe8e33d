/**
 * KV transactions as 0G's SDK writes them to the log (specs/kv.md): the stream data codec and the
 * submission tags. Pure: no I/O.
 */
package io.axivon.kv.tx;
