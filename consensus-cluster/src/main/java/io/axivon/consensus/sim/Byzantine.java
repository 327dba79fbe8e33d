package io.axivon.consensus.sim;

/** How a byzantine validator misbehaves in the simulator. */
public enum Byzantine {
  /** Sends nothing. */
  SILENT,
  /** Signs two different votes for every vote and sends each to half the network. */
  DOUBLE_VOTER,
  /** Signs two different blocks for each of its proposals and sends each to half the network. */
  EQUIVOCATING_PROPOSER,
  /** Proposes blocks the application rejects. */
  INVALID_PROPOSER
}
