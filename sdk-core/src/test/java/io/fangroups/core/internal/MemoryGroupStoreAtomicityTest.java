package io.fangroups.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.core.InMemoryGroupStore;
import io.fangroups.spi.GroupStore;
import io.fangroups.spi.GroupStore.NewEvent;
import io.fangroups.spi.GroupStore.StreamAppend;
import io.fangroups.spi.GroupStore.StreamHead;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * An append to several streams of the in-memory store is atomic to readers that take no stream
 * lock too: every append below adds one event to both a and b, so reading a's last sequence and
 * then b's (one by one, or through heads) never shows b behind a.
 */
class MemoryGroupStoreAtomicityTest {

  private static final NewEvent E = new NewEvent("T", "{\"x\":1}");

  private static String run(boolean viaHeads) throws Exception {
    GroupStore store = InMemoryGroupStore.create();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<String> seen = new AtomicReference<>();
    Thread writer = new Thread(() -> {
      for (long i = 0; !stop.get() && i < 500_000; i++) {
        store.append(List.of(new StreamAppend("a", i, List.of(E)), new StreamAppend("b", i, List.of(E))), List.of());
      }
    });
    writer.start();
    long deadline = System.nanoTime() + 2_000_000_000L;
    while (seen.get() == null && System.nanoTime() < deadline && writer.isAlive()) {
      long a;
      long b;
      if (viaHeads) {
        List<StreamHead> heads = store.heads("", null, 10);
        if (heads.size() < 2) {
          continue;
        }
        a = heads.get(0).lastSequence();
        b = heads.get(1).lastSequence();
      } else {
        a = store.lastSequence("a");
        b = store.lastSequence("b");
      }
      if (b < a) {
        seen.set("read a=" + a + " then b=" + b + " (half of one atomic append visible)");
      }
    }
    stop.set(true);
    writer.join();
    return seen.get();
  }

  @Test
  void lastSequence_duringTwoStreamAppends_neverShowsHalfOfOne() throws Exception {
    assertThat(run(false)).isNull();
  }

  @Test
  void heads_duringTwoStreamAppends_neverShowHalfOfOne() throws Exception {
    assertThat(run(true)).isNull();
  }
}
