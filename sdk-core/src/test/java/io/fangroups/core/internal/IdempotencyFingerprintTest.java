package io.fangroups.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@link Idempotency#fingerprint}: the same command with the same arguments has the same fingerprint
 * in every process, so a keyed retry on another instance is recognised as the same command.
 */
class IdempotencyFingerprintTest {

  /**
   * A lambda's class name carries a JVM-wide counter ("Host$$Lambda$57") that depends on what the
   * process ran before; two processes running the same code must still agree.
   */
  @Test
  void fingerprint_ofALambdaPolicy_isTheSameInEveryProcess() throws Exception {
    assertThat(probe("cold")).isEqualTo(probe("warm"));
  }

  /** The fingerprint {@link FingerprintProbe} prints in a fresh JVM. */
  private static String probe(String mode) throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
        FingerprintProbe.class.getName(), mode).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor()).as(out).isZero();
    String[] lines = out.split("\\R");
    return lines[lines.length - 1];
  }
}
