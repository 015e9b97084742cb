package io.fangroups.core;

import io.fangroups.core.passcode.PasscodeExtractor;
import io.fangroups.core.passcode.PasscodeKeys;
import io.fangroups.core.passcode.PasscodeProfile;
import io.fangroups.core.passcode.Passcodes;
import io.fangroups.core.passcode.internal.PasscodeHasher;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Passcode hot paths. It lives in package {@code io.fangroups.core} (this module is not published)
 * to reach the package-private HMAC hasher the service itself uses, so the figure is of our code.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class PasscodeBenchmark {
  /** A 60-character paste: the Chinese share text with a code mangled by a chat app. */
  static final String PASTE_60 = "复制这条消息，打开App申请加入「小鹿的粉丝2群」 群口令 ７ＫＱＭ－３ＸＰ９－ＶＤ２ＨＣ 快来加入我们的粉丝群吧一起聊";

  private PasscodeHasher hasher;
  private final Map<String, String> stored = new ConcurrentHashMap<>();
  private String canonical;

  @Setup
  public void setUp() {
    if (PASTE_60.length() != 60) {
      throw new IllegalStateException("paste must be 60 characters, is " + PASTE_60.length());
    }
    hasher = new PasscodeHasher(PasscodeKeys.random());
    canonical = PasscodeExtractor.extract(PASTE_60).get(0);
    // 100,000 live codes in the index, the real one among them.
    for (int i = 0; i < 100_000; i++) {
      String code = Passcodes.generate(PasscodeProfile.STANDARD, Passcodes.defaultBlocklist());
      stored.put(hasher.digest("generated", code), "p" + i);
    }
    stored.put(hasher.digest("generated", canonical), "the-one");
  }

  /** A new code from SecureRandom with the blocklist applied. */
  @Benchmark
  public String generate() {
    return Passcodes.generate(PasscodeProfile.STANDARD, Passcodes.defaultBlocklist());
  }

  /** NFKC, cleaning, look-alikes, runs, check symbols: the candidates of a 60-character paste. */
  @Benchmark
  public List<String> extractAndCheck() {
    return PasscodeExtractor.extract(PASTE_60);
  }

  /** HMAC-SHA256 of a canonical code under the server key, then the index lookup. */
  @Benchmark
  public String validateWithHmac() {
    return stored.get(hasher.digest("generated", canonical));
  }

  /** Both: what one redemption spends before the group's lock. */
  @Benchmark
  public String extractAndValidate() {
    return stored.get(hasher.digest("generated", PasscodeExtractor.extract(PASTE_60).get(0)));
  }
}
