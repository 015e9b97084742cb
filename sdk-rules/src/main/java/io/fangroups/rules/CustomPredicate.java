package io.fangroups.rules;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A predicate the host registers, referenced from rules by {@link #name()}. Register it with
 * {@link RuleCompiler.Builder#predicate(CustomPredicate)}, or opt in to ServiceLoader discovery with
 * {@link RuleCompiler.Builder#discoverPredicates()}.
 *
 * <p>Implementations must be thread-safe and fast; they are called on every decision. They should
 * return {@link Truth#UNKNOWN} rather than throw when a fact they need is missing; an exception or a
 * {@code null} result is treated as unknown.
 */
public interface CustomPredicate {

  /** Returns the name rules use, lower snake case. */
  String name();

  /** Returns the facts this predicate reads, so callers fetch them; empty by default. */
  default List<String> facts() {
    return List.of();
  }

  /** Evaluates the predicate for one applicant; {@code null} reads as {@link Truth#UNKNOWN}. */
  @Nullable Truth test(Facts facts);
}
