package io.fangroups.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.StringReader;
import java.lang.reflect.AnnotatedArrayType;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.AnnotatedWildcardType;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * A null where none is meant is refused with {@code INVALID_ARGUMENT}, never a
 * NullPointerException; a null is accepted exactly where the signature says {@code @Nullable}.
 * The sweep calls every public constructor and method of the package with a null in each reference
 * parameter in turn (and a null element or key in each collection or array parameter), so a method
 * added later is covered without being listed.
 */
class NullArgumentsTest {
  private static final Rule LEAF = Rule.atLeast("days_following", 7);
  private static final CompiledRule RULE = RuleCompiler.of().compile(Policy.of(LEAF));
  private static final CustomPredicate PREDICATE = new CustomPredicate() {
    @Override
    public String name() {
      return "sample";
    }

    @Override
    public Truth test(Facts facts) {
      return Truth.TRUE;
    }
  };
  private static final PathStep STEP = new PathStep(PathStep.Kind.WAIT, "days_following", "4", 4, "path.wait", List.of());
  private static final Reason REASON = new Reason(ReasonCode.BELOW_MINIMUM, "/rule", "days_following", ">= 7", "3",
      "reason.below_minimum", List.of());
  private static final EligibilityPath PATH = new EligibilityPath(4, Instant.EPOCH, 0, List.of(STEP));
  private static final Explanation EXPLANATION = new Explanation(Outcome.DENY, Truth.FALSE, List.of(REASON), List.of(PATH));

  /** A valid non-null value for every parameter type of the public API. */
  private static Object sample(Class<?> type) {
    if (type.isEnum()) {
      return type.getEnumConstants()[0];
    }
    if (type.isArray()) {
      Object array = Array.newInstance(type.getComponentType(), 1);
      Array.set(array, 0, sample(type.getComponentType()));
      return array;
    }
    Map<Class<?>, Object> samples = new LinkedHashMap<>();
    samples.put(String.class, "days_following");
    samples.put(double.class, 7.0);
    samples.put(int.class, 0);
    samples.put(long.class, 0L);
    samples.put(boolean.class, true);
    samples.put(byte.class, (byte) 0);
    samples.put(Object.class, 7);
    samples.put(List.class, List.of());
    samples.put(Collection.class, List.of());
    samples.put(Set.class, Set.of());
    samples.put(Map.class, Map.of());
    samples.put(StringReader.class, new StringReader("{}"));
    samples.put(java.io.Reader.class, new StringReader("{}"));
    samples.put(Instant.class, Instant.EPOCH);
    samples.put(Clock.class, Clock.systemUTC());
    samples.put(ZoneId.class, ZoneOffset.UTC);
    samples.put(Locale.class, Locale.ENGLISH);
    samples.put(Rule.class, LEAF);
    samples.put(Literal.class, Literal.of(7));
    samples.put(Policy.class, Policy.of(LEAF));
    samples.put(Fact.class, Fact.DAYS_FOLLOWING);
    samples.put(FactSchema.class, FactSchema.standard());
    samples.put(Facts.class, RULE.newFacts());
    samples.put(CustomPredicate.class, PREDICATE);
    samples.put(MessageSource.class, MessageSource.bundled());
    samples.put(Explanation.class, EXPLANATION);
    samples.put(Reason.class, REASON);
    samples.put(PathStep.class, STEP);
    samples.put(EligibilityPath.class, PATH);
    Object sample = samples.get(type);
    assertThat(sample).as("a sample value of %s", type).isNotNull();
    return sample;
  }

  /** An instance to call each public type's instance methods on. */
  private static Object receiver(Class<?> type) {
    if (type.isEnum()) {
      return type.getEnumConstants()[0];
    }
    List<Object> receivers = List.of(RuleCompiler.of(), RuleCompiler.builder(), RULE, RULE.newFacts(),
        FactSchema.standard(), FactSchema.builder(), Fact.DAYS_FOLLOWING, Policy.of(LEAF), Rule.all(), Rule.any(),
        Rule.not(LEAF), Rule.atLeast(0), Rule.ref("days_following"), Rule.custom("sample"), LEAF, Literal.of(7),
        Literal.of(true), Literal.of("x"), Literal.of(Instant.EPOCH), ExplanationRenderer.of(ZoneOffset.UTC),
        MessageSource.bundled(), EXPLANATION, REASON, STEP, PATH, new Finding(Finding.Code.RULE_INVALID, "", "m"),
        new RuleException(RuleException.Code.RULE_INVALID, null, "m"));
    return receivers.stream().filter(type::isInstance).findFirst()
        .orElseThrow(() -> new AssertionError("no receiver for " + type));
  }

