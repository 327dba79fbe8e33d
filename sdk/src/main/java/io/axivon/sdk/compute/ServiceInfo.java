package io.axivon.sdk.compute;

import io.axivon.common.crypto.secp256k1.Address;
import java.math.BigInteger;

/**
 * A provider's service as the serving module lists it (the ABI's {@code Service} tuple).
 *
 * @param inputPrice wei per input unit
 * @param outputPrice wei per output unit
 * @param updatedAt the block that last added or updated it
 */
public record ServiceInfo(
    Address provider,
    String name,
    String serviceType,
    String url,
    String model,
    BigInteger inputPrice,
    BigInteger outputPrice,
    Verifiability verifiability,
    long updatedAt) {}
