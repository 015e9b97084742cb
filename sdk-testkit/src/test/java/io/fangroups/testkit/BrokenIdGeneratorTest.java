package io.fangroups.testkit;

import io.fangroups.spi.IdGenerator;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The id generator kit catches each deliberately broken generator on the rule it breaks, and only there. */
class BrokenIdGeneratorTest {

  @Test
  void counterRestartingPerInstance_isCaughtByIg4() {
    KitRun.assertCaughtOn(CounterPerInstance.class, "IG-4");
  }

  @Test
  void racyCounterInTheStore_isCaughtByIg2() {
    KitRun.assertCaughtOn(RacyStoreCounter.class, "IG-2");
  }

  @Test
  void slashInIds_isCaughtByIg3() {
    KitRun.assertCaughtOn(SlashSeparated.class, "IG-3");
  }

  @Test
  void fewRandomBits_isCaughtByIg1() {
    KitRun.assertCaughtOn(FewRandomBits.class, "IG-1", "IG-2", "IG-4");
  }

  /** Numbers ids from 1 in each instance, so a second instance, or a restart, repeats them. */
  @BrokenTwin
  static final class CounterPerInstance extends IdGeneratorCompatibilityKit {
    @Override
    protected IdGenerator newIdGenerator() {
      long[] next = {0};
      return kind -> {
        synchronized (next) {
          return kind + "-" + ++next[0];
        }
      };
    }
  }

  /** Numbers ids from a counter in the shared store, read and written back without a lock. */
  @BrokenTwin
  static final class RacyStoreCounter extends IdGeneratorCompatibilityKit {
    private long storeCounter;

    @Override
    protected IdGenerator newIdGenerator() {
      return kind -> {
        long read = storeCounter;
        Thread.yield();
        storeCounter = read + 1;
        return kind + "-" + read;
      };
    }
  }

  /** Random UUIDs joined to the kind with a slash, a character ids may not contain. */
  @BrokenTwin
  static final class SlashSeparated extends IdGeneratorCompatibilityKit {
    @Override
    protected IdGenerator newIdGenerator() {
      return kind -> kind + "/" + UUID.randomUUID();
    }
  }

  /** Ids from 16 random bits: they repeat within a few hundred calls. */
  @BrokenTwin
  static final class FewRandomBits extends IdGeneratorCompatibilityKit {
    @Override
    protected IdGenerator newIdGenerator() {
      return kind -> kind + "-" + Integer.toHexString((int) (UUID.randomUUID().getLeastSignificantBits() & 0xFFFF));
    }
  }
}
