package io.axivon.node.export;

import static io.axivon.node.export.Column.Type.BOOL;
import static io.axivon.node.export.Column.Type.INT64;
import static io.axivon.node.export.Column.Type.TIMESTAMP_SECONDS;
import static io.axivon.node.export.Column.Type.UTF8;
import static io.axivon.node.export.Column.optional;
import static io.axivon.node.export.Column.required;

import java.util.List;

/**
 * The five tables {@code axivon export} writes (specs/cli.md). Hashes, addresses and byte data are
 * lowercase {@code 0x} hex strings; wei amounts (uint256 on chain) are decimal strings, exact in
 * every reader and castable to a number where it fits.
 */
public final class Tables {
  private Tables() {}

  public static final TableSchema BLOCKS =
      new TableSchema(
          "blocks",
          List.of(
              required("number", INT64),
              required("hash", UTF8),
              required("parent_hash", UTF8),
              required("timestamp", TIMESTAMP_SECONDS),
              required("miner", UTF8),
              required("gas_used", INT64),
              required("gas_limit", INT64),
              optional("base_fee_per_gas", UTF8),
              required("transaction_count", INT64),
              required("state_root", UTF8),
              required("transactions_root", UTF8),
              required("receipts_root", UTF8),
              optional("size", INT64)));

  public static final TableSchema TRANSACTIONS =
      new TableSchema(
          "transactions",
          List.of(
              required("block_number", INT64),
              required("transaction_index", INT64),
              required("hash", UTF8),
              required("from", UTF8),
              optional("to", UTF8),
              required("nonce", INT64),
              required("value", UTF8),
              required("gas", INT64),
              required("gas_price", UTF8),
              optional("max_fee_per_gas", UTF8),
              optional("max_priority_fee_per_gas", UTF8),
              required("type", INT64),
              required("input_size", INT64),
              optional("method_id", UTF8),
              required("success", BOOL),
              required("gas_used", INT64),
              required("cumulative_gas_used", INT64),
              required("effective_gas_price", UTF8),
              optional("contract_address", UTF8)));

  public static final TableSchema LOGS =
      new TableSchema(
          "logs",
          List.of(
              required("block_number", INT64),
              required("transaction_hash", UTF8),
              required("transaction_index", INT64),
              required("log_index", INT64),
              required("address", UTF8),
              optional("topic0", UTF8),
              optional("topic1", UTF8),
              optional("topic2", UTF8),
              optional("topic3", UTF8),
              required("data", UTF8)));

  public static final TableSchema DA_BLOBS =
      new TableSchema(
          "da_blobs",
          List.of(
              required("block_number", INT64),
              required("transaction_hash", UTF8),
              required("log_index", INT64),
              required("data_root", UTF8),
              required("disperser", UTF8),
              required("epoch", INT64),
              required("quorum_id", INT64),
              required("size", INT64)));

  public static final TableSchema STORAGE_SUBMISSIONS =
      new TableSchema(
          "storage_submissions",
          List.of(
              required("block_number", INT64),
              required("transaction_hash", UTF8),
              required("log_index", INT64),
              required("submission_index", INT64),
              required("sender", UTF8),
              required("root", UTF8),
              required("identity", UTF8),
              required("size", INT64),
              required("start_pos", INT64),
              required("sectors", INT64),
              required("tags", UTF8)));

  /** Every table, in the order the export writes and reports them. */
  public static final List<TableSchema> ALL =
      List.of(BLOCKS, TRANSACTIONS, LOGS, DA_BLOBS, STORAGE_SUBMISSIONS);
}
