package io.axivon.node.cli;

import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * A progress bar on stderr for long transfers: MiB done of MiB planned, throughput, and a count of
 * items (segments) as its extra message. Off (every call does nothing) when not asked for, e.g. in
 * {@code --json} mode, or when stderr is not an interactive terminal, so scripts and logs see no
 * control characters. Thread-safe: transfers report from many threads.
 */
public final class Progress implements AutoCloseable {
  private final ProgressBar bar; // null when off
  private final String items; // null: the bar itself counts the items
  private long plannedItems;
  private long doneItems;
  private long plannedBytes;

  private Progress(ProgressBar bar, String items) {
    this.bar = bar;
    this.items = items;
  }

  /**
   * A bar named {@code task} counting {@code items} (e.g. "segments"), shown only when {@code
   * enabled} and a terminal is attached.
   */
  public static Progress start(String task, String items, boolean enabled) {
    if (!enabled || System.console() == null) {
      return new Progress(null, items);
    }
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(0)
            .setUnit(" MiB", 1L << 20)
            .showSpeed()
            .setSpeedUnit(ChronoUnit.SECONDS)
            .setConsumer(new ConsoleProgressBarConsumer(System.err))
            .build();
    return new Progress(bar, items);
  }

  /**
   * A bar named {@code task} counting {@code items} themselves (e.g. blocks) rather than bytes;
   * callers pass the same number as count and bytes.
   */
  public static Progress counting(String task, String items, boolean enabled) {
    if (!enabled || System.console() == null) {
      return new Progress(null, null);
    }
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(0)
            .setUnit(" " + items, 1)
            .showSpeed()
            .setSpeedUnit(ChronoUnit.SECONDS)
            .setConsumer(new ConsoleProgressBarConsumer(System.err))
            .build();
    return new Progress(bar, null);
  }

  /** Whether a bar is shown. */
  public boolean shown() {
    return bar != null;
  }

  /** {@code count} more items holding {@code bytes} more bytes are to be done. */
  public synchronized void planned(long count, long bytes) {
    plannedItems += count;
    plannedBytes += bytes;
    if (bar != null) {
      bar.maxHint(plannedBytes);
      if (items != null) {
        bar.setExtraMessage(" " + doneItems + "/" + plannedItems + " " + items);
      }
    }
  }

  /** {@code count} more items holding {@code bytes} more bytes are done. */
  public synchronized void done(long count, long bytes) {
    doneItems += count;
    if (bar != null) {
      bar.stepBy(bytes);
      if (items != null) {
        bar.setExtraMessage(" " + doneItems + "/" + plannedItems + " " + items);
      }
    }
  }

  @Override
  public synchronized void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
