package io.fangroups.core.admission.internal;

import io.fangroups.core.admission.AdmissionDecision;
import io.fangroups.core.admission.AdmissionPolicy;
import io.fangroups.core.admission.Applicant;
import io.fangroups.core.admission.Verdict;
import io.fangroups.core.internal.Checks;
import io.fangroups.core.internal.format.PolicyCodec;
import io.fangroups.rules.CompiledRule;
import io.fangroups.rules.Explanation;
import io.fangroups.rules.ExplanationRenderer;
import io.fangroups.rules.Fact;
import io.fangroups.rules.Facts;
import io.fangroups.rules.Outcome;
import io.fangroups.rules.RuleException;
import io.fangroups.spi.FactSource.UserFacts;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An admission policy backed by a compiled rule from sdk-rules, fed with the host's facts. */
public final class RulePolicy implements AdmissionPolicy {
  private static final Logger log = LoggerFactory.getLogger(RulePolicy.class);
  private static final ExplanationRenderer ENGLISH = ExplanationRenderer.of(ZoneOffset.UTC);

  private final CompiledRule rule;
  private final Set<String> required;

  public RulePolicy(CompiledRule rule) {
    this.rule = Checks.notNull(rule, "rule");
    this.required = rule.requiredFacts().stream().map(Fact::name).collect(Collectors.toUnmodifiableSet());
  }

  /** The compiled rule, for writing the policy to a store ({@link PolicyCodec}). */
  public CompiledRule rule() {
    return rule;
  }

  @Override
  public Set<String> requiredFacts() {
    return required;
  }

  @Override
  public AdmissionDecision evaluate(Applicant applicant) {
    Facts facts = rule.newFacts();
    UserFacts known = applicant.facts();
    for (String name : required) {
      if (known.failed().contains(name)) {
        facts.markFailed(name);
      } else if (known.values().containsKey(name)) {
        set(facts, name, known.values().get(name), applicant);
      }
    }
    Outcome outcome = rule.decide(facts);
    if (outcome == Outcome.ALLOW) {
      return AdmissionDecision.allow();
    }
    Explanation why = rule.explain(facts, applicant.at());
    return new AdmissionDecision(verdict(outcome), why.reasons().stream().map(r -> r.code().name()).distinct().toList(),
        ENGLISH.render(why, Locale.ENGLISH), Optional.of(why));
  }

  private static void set(Facts facts, String name, Object value, Applicant applicant) {
    try {
      if (value instanceof Boolean b) {
        facts.set(name, b);
      } else if (value instanceof Number n) {
        facts.set(name, n.doubleValue());
      } else if (value instanceof String s) {
        facts.set(name, s);
      } else if (value instanceof Instant i) {
        facts.set(name, i);
      } else if (value instanceof Set<?> set && set.stream().allMatch(String.class::isInstance)) {
        facts.set(name, set.stream().map(String.class::cast).collect(Collectors.toUnmodifiableSet()));
      } else {
        throw new RuleException(RuleException.Code.TYPE_MISMATCH, "", "unsupported value type");
      }
    } catch (RuleException e) {
      // A wrong value from the host is a failed fact: unknown, never a crash, never an allow.
      facts.markFailed(name);
      log.warn("fangroups: fact '{}' for {} has a value of the wrong type ({}); treated as unknown", name,
          applicant.user(), value == null ? "null" : value.getClass().getSimpleName());
    }
  }

  private static Verdict verdict(Outcome outcome) {
    return switch (outcome) {
      case ALLOW -> Verdict.ALLOW;
      case REVIEW -> Verdict.REVIEW;
      case DENY -> Verdict.DENY;
    };
  }

  @Override
  public String toString() {
    return "RulePolicy[" + rule.contentHash() + "]";
  }
}
