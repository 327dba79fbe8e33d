package io.axivon.consensus.execution.block;

/** Where an included transaction is: its block number and index in the block. */
public record TxLocation(long blockNumber, int index) {}
