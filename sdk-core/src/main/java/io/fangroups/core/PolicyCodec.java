package io.fangroups.core;

import java.util.Map;

/** PLACEHOLDER until the JSON codec lands. */
final class PolicyCodec {
  PolicyCodec(io.fangroups.rules.RuleCompiler compiler, Map<String, AdmissionPolicy> named, boolean keepUnnamedInMemory) {}
}
