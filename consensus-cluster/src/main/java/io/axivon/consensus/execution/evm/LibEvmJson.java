package io.axivon.consensus.execution.evm;

import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libevm serializes every call as JSON with one Jackson mapper of its own, whose buffers are
 * recycled per thread by default. RPC calls run on virtual threads, which recycle nothing, so every
 * libevm call allocated and zeroed fresh parse buffers (8 KiB and more, three times per eth_call).
 * libevm offers no setting for it, so its mapper is reached by reflection and given a shared pool;
 * where that fails, libevm works as before.
 */
final class LibEvmJson {
  private static final Logger LOG = LoggerFactory.getLogger(LibEvmJson.class);

  private LibEvmJson() {}

  /** Gives libevm's mapper a buffer pool shared across threads (idempotent). */
  static void shareBuffers() {
    try {
      Field f = Class.forName("io.horizen.evm.Converter").getDeclaredField("mapper");
      f.setAccessible(true);
      ObjectMapper mapper = (ObjectMapper) f.get(null);
      mapper.getFactory().setRecyclerPool(JsonRecyclerPools.sharedConcurrentDequePool());
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("libevm's JSON buffers stay per thread: {}", e.toString());
    }
  }
}
