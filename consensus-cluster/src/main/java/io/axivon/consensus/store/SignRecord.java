package io.axivon.consensus.store;

import io.axivon.common.codec.RlpCodec;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes;

/**
 * The last message a validator signed (CometBFT privval's last-sign state): its height, round and
 * step ({@link #PROPOSAL} &lt; {@link #PREVOTE} &lt; {@link #PRECOMMIT}), the exact sign-bytes and
 * the signature. Encoding: {@code [height, round, step, signBytes, signature]}.
 */
public record SignRecord(long height, int round, int step, Bytes signBytes, Bytes signature)
    implements Comparable<SignRecord> {
  public static final int PROPOSAL = 1;
  public static final int PREVOTE = 2;
  public static final int PRECOMMIT = 3;

  public static final RlpCodec<SignRecord> CODEC =
      RlpCodec.struct(
          (w, s) ->
              w.writeUInt64(s.height)
                  .writeUInt64(s.round)
                  .writeUInt64(s.step)
                  .writeBytes(s.signBytes)
                  .writeBytes(s.signature),
          r ->
              new SignRecord(
                  r.readUInt64(), r.readInt(), r.readInt(), r.readBytes(), r.readBytes()));

  public SignRecord {
    Objects.requireNonNull(signBytes, "signBytes");
    Objects.requireNonNull(signature, "signature");
    if (height < 1 || round < 0 || step < PROPOSAL || step > PRECOMMIT) {
      throw new IllegalArgumentException(
          "sign record needs height >= 1, round >= 0 and step 1..3, got "
              + height
              + "/"
              + round
              + "/"
              + step);
    }
  }

  /** Orders by (height, round, step) only. */
  @Override
  public int compareTo(SignRecord o) {
    int c = Long.compare(height, o.height);
    if (c == 0) {
      c = Integer.compare(round, o.round);
    }
    return c != 0 ? c : Integer.compare(step, o.step);
  }

  public static String stepName(int step) {
    return switch (step) {
      case PROPOSAL -> "proposal";
      case PREVOTE -> "prevote";
      case PRECOMMIT -> "precommit";
      default -> "step " + step;
    };
  }

  /** "height/round/step", for messages. */
  public String position() {
    return height + "/" + round + "/" + stepName(step);
  }
}
