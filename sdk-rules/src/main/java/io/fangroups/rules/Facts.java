package io.fangroups.rules;

import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The facts about one applicant, in the slots of a {@link FactSchema}. Obtain one from
 * {@link CompiledRule#newFacts()}, fill it from what the host returned, then decide.
 *
 * <p>Numbers, booleans and instants are stored unboxed, so filling by slot ({@link #slot(String)}
 * once, then {@link #setNumber(int, double)}) allocates nothing. A fact never set is missing; a fact
 * marked {@link #markFailed(String)} failed to load; either makes the leaves that read it unknown.
 * Not thread-safe: use one instance per thread, or {@link #clear()} and reuse it.
 */
public final class Facts {
  static final byte MISSING = 0;
  static final byte PRESENT = 1;
  static final byte FAILED = 2;
  static final Instant MIN_INSTANT = Instant.parse("0000-01-01T00:00:00Z");
  static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59.999999Z");

  private final FactSchema schema;
  final byte[] state;
  // Numbers as order-preserving longs (see encode), booleans as 0/1, instants as epoch
  // microseconds: every comparison is then a range check on longs.
  final long[] bits;
  // Strings and string sets.
  final @Nullable Object[] refs;

  Facts(FactSchema schema) {
    this.schema = schema;
    int size = schema.size();
    this.state = new byte[size];
    this.bits = new long[size];
    this.refs = new Object[size];
  }

  private Facts(Facts other) {
    this.schema = other.schema;
    this.state = other.state.clone();
    this.bits = other.bits.clone();
    this.refs = other.refs.clone();
  }

  /**
   * Returns the slot of a fact, for allocation-free setters.
   *
   * @throws RuleException {@code UNKNOWN_FACT} if the schema does not declare it
   */
  public int slot(String fact) {
    Arguments.notNull(fact, "fact");
    int slot = schema.slotOf(fact);
    if (slot < 0) {
      throw new RuleException(RuleException.Code.UNKNOWN_FACT, null,
          "unknown fact '" + fact + "'" + Names.didYouMean(fact, schema.names()));
    }
    return slot;
  }

  /** Sets a number fact by slot. @throws RuleException {@code TYPE_MISMATCH} or {@code RULE_INVALID} if not finite */
  public Facts setNumber(int slot, double value) {
    expect(slot, FactType.NUMBER);
    if (!Double.isFinite(value)) {
      throw new RuleException(RuleException.Code.RULE_INVALID, null, "fact " + schema.at(slot).name() + " must be finite");
    }
    bits[slot] = encode(value);
    state[slot] = PRESENT;
    return this;
  }

  /** Sets a boolean fact by slot. @throws RuleException {@code TYPE_MISMATCH} */
  public Facts setBoolean(int slot, boolean value) {
    expect(slot, FactType.BOOLEAN);
    bits[slot] = value ? 1 : 0;
    state[slot] = PRESENT;
    return this;
  }

  /** Sets a number fact. @throws RuleException {@code UNKNOWN_FACT} or {@code TYPE_MISMATCH} */
  public Facts set(String fact, double value) {
    return setNumber(slot(fact), value);
  }

  /** Sets a boolean fact. @throws RuleException {@code UNKNOWN_FACT} or {@code TYPE_MISMATCH} */
  public Facts set(String fact, boolean value) {
    return setBoolean(slot(fact), value);
  }

  /** Sets a string fact. @throws RuleException {@code UNKNOWN_FACT} or {@code TYPE_MISMATCH} */
  public Facts set(String fact, String value) {
    Arguments.notNull(value, "value");
    int slot = slot(fact);
    expect(slot, FactType.STRING);
    refs[slot] = value;
    state[slot] = PRESENT;
    return this;
  }

  /** Sets an instant fact. @throws RuleException {@code UNKNOWN_FACT} or {@code TYPE_MISMATCH} */
  public Facts set(String fact, Instant value) {
    Arguments.notNull(value, "value");
    int slot = slot(fact);
    expect(slot, FactType.INSTANT);
    bits[slot] = micros(value, null);
    state[slot] = PRESENT;
    return this;
  }

  /** Sets a string-set fact (copied). @throws RuleException {@code UNKNOWN_FACT} or {@code TYPE_MISMATCH} */
  public Facts set(String fact, Set<String> value) {
    Set<String> copy = Arguments.setOf(value, "value");
    int slot = slot(fact);
    expect(slot, FactType.STRING_SET);
    refs[slot] = copy;
    state[slot] = PRESENT;
    return this;
  }

  /**
   * Sets a fact from a host value of any supported Java type, checked against the fact's declared
   * type: a {@link Number}, {@link Boolean}, {@link String}, {@link Instant} or a {@link Set} of
   * strings. A {@code null} value leaves the fact missing. This boxes; use the typed setters on the
   * hot path.
   *
   * @throws RuleException {@code UNKNOWN_FACT}, {@code TYPE_MISMATCH} if the value does not fit or a
   *     number or instant cannot be held exactly, {@code RULE_INVALID} for NaN or an infinity
   */
  @SuppressWarnings("unchecked")
  public Facts put(String fact, @Nullable Object value) {
    int slot = slot(fact);
    if (value == null) {
      return unset(fact);
    }
    FactType type = schema.at(slot).type();
    boolean fits = switch (type) {
      case NUMBER -> value instanceof Number;
      case BOOLEAN -> value instanceof Boolean;
      case STRING -> value instanceof String;
      case INSTANT -> value instanceof Instant;
      case STRING_SET -> value instanceof Set<?> set && set.stream().allMatch(String.class::isInstance);
    };
    if (!fits) {
      throw new RuleException(RuleException.Code.TYPE_MISMATCH, null,
          "fact " + fact + " is " + type + ", got a " + value.getClass().getSimpleName());
    }
    return switch (type) {
      case NUMBER -> setNumber(slot, exact((Number) value, null));
      case BOOLEAN -> setBoolean(slot, (Boolean) value);
      case STRING -> set(fact, (String) value);
      case INSTANT -> set(fact, (Instant) value);
      case STRING_SET -> set(fact, (Set<String>) value);
    };
  }

  /** Sets every entry with {@link #put(String, Object)}. @throws RuleException as {@code put} */
  public Facts putAll(java.util.Map<String, ? extends @Nullable Object> values) {
    Arguments.notNull(values, "values").forEach(this::put);
    return this;
  }

  /** Marks a fact as failed to load: rules read it as unknown. */
  public Facts markFailed(String fact) {
    int slot = slot(fact);
    refs[slot] = null;
    state[slot] = FAILED;
    return this;
  }

  /** Makes a fact missing again. */
  public Facts unset(String fact) {
    int slot = slot(fact);
    refs[slot] = null;
    state[slot] = MISSING;
    return this;
  }

  /** Makes every fact missing, for reuse. */
  public Facts clear() {
    Arrays.fill(state, MISSING);
    Arrays.fill(refs, null);
    return this;
  }

  /** Returns whether a fact has a value (neither missing nor failed). */
  public boolean isPresent(String fact) {
    return state[slot(fact)] == PRESENT;
  }

  /** Returns a number fact's value. @throws RuleException {@code RULE_INVALID} if it is not present */
  public double number(String fact) {
    int slot = present(fact, FactType.NUMBER);
    return decode(bits[slot]);
  }

  /** Returns a boolean fact's value. @throws RuleException {@code RULE_INVALID} if it is not present */
  public boolean bool(String fact) {
    return bits[present(fact, FactType.BOOLEAN)] != 0;
  }

  /** Returns a string fact's value. @throws RuleException {@code RULE_INVALID} if it is not present */
  public String string(String fact) {
    return (String) refs[present(fact, FactType.STRING)];
  }

  /** Returns a string-set fact's value. @throws RuleException {@code RULE_INVALID} if it is not present */
  @SuppressWarnings("unchecked")
  public Set<String> stringSet(String fact) {
    return (Set<String>) refs[present(fact, FactType.STRING_SET)];
  }

  /** Returns an instant fact's value. @throws RuleException {@code RULE_INVALID} if it is not present */
  public Instant instant(String fact) {
    return instantOfMicros(bits[present(fact, FactType.INSTANT)]);
  }

  /**
   * A number as a double, refused when the double would not be exactly that number (integers past
   * 2^53, decimals with more digits than a double holds): a rounded value could cross a threshold.
   */
  static double exact(Number value, @Nullable String pointer) {
    double d = value.doubleValue();
    boolean exact;
    if (value instanceof Double || value instanceof Float) {
      exact = true; // already binary floating point; NaN and infinities are refused by the setters
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      exact = Math.abs(value.longValue()) <= (1L << 53);
    } else if (value instanceof java.math.BigDecimal big) {
      exact = Double.isFinite(d) && new java.math.BigDecimal(d).compareTo(big) == 0;
    } else if (value instanceof java.math.BigInteger big) {
      exact = Double.isFinite(d) && new java.math.BigDecimal(d).compareTo(new java.math.BigDecimal(big)) == 0;
    } else {
      exact = Double.isFinite(d) && new java.math.BigDecimal(d).compareTo(new java.math.BigDecimal(value.toString())) == 0;
    }
    if (!exact) {
      throw new RuleException(RuleException.Code.TYPE_MISMATCH, pointer,
          "the number " + value + " cannot be held exactly; rules compare exact numbers");
    }
    return d;
  }

  /**
   * Instants are kept exactly, as epoch microseconds, in years 0 to 9999 (what the JSON form
   * writes). Rounding would make a strict {@code after}/{@code before} wrong, so finer values and
   * instants out of range are refused, in rules and in facts alike.
   */
  static long micros(Instant value, @Nullable String pointer) {
    if (value.isBefore(MIN_INSTANT) || value.isAfter(MAX_INSTANT)) {
      throw new RuleException(RuleException.Code.TYPE_MISMATCH, pointer,
          "instant " + value + " is outside years 0 to 9999 (" + MIN_INSTANT + " to " + MAX_INSTANT + ")");
    }
    if (value.getNano() % 1000 != 0) {
      throw new RuleException(RuleException.Code.TYPE_MISMATCH, pointer,
          "instants are compared to the microsecond; " + value + " is finer");
    }
    return value.getEpochSecond() * 1_000_000L + value.getNano() / 1000; // cannot overflow in years 0 to 9999
  }

  /** The instant in years 0 to 9999 nearest to {@code value}. */
  static Instant clamp(Instant value) {
    return value.isBefore(MIN_INSTANT) ? MIN_INSTANT : value.isAfter(MAX_INSTANT) ? MAX_INSTANT : value;
  }

  static Instant instantOfMicros(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
  }

  /** Returns an independent copy. */
  public Facts copy() {
    return new Facts(this);
  }

  FactSchema schema() {
    return schema;
  }

  boolean present(int slot) {
    return state[slot] == PRESENT;
  }

  double numberAt(int slot) {
    return decode(bits[slot]);
  }

  /**
   * Maps a finite double to a long with the same order (flipping the magnitude bits of negatives),
   * after folding -0.0 into 0.0 so that equal numbers have one encoding.
   */
  static long encode(double value) {
    long raw = Double.doubleToRawLongBits(value == 0.0 ? 0.0 : value);
    return raw ^ ((raw >> 63) & Long.MAX_VALUE);
  }

  static double decode(long encoded) {
    return Double.longBitsToDouble(encoded ^ ((encoded >> 63) & Long.MAX_VALUE));
  }

  private int present(String fact, FactType type) {
    int slot = slot(fact);
    expect(slot, type);
    if (state[slot] != PRESENT) {
      throw new RuleException(RuleException.Code.RULE_INVALID, null, "fact " + fact + " has no value");
    }
    return slot;
  }

  private void expect(int slot, FactType type) {
    if (slot < 0 || slot >= state.length) {
      throw new RuleException(RuleException.Code.UNKNOWN_FACT, null, "no fact in slot " + slot);
    }
    Fact fact = schema.at(slot);
    if (fact.type() != type) {
      throw new RuleException(RuleException.Code.TYPE_MISMATCH, null,
          "fact " + fact.name() + " is " + fact.type() + ", not " + type);
    }
  }
}
