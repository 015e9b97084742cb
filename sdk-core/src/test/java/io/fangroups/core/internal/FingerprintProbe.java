package io.fangroups.core.internal;

import io.fangroups.core.GroupSettings;
import io.fangroups.core.admission.AdmissionDecision;
import io.fangroups.core.admission.AdmissionPolicy;
import java.util.function.Supplier;

/**
 * Run in a child JVM by {@link IdempotencyFingerprintTest}: prints the idempotency fingerprint of a
 * createGroup whose settings carry a host policy written as a lambda (the way hosts register named
 * policies).
 * With "warm", the process first uses other lambdas, as a process that served other work would.
 */
public final class FingerprintProbe {
  /** A host's named policy written as a lambda (like SeparateProcessesTest.VIP_ONLY), created lazily. */
  static AdmissionPolicy vipOnly() {
    return applicant -> applicant.user().value().startsWith("vip")
        ? AdmissionDecision.allow() : AdmissionDecision.deny("VIPs only", "NOT_VIP");
  }

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("warm")) {
      Supplier<String> a = () -> "a";
      Supplier<String> b = () -> "b";
      Runnable c = () -> { };
      a.get();
      b.get();
      c.run();
    }
    GroupSettings settings = GroupSettings.builder().name("vip").policy(vipOnly()).build();
    System.out.println(Idempotency.fingerprint("createGroup", null, settings));
  }
}
