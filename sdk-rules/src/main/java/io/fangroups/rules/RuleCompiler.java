package io.fangroups.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Validates and compiles policies against a fact schema and the registered custom predicates.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * RuleCompiler compiler = RuleCompiler.builder().schema(FactSchema.standard()).build();
 * List<Finding> findings = compiler.check(policy);  // before saving
 * CompiledRule rule = compiler.compile(policy);     // or compile(json)
 * }</pre>
 */
public final class RuleCompiler {
  private static final Pattern PREDICATE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  private final FactSchema schema;
  private final Map<String, CustomPredicate> predicates;

  private RuleCompiler(FactSchema schema, Map<String, CustomPredicate> predicates) {
    this.schema = schema;
    this.predicates = Map.copyOf(predicates);
  }

  /** Returns a builder; the schema defaults to {@link FactSchema#standard()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a compiler for the standard facts and no custom predicates. */
  public static RuleCompiler of() {
    return builder().build();
  }

  /** Returns the schema rules are compiled against. */
  public FactSchema schema() {
    return schema;
  }

  /**
   * Compiles a policy.
   *
   * @throws RuleException with the first problem's code and the JSON Pointer of the bad node
   */
  public CompiledRule compile(Policy policy) {
    Arguments.notNull(policy, "policy");
    Node root = Lowering.lower(schema, predicates, policy);
    List<CustomPredicate> used = new ArrayList<>();
    collectCustoms(policy, used);
    return new CompiledRule(policy, schema, root, used);
  }

  /**
   * Reads and compiles a policy's JSON form.
   *
   * @throws RuleException for bad JSON or a bad rule, with the JSON Pointer of the bad node
   */
  public CompiledRule compile(String json) {
    return compile(RuleJson.read(json));
  }

  /**
   * Checks a policy before it is saved: every error (unknown facts, type and unit mismatches,
   * unknown references and predicates) and, when there are none, rules that can never allow or
   * always allow. Never throws for a bad rule.
   */
  public List<Finding> check(Policy policy) {
    Arguments.notNull(policy, "policy");
    List<Finding> findings = new ArrayList<>();
    Node root = Lowering.check(schema, predicates, policy, findings);
    if (root != null) {
      Satisfiability.check(root, schema).ifPresent(findings::add);
    }
    return List.copyOf(findings);
  }

  /** Reads and checks a policy's JSON form; a JSON error is returned as a single finding. */
  public List<Finding> check(String json) {
    Arguments.notNull(json, "json");
    Policy policy;
    try {
      policy = RuleJson.read(json);
    } catch (RuleException e) {
      return List.of(Finding.of(e));
    }
    return check(policy);
  }

  private void collectCustoms(Policy policy, List<CustomPredicate> out) {
    List<Rule> pending = new ArrayList<>(policy.definitions().values());
    pending.add(policy.rule());
    while (!pending.isEmpty()) {
      Rule rule = pending.remove(pending.size() - 1);
      if (rule instanceof Rule.Custom custom) {
        // An unregistered name in a definition nothing uses is not an error, and adds nothing.
        CustomPredicate predicate = predicates.get(custom.name());
        if (predicate != null && !out.contains(predicate)) {
          out.add(predicate);
        }
      } else if (rule instanceof Rule.All all) {
        pending.addAll(all.rules());
      } else if (rule instanceof Rule.Any any) {
        pending.addAll(any.rules());
      } else if (rule instanceof Rule.AtLeast atLeast) {
        pending.addAll(atLeast.rules());
      } else if (rule instanceof Rule.Not not) {
        pending.add(not.rule());
      }
    }
  }

  /** Builds a {@link RuleCompiler}; fails fast on bad or duplicate settings. */
  public static final class Builder {
    private @Nullable FactSchema schema;
    private final Map<String, CustomPredicate> predicates = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Sets the fact schema.
     *
     * @throws IllegalStateException if set twice
     */
    public Builder schema(FactSchema schema) {
      Arguments.notNull(schema, "schema");
      if (this.schema != null) {
        throw new IllegalStateException("schema was already set");
      }
      this.schema = schema;
      return this;
    }

    /**
     * Registers a custom predicate.
     *
     * @throws RuleException {@code INVALID_ARGUMENT} if its {@code name()} or {@code facts()} (or one of
     *     them) is null
     * @throws IllegalArgumentException if its name is not lower snake case
     * @throws IllegalStateException if a predicate with that name was already registered
     */
    public Builder predicate(CustomPredicate predicate) {
      Arguments.notNull(predicate, "predicate");
      String name = Arguments.notNull(predicate.name(), "predicate.name()");
      if (!PREDICATE_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("predicate name must be lower snake case: " + name);
      }
      Arguments.listOf(predicate.facts(), "the facts() of predicate " + name);
      if (predicates.putIfAbsent(name, predicate) != null) {
        throw new IllegalStateException("predicate registered twice: " + name);
      }
      return this;
    }

    /**
     * Opt-in: registers every {@link CustomPredicate} found by {@link ServiceLoader} on this class's
     * class loader. A provider that fails to load is skipped; duplicates fail as in
     * {@link #predicate(CustomPredicate)}.
     */
    public Builder discoverPredicates() {
      var iterator = ServiceLoader.load(CustomPredicate.class, RuleCompiler.class.getClassLoader()).iterator();
      while (true) {
        CustomPredicate next;
        try {
          if (!iterator.hasNext()) {
            break;
          }
          next = iterator.next();
        } catch (java.util.ServiceConfigurationError e) {
          continue; // one bad provider never breaks the others
        }
        predicate(next);
      }
      return this;
    }

    /** Builds the compiler. */
    public RuleCompiler build() {
      return new RuleCompiler(schema == null ? FactSchema.standard() : schema, predicates);
    }
  }
}
