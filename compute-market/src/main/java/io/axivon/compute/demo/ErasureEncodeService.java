package io.axivon.compute.demo;

import io.axivon.common.InvalidInputException;
import io.axivon.da.erasure.ErasureBackend;
import io.axivon.da.erasure.ErasureBackends;
import io.axivon.da.erasure.ErasureCoder;
import io.axivon.da.erasure.ReedSolomon;
import java.util.Base64;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;

/**
 * Erasure-encode-as-a-service, the devnet's second demo service: {@code POST
 * /v1/erasure/encode?k=K&m=M} with any body answers the body split into k data shards (zero-padded
 * to equal length) and m parity shards, as JSON with each shard in base64. It codes with the
 * project's Reed-Solomon coder ({@link ReedSolomon#create}: ISA-L's Cauchy matrix, the same bytes
 * on every backend), which runs on the CUDA backend when that backend is on the class path and a
 * GPU is present, else on the best CPU one; the backend used is reported in the {@value
 * #BACKEND_HEADER} response header, not in the body, so the signed answer is the same everywhere.
 * Thread-safe: the coder is.
 */
public final class ErasureEncodeService implements AutoCloseable {
  /** The service's name on chain in the devnet. */
  public static final String SERVICE_NAME = "erasure-encode";

  public static final String PATH = "/v1/erasure/encode";

  /** The response header naming the erasure backend that coded the answer. */
  public static final String BACKEND_HEADER = "X-Erasure-Backend";

  /** k and m when the query leaves them out. */
  public static final int DEFAULT_K = 4;

  public static final int DEFAULT_M = 2;

  /** At most this many shards in all (the coder's limit). */
  public static final int MAX_SHARDS = 256;

  /** An answer: the JSON document and the backend that computed it. */
  public record Encoded(String json, String backend) {}

  private final List<ErasureBackend> backends;
  private final ErasureCoder coder;

  /** Codes on {@code backends} as {@link ReedSolomon} does: the first that prefers a shape. */
  public ErasureEncodeService(List<ErasureBackend> backends) {
    this.backends = List.copyOf(backends);
    this.coder = new ReedSolomon(this.backends, 1);
  }

  /** On the automatically chosen backends (a GPU first when present), one thread. */
  public static ErasureEncodeService automatic() {
    return new ErasureEncodeService(ErasureBackends.automatic());
  }

  /** The backend {@link ReedSolomon} runs an encode of this shape on (its own rule). */
  String backendFor(int k, int m, long len) {
    for (int i = 0; i < backends.size() - 1; i++) {
      if (backends.get(i).prefers(m, k, len)) {
        return backends.get(i).name();
      }
    }
    return backends.getLast().name();
  }

  /**
   * Encodes {@code body} as the query ({@code k=K&m=M}, both optional) asks.
   *
   * @throws InvalidInputException with the reason for a 400: an empty body, a bad query
   */
  public Encoded encode(Bytes body, String query) {
    int k = DEFAULT_K;
    int m = DEFAULT_M;
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        switch (name) {
          case "k" -> k = positive("k", value);
          case "m" -> m = positive("m", value);
          default ->
              throw new InvalidInputException(
                  "unknown query parameter '" + name + "': the service takes k and m");
        }
      }
    }
    if (k + m > MAX_SHARDS) {
      throw new InvalidInputException(
          "k + m must be at most " + MAX_SHARDS + ", got " + k + " + " + m);
    }
    if (body.isEmpty()) {
      throw new InvalidInputException("empty body: nothing to encode");
    }
    int len = (body.size() + k - 1) / k;
    byte[][] data = new byte[k][len];
    byte[] in = body.toArrayUnsafe();
    for (int i = 0; i < k; i++) {
      int from = i * len;
      if (from < in.length) {
        System.arraycopy(in, from, data[i], 0, Math.min(len, in.length - from));
      }
    }
    byte[][] parity = new byte[m][len];
    coder.encode(k, m, data, parity, len);
    Base64.Encoder b64 = Base64.getEncoder();
    StringBuilder json = new StringBuilder(body.size() * 2 + 128);
    json.append("{\"k\":").append(k).append(",\"m\":").append(m);
    json.append(",\"size\":").append(body.size()).append(",\"shardBytes\":").append(len);
    json.append(",\"shards\":[");
    for (int i = 0; i < k + m; i++) {
      json.append(i == 0 ? "\"" : ",\"");
      json.append(b64.encodeToString(i < k ? data[i] : parity[i - k])).append('"');
    }
    json.append("]}");
    return new Encoded(json.toString(), backendFor(k, m, len));
  }

  private static int positive(String name, String value) {
    try {
      int v = Integer.parseInt(value);
      if (v < 1) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new InvalidInputException(
          name + " must be a whole number from 1 to " + (MAX_SHARDS - 1) + ", got '" + value + "'");
    }
  }

  @Override
  public void close() {
    coder.close();
  }
}
