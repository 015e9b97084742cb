package io.fangroups.core;

/** The two built-in policies, as named singletons so settings print and compare well. */
enum Policies implements AdmissionPolicy {
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
