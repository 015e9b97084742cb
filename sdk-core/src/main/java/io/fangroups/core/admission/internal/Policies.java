package io.fangroups.core.admission.internal;

import io.fangroups.core.admission.AdmissionDecision;
import io.fangroups.core.admission.AdmissionPolicy;
import io.fangroups.core.admission.Applicant;

/** The two built-in policies, as named singletons so settings print and compare well. */
public enum Policies implements AdmissionPolicy {
  ALLOW_ALL {
    @Override
    public AdmissionDecision evaluate(Applicant applicant) {
      return AdmissionDecision.allow();
    }
  },
  REQUIRE_APPROVAL {
    private final AdmissionDecision review = AdmissionDecision.review("The owner approves every member.", "APPROVAL_REQUIRED");

    @Override
    public AdmissionDecision evaluate(Applicant applicant) {
      return review;
    }
  }
}
