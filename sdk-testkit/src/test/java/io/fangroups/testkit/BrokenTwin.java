package io.fangroups.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks an adapter that runs a kit against a deliberately broken implementation. Its tests are
 * meant to fail, so they run only when {@link KitRun} runs them and are disabled in the build's
 * own test run.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(BrokenTwin.OnlyInKitRuns.class)
@interface BrokenTwin {
  /** The configuration parameter {@link KitRun} sets to run broken twins. */
  String ENABLED = "fangroups.testkit.brokenTwins";

  /** Enables a broken twin only when the {@link #ENABLED} parameter is {@code true}. */
  final class OnlyInKitRuns implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return context.getConfigurationParameter(ENABLED, Boolean::parseBoolean).orElse(false)
          ? ConditionEvaluationResult.enabled("run by KitRun")
          : ConditionEvaluationResult.disabled("a broken twin: it runs only inside its Broken*Test");
    }
  }
}
