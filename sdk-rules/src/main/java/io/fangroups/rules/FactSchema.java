package io.fangroups.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The facts rules may read, each with a fixed slot index. Immutable and thread-safe.
 * {@link #standard()} holds the built-in facts; hosts add their own attributes with {@link #builder()}.
 */
public final class FactSchema {
  private static final List<Fact> STANDARD = List.of(Fact.DAYS_FOLLOWING, Fact.FOLLOWED_SINCE,
      Fact.FAN_CLUB_MEMBER, Fact.FAN_CLUB_LEVEL, Fact.ACCOUNT_AGE_DAYS, Fact.BANNED, Fact.BLOCKED,
      Fact.REGION, Fact.MEMBER_OF_GROUPS, Fact.PHONE_VERIFIED);
  private static final FactSchema STANDARD_SCHEMA = new FactSchema(STANDARD);

  private final List<Fact> facts;
  private final Map<String, Integer> slots;

  private FactSchema(List<Fact> facts) {
    this.facts = List.copyOf(facts);
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < this.facts.size(); i++) {
      index.put(this.facts.get(i).name(), i);
    }
    this.slots = Map.copyOf(index);
  }

  /** Returns the schema of the built-in facts (the constants of {@link Fact}). */
  public static FactSchema standard() {
    return STANDARD_SCHEMA;
  }

  /** Returns a builder that starts empty; call {@link Builder#standardFacts()} to include the built-ins. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns every fact in slot order. */
  public List<Fact> facts() {
    return facts;
  }

  /** Returns the fact with this name, if declared. */
  public Optional<Fact> fact(String name) {
    Integer slot = slots.get(Arguments.notNull(name, "name"));
    return slot == null ? Optional.empty() : Optional.of(facts.get(slot));
  }

  /** Returns the slot of a fact, or -1 if it is not declared. */
  int slotOf(String name) {
    Integer slot = slots.get(name);
    return slot == null ? -1 : slot;
  }

  Fact at(int slot) {
    return facts.get(slot);
  }

  int size() {
    return facts.size();
  }

  List<String> names() {
    return facts.stream().map(Fact::name).toList();
  }

  /** Builds a {@link FactSchema}; fails fast on a duplicate name. */
  public static final class Builder {
    private final List<Fact> facts = new ArrayList<>();

    private Builder() {}

    /** Adds the built-in facts. */
    public Builder standardFacts() {
      STANDARD.forEach(this::fact);
      return this;
    }

    /**
     * Adds a fact.
     *
     * @throws IllegalStateException if a fact with the same name was already added
     */
    public Builder fact(Fact fact) {
      Arguments.notNull(fact, "fact");
      if (facts.stream().anyMatch(f -> f.name().equals(fact.name()))) {
        throw new IllegalStateException("fact declared twice: " + fact.name());
      }
      facts.add(fact);
      return this;
    }

    /** Builds the schema. */
    public FactSchema build() {
      return new FactSchema(facts);
    }
  }
}