  /** Every public type of the package, nested ones included. */
  private static List<Class<?>> publicTypes() throws Exception {
    Path root = Path.of(RuleCompiler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path dir = root.resolve(RuleCompiler.class.getPackageName().replace('.', File.separatorChar));
    List<Class<?>> types = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
        String name = file.getFileName().toString().replace(".class", "");
        if (name.equals("package-info")) {
          continue;
        }
        Class<?> type = Class.forName(RuleCompiler.class.getPackageName() + "." + name);
        boolean visible = true;
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
          visible &= Modifier.isPublic(t.getModifiers()) && !t.isAnonymousClass() && !t.isSynthetic();
        }
        if (visible) {
          types.add(type);
        }
      }
    }
    return types;
  }

  /** The public constructors and methods the sweep calls. */
  private static List<Executable> executables(Class<?> type) {
    List<Executable> all = new ArrayList<>();
    if (!type.isInterface() && !Modifier.isAbstract(type.getModifiers())) {
      all.addAll(Arrays.asList(type.getConstructors()));
    }
    for (Method method : type.getDeclaredMethods()) {
      boolean generatedByJava = type.isEnum() && (method.getName().equals("valueOf") || method.getName().equals("values"));
      boolean hostImplements = type == CustomPredicate.class && Modifier.isAbstract(method.getModifiers());
      if (Modifier.isPublic(method.getModifiers()) && !method.isSynthetic() && !method.isBridge()
          && !generatedByJava && !hostImplements && !method.getName().equals("equals")) {
        all.add(method);
      }
    }
    return all;
  }

  private static boolean nullable(AnnotatedType type) {
    return type.isAnnotationPresent(Nullable.class);
  }

  /** Calls the executable with {@code args}; returns what it threw, or null. */
  private static @Nullable Throwable call(Executable executable, Object[] args) throws Exception {
    try {
      if (executable instanceof Constructor<?> constructor) {
        constructor.newInstance(args);
      } else {
        Method method = (Method) executable;
        method.invoke(Modifier.isStatic(method.getModifiers()) ? null : receiver(method.getDeclaringClass()), args);
      }
      return null;
    } catch (InvocationTargetException e) {
      return e.getCause();
    }
  }

  private static void expect(Executable executable, Object[] args, boolean nullAllowed, String what,
      List<String> failures) throws Exception {
    Throwable thrown = call(executable, args);
    String at = executable.getDeclaringClass().getSimpleName() + "." + executable + " with " + what;
    boolean refused = thrown instanceof RuleException e && e.code() == RuleException.Code.INVALID_ARGUMENT
        && e.getMessage().contains("null");
    if (nullAllowed ? refused || thrown instanceof NullPointerException : !refused) {
      failures.add(at + (nullAllowed ? " should accept it" : " should refuse it with INVALID_ARGUMENT")
          + " but threw " + thrown);
    }
  }

  @Test
  void everyPublicMethod_nullArgument_isInvalidArgumentUnlessNullable() throws Exception {
    List<String> failures = new ArrayList<>();
    int calls = 0;
    for (Class<?> type : publicTypes()) {
      for (Executable executable : executables(type)) {
        Class<?>[] types = executable.getParameterTypes();
        AnnotatedType[] annotated = executable.getAnnotatedParameterTypes();
        for (int i = 0; i < types.length; i++) {
          if (types[i].isPrimitive()) {
            continue;
          }
          Object[] args = new Object[types.length];
          for (int j = 0; j < args.length; j++) {
            args[j] = sample(types[j]);
          }
          args[i] = null;
          expect(executable, args, nullable(annotated[i]), "null parameter " + i, failures);
          calls++;
          Object withNullInside = withNullInside(types[i], annotated[i]);
          if (withNullInside != null) {
            args[i] = withNullInside;
            expect(executable, args, nullable(element(annotated[i])), "a null inside parameter " + i, failures);
            calls++;
          }
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(calls).as("calls made").isGreaterThan(100);
  }

  /** The element type of an array, a collection or (the value of) a map, bounds of wildcards followed. */
  private static AnnotatedType element(AnnotatedType container) {
    AnnotatedType element = container instanceof AnnotatedArrayType array ? array.getAnnotatedGenericComponentType()
        : ((AnnotatedParameterizedType) container).getAnnotatedActualTypeArguments()[
            container.getType() instanceof java.lang.reflect.ParameterizedType p && p.getRawType() == Map.class ? 1 : 0];
    return element instanceof AnnotatedWildcardType wildcard && !nullable(wildcard)
        ? wildcard.getAnnotatedUpperBounds()[0] : element;
  }

  /** A container of the parameter's type holding a null, or null if the type holds no elements. */
  private static @Nullable Object withNullInside(Class<?> type, AnnotatedType annotated) {
    if (type.isArray() && !type.getComponentType().isPrimitive()) {
      return Array.newInstance(type.getComponentType(), 1);
    }
    if (type == List.class || type == Collection.class) {
      return Arrays.asList((Object) null);
    }
    if (type == Set.class) {
      Set<Object> set = new HashSet<>();
      set.add(null);
      return set;
    }
    if (type == Map.class) {
      Map<Object, Object> map = new HashMap<>();
      map.put("days_following", null); // a null value; a null key is below
      return map;
    }
    return null;
  }

  private static void assertInvalidArgument(ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOfSatisfying(RuleException.class,
        e -> assertThat(e.code()).isEqualTo(RuleException.Code.INVALID_ARGUMENT));
  }

  @Test
  void namedEntryPoints_null_isInvalidArgument() {
    RuleCompiler compiler = RuleCompiler.of();
    Facts facts = RULE.newFacts();
    assertInvalidArgument(() -> compiler.compile((String) null));
    assertInvalidArgument(() -> compiler.compile((Policy) null));
    assertInvalidArgument(() -> compiler.check((String) null));
    assertInvalidArgument(() -> compiler.check((Policy) null));
    assertInvalidArgument(() -> Policy.of(null));
    assertInvalidArgument(() -> new Rule.Not(null));
    assertInvalidArgument(() -> Rule.all(LEAF, null));
    assertInvalidArgument(() -> RULE.decide(null));
    assertInvalidArgument(() -> RULE.explain(null, Instant.EPOCH));
    assertInvalidArgument(() -> RULE.explain(facts, (Instant) null));
    assertInvalidArgument(() -> facts.set(null, 3));
    assertInvalidArgument(() -> facts.set("region", (String) null));
    assertInvalidArgument(() -> facts.set("followed_since", (Instant) null));
    assertInvalidArgument(() -> ExplanationRenderer.of((ZoneId) null));
    assertInvalidArgument(() -> ExplanationRenderer.of(ZoneOffset.UTC).render(null, Locale.ENGLISH));
    assertInvalidArgument(() -> RuleJson.read((String) null));
    assertInvalidArgument(() -> RuleJson.write(null));
  }

  @Test
  void policy_nullDefinitionNameOrBody_isInvalidArgument() {
    Map<String, Rule> nullName = new HashMap<>();
    nullName.put(null, LEAF);
    assertInvalidArgument(() -> new Policy(LEAF, nullName, UnknownPolicy.DENY));
    Map<String, Rule> nullBody = new HashMap<>();
    nullBody.put("loyal", null);
    assertInvalidArgument(() -> new Policy(LEAF, nullBody, UnknownPolicy.DENY));
  }

  @Test
  void putAll_nullValue_leavesTheFactMissing() {
    Map<String, Object> host = new HashMap<>();
    host.put("days_following", null);
    Facts facts = RULE.newFacts().set("days_following", 9).putAll(host);
    assertThat(facts.isPresent("days_following")).isFalse();
    assertThat(facts.set("days_following", 9).put("days_following", null).isPresent("days_following")).isFalse();
    Map<String, Object> nullName = new HashMap<>();
    nullName.put(null, 9);
    assertInvalidArgument(() -> RULE.newFacts().putAll(nullName));
  }

  @Test
  void builder_predicateWithNullNameOrFacts_isInvalidArgument() {
    CustomPredicate noName = new CustomPredicate() {
      @Override
      public @Nullable String name() {
        return null;
      }

      @Override
      public Truth test(Facts facts) {
        return Truth.TRUE;
      }
    };
    assertInvalidArgument(() -> RuleCompiler.builder().predicate(noName));
    CustomPredicate noFacts = new CustomPredicate() {
      @Override
      public String name() {
        return "no_facts";
      }

      @Override
      public @Nullable List<String> facts() {
        return null;
      }

      @Override
      public Truth test(Facts facts) {
        return Truth.TRUE;
      }
    };
    assertInvalidArgument(() -> RuleCompiler.builder().predicate(noFacts));
  }

  @Test
  void render_hostMessageSourceAnsweringNull_fallsBackToTheBundledMessages() {
    MessageSource broken = (key, locale) -> null;
    String text = ExplanationRenderer.of(broken, ZoneOffset.UTC).render(EXPLANATION, Locale.ENGLISH);
    assertThat(text).startsWith("You can't join yet: days following");
  }

  @Test
  void check_badRules_returnsFindingsWithoutThrowing() {
    RuleCompiler compiler = RuleCompiler.of();
    assertThat(compiler.check("")).extracting(Finding::code).containsExactly(Finding.Code.RULE_INVALID);
    assertThat(compiler.check("{\"version\":1,\"rule\":{\"fact\":\"nope\",\"op\":\">=\",\"value\":1}}"))
        .extracting(Finding::code).containsExactly(Finding.Code.UNKNOWN_FACT);
    assertThat(compiler.check(Policy.of(Rule.ref("missing")))).extracting(Finding::code)
        .containsExactly(Finding.Code.UNKNOWN_REFERENCE);
  }
}
