package io.axivon.sdk.compute;

import java.math.BigInteger;

/**
 * A provider's bond in the serving module: what disputes are paid from.
 *
 * @param amount the bond, including what is unbonding (still chargeable until withdrawn)
 * @param pendingUnbond the part asked back, withdrawable from {@code unlockBlock}
 */
public record Bond(BigInteger amount, BigInteger pendingUnbond, long unlockBlock) {}
