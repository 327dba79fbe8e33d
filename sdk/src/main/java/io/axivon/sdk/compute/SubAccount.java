package io.axivon.sdk.compute;

import java.math.BigInteger;

/**
 * A user's prepaid sub-account with one provider ({@code getAccount(user, provider)}).
 *
 * @param balance wei the provider may still charge, pending refund included
 * @param nonce the last settled request nonce (the next must be greater)
 * @param pendingRefund wei asked back, returned to the user's ledger balance after the lock
 * @param refundUnlockBlock the block from which {@code processRefund} returns it
 */
public record SubAccount(
    BigInteger balance, BigInteger nonce, BigInteger pendingRefund, long refundUnlockBlock) {}
