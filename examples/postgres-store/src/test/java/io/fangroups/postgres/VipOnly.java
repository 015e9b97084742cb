package io.fangroups.postgres;

import io.fangroups.core.admission.AdmissionDecision;
import io.fangroups.core.admission.AdmissionPolicy;

/** A host policy registered by name in the wiring example: only users whose id starts with "vip". */
final class VipOnly {
  static final AdmissionPolicy POLICY = applicant -> applicant.user().value().startsWith("vip")
      ? AdmissionDecision.allow() : AdmissionDecision.deny("This group is for VIPs.", "NOT_VIP");

  private VipOnly() {}
}
