package io.axivon.consensus.execution.serving;

import io.axivon.common.crypto.Hashes;
import io.axivon.common.crypto.secp256k1.Address;
import io.axivon.consensus.execution.system.ModuleCall;
import io.axivon.consensus.execution.system.ModuleRevert;
import io.axivon.sdk.compute.ServiceInfo;
import io.axivon.sdk.compute.Verifiability;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.apache.tuweni.bytes.MutableBytes32;

/**
 * The providers' services in the serving module's storage (specs/compute.md section 3): a dense
 * list of service ids for {@code listServices}, and per service id {@code keccak256(provider ‖
 * name)} a record of fields. Validation of registrations lives here too.
 */
final class ServiceRegistry {
  static final int MAX_NAME = 64;
  static final int MAX_TYPE = 32;
  static final int MAX_URL = 256;
  static final int MAX_MODEL = 128;
  static final int PRICE_BITS = 128;

  // field numbers of a service record
  private static final int META = 0; // verifiability(1) ‖ list position + 1 (8) ‖ provider (20)
  private static final int INPUT_PRICE = 1;
  private static final int OUTPUT_PRICE = 2;
  private static final int UPDATED_AT = 3;
  private static final int NAME = 4;
  private static final int TYPE = 5;
  private static final int URL = 6;
  private static final int MODEL = 7;

  private ServiceRegistry() {}

  /** Refuses a malformed registration with the reason of specs/compute.md section 3. */
  static void validate(
      String name,
      String type,
      String url,
      String model,
      BigInteger inputPrice,
      BigInteger outputPrice) {
    validateName(name);
    int tl = utf8(type);
    if (tl == 0 || tl > MAX_TYPE || !type.chars().allMatch(ServiceRegistry::typeChar)) {
      throw new ModuleRevert(
          "service type must be 1 to " + MAX_TYPE + " characters of a-z 0-9 -, got '" + type + "'");
    }
    int ul = utf8(url);
    if (ul == 0 || ul > MAX_URL) {
      throw new ModuleRevert("service url must be 1 to " + MAX_URL + " bytes, got " + ul);
    }
    if (!url.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f)) {
      throw new ModuleRevert("service url must be printable ASCII without spaces");
    }
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw new ModuleRevert("service url must start with http:// or https://, got '" + url + "'");
    }
    try {
      URI u = new URI(url);
      if (u.getHost() == null || u.getHost().isEmpty()) {
        throw new ModuleRevert("service url has no host: '" + url + "'");
      }
    } catch (URISyntaxException e) {
      throw new ModuleRevert("service url is not a valid URI: " + e.getReason());
    }
    int ml = utf8(model);
    if (ml > MAX_MODEL) {
      throw new ModuleRevert("service model must be at most " + MAX_MODEL + " bytes, got " + ml);
    }
    if (!model.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f)) {
      throw new ModuleRevert("service model must be printable ASCII");
    }
    if (inputPrice.bitLength() > PRICE_BITS) {
      throw new ModuleRevert("service inputPrice must be below 2^128 wei per unit");
    }
    if (outputPrice.bitLength() > PRICE_BITS) {
      throw new ModuleRevert("service outputPrice must be below 2^128 wei per unit");
    }
  }

  static void validateName(String name) {
    int nl = utf8(name);
    if (nl == 0 || nl > MAX_NAME) {
      throw new ModuleRevert("service name must be 1 to " + MAX_NAME + " bytes, got " + nl);
    }
    if (!name.chars().allMatch(ServiceRegistry::nameChar)) {
      throw new ModuleRevert("service name may hold only A-Z a-z 0-9 . _ -, got '" + name + "'");
    }
  }

  private static boolean nameChar(int ch) {
    return (ch >= 'a' && ch <= 'z')
        || (ch >= 'A' && ch <= 'Z')
        || (ch >= '0' && ch <= '9')
        || ch == '.'
        || ch == '_'
        || ch == '-';
  }

  private static boolean typeChar(int ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
  }

  private static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** Adds or replaces the caller's service; returns whether it was new. */
  static boolean put(ModuleCall c, ServiceInfo s) {
    Bytes32 id = id(s.provider(), s.name());
    Bytes32 meta = c.load(field(id, META));
    boolean added = meta.isZero();
    long position;
    if (added) {
      position = count(c);
      c.store(listSlot(position), id);
      c.store(ServingSlots.SERVICE_COUNT, word(position + 1));
    } else {
      position = positionOf(meta);
    }
    c.store(field(id, META), meta(s.verifiability(), position, s.provider()));
    c.store(field(id, INPUT_PRICE), Bytes32.leftPad(uint(s.inputPrice())));
    c.store(field(id, OUTPUT_PRICE), Bytes32.leftPad(uint(s.outputPrice())));
    c.store(field(id, UPDATED_AT), word(s.updatedAt()));
    storeString(c, id, NAME, s.name());
    storeString(c, id, TYPE, s.serviceType());
    storeString(c, id, URL, s.url());
    storeString(c, id, MODEL, s.model());
    return added;
  }

  /**
   * Removes a service: the last list entry takes its place.
   *
   * @throws ModuleRevert if the provider has no service of that name
   */
  static void remove(ModuleCall c, Address provider, String name) {
    Bytes32 id = id(provider, name);
    Bytes32 meta = c.load(field(id, META));
    if (meta.isZero()) {
      throw noService(provider, name);
    }
    long position = positionOf(meta);
    long last = count(c) - 1;
    if (position != last) {
      Bytes32 moved = c.load(listSlot(last));
      Bytes32 movedMeta = c.load(field(moved, META));
      c.store(listSlot(position), moved);
      c.store(
          field(moved, META),
          meta(
              Verifiability.of(movedMeta.get(0) & 0xff),
              position,
              new Address(movedMeta.slice(12, 20))));
    }
    c.store(listSlot(last), Bytes32.ZERO);
    c.store(ServingSlots.SERVICE_COUNT, word(last));
    c.store(field(id, META), Bytes32.ZERO);
  }

  /**
   * One service.
   *
   * @throws ModuleRevert if the provider has no service of that name
   */
  static ServiceInfo get(ModuleCall c, Address provider, String name) {
    Bytes32 id = id(provider, name);
    if (c.load(field(id, META)).isZero()) {
      throw noService(provider, name);
    }
    return read(c, id);
  }

  /** Every service, in list order. */
  static List<ServiceInfo> list(ModuleCall c) {
    long n = count(c);
    List<ServiceInfo> out = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      out.add(read(c, c.load(listSlot(i))));
    }
    return out;
  }

  private static ServiceInfo read(ModuleCall c, Bytes32 id) {
    Bytes32 meta = c.load(field(id, META));
    return new ServiceInfo(
        new Address(meta.slice(12, 20)),
        loadString(c, id, NAME),
        loadString(c, id, TYPE),
        loadString(c, id, URL),
        loadString(c, id, MODEL),
        c.load(field(id, INPUT_PRICE)).toUnsignedBigInteger(),
        c.load(field(id, OUTPUT_PRICE)).toUnsignedBigInteger(),
        Verifiability.of(meta.get(0) & 0xff),
        c.load(field(id, UPDATED_AT)).toUnsignedBigInteger().longValueExact());
  }

  private static ModuleRevert noService(Address provider, String name) {
    return new ModuleRevert("no service '" + name + "' of provider " + provider);
  }

  static long count(ModuleCall c) {
    return c.load(ServingSlots.SERVICE_COUNT).toUnsignedBigInteger().longValueExact();
  }

  static Bytes32 id(Address provider, String name) {
    return Hashes.keccak256(
        Bytes.concatenate(provider.bytes(), Bytes.wrap(name.getBytes(StandardCharsets.UTF_8))));
  }

  private static Bytes32 meta(Verifiability v, long position, Address provider) {
    MutableBytes32 m = MutableBytes32.create();
    m.set(0, (byte) v.code());
    m.set(4, Bytes.ofUnsignedLong(position + 1));
    m.set(12, provider.bytes());
    return m;
  }

  private static long positionOf(Bytes32 meta) {
    return meta.slice(4, 8).toLong() - 1;
  }

  private static Bytes32 listSlot(long i) {
    return ServingSlots.key(ServingSlots.SERVICE_LIST, word(i));
  }

  private static Bytes32 field(Bytes32 id, int f) {
    return ServingSlots.key(ServingSlots.SERVICE_FIELD, id, word(f));
  }

  private static void storeString(ModuleCall c, Bytes32 id, int f, String value) {
    c.storeBlob(
        field(id, f),
        i -> ServingSlots.key(ServingSlots.SERVICE_CHUNK, id, word(f), word(i)),
        Bytes.wrap(value.getBytes(StandardCharsets.UTF_8)));
  }

  private static String loadString(ModuleCall c, Bytes32 id, int f) {
    return new String(
        c.loadBlob(
                field(id, f),
                i -> ServingSlots.key(ServingSlots.SERVICE_CHUNK, id, word(f), word(i)))
            .toArrayUnsafe(),
        StandardCharsets.UTF_8);
  }

  private static Bytes uint(BigInteger v) {
    return Bytes.wrap(v.toByteArray()).trimLeadingZeros();
  }

  static Bytes32 word(long v) {
    return Bytes32.leftPad(Bytes.ofUnsignedLong(v));
  }
}
