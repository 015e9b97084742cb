package io.fangroups.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class RuleJsonTest {
  private static final String SEED = """
      {"version":1,"unknown":"review","rule":{"all":[
        {"fact":"days_following","op":">=","value":7,"unit":"days"},
        {"any":[{"fact":"fan_club_level","op":">=","value":3},{"fact":"fan_club_member","op":"==","value":false}]}]}}""";

  private static void assertRejected(ThrowingCallable call, RuleException.Code code, String pointer, String text) {
    assertThatThrownBy(call).isInstanceOfSatisfying(RuleException.class, e -> {
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.pointer()).hasValue(pointer);
      assertThat(e.getMessage()).contains(text);
    });
  }

  @Test
  void read_seedPolicy_fromStringAndReaderAlike() {
    Policy policy = RuleJson.read(SEED);
    assertThat(policy.unknown()).isEqualTo(UnknownPolicy.REVIEW);
    assertThat(RuleJson.read(new StringReader(SEED))).isEqualTo(policy);
  }

  @Test
  void write_seedPolicy_givesTheCanonicalFormAndItsSha256() throws Exception {
    String canonical = RuleJson.write(RuleJson.read(SEED));
    assertThat(canonical).isEqualTo("{\"version\":1,\"unknown\":\"review\",\"rule\":{\"all\":["
        + "{\"fact\":\"days_following\",\"op\":\">=\",\"value\":7,\"unit\":\"days\"},"
        + "{\"any\":[{\"fact\":\"fan_club_level\",\"op\":\">=\",\"value\":3},"
        + "{\"fact\":\"fan_club_member\",\"op\":\"==\",\"value\":false}]}]}}");
    byte[] sha256 = java.security.MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(RuleJson.hash(RuleJson.read(SEED))).isEqualTo(java.util.HexFormat.of().formatHex(sha256));
  }

  @Test
  void read_unknownField_suggestsTheNearestName() {
    assertRejected(() -> RuleJson.read("{\"version\":1,\"rule\":{\"fact\":\"days_following\",\"op\":\">=\",\"valeu\":7}}"),
        RuleException.Code.RULE_INVALID, "/rule/valeu", "did you mean 'value'?");
  }

  @Test
  void read_unknownNodeType_suggestsTheNearestName() {
    assertRejected(() -> RuleJson.read("{\"version\":1,\"rule\":{\"all\":[{\"anyy\":[]}]}}"),
        RuleException.Code.RULE_INVALID, "/rule/all/0/anyy", "did you mean 'any'?");
  }

  @Test
  void read_unknownOperator_isRuleInvalid() {
    assertRejected(() -> RuleJson.read("{\"version\":1,\"rule\":{\"fact\":\"x\",\"op\":\"=>\",\"value\":1}}"),
        RuleException.Code.RULE_INVALID, "/rule/op", "unknown operator");
  }

  @Test
  void read_version2_isUnsupportedVersion() {
    assertRejected(() -> RuleJson.read("{\"version\":2,\"rule\":{\"all\":[]}}"),
        RuleException.Code.UNSUPPORTED_VERSION, "/version", "version 2");
  }

  @Test
  void read_malformedJson_namesWhere() {
    assertThatThrownBy(() -> RuleJson.read("{\"version\":1,\"rule\":{\"all\":[}"))
        .isInstanceOfSatisfying(RuleException.class, e -> {
          assertThat(e.code()).isEqualTo(RuleException.Code.JSON_MALFORMED);
          assertThat(e.pointer()).hasValue("/rule/all");
        });
  }

  @Test
  void read_nested40Deep_isRuleTooDeep() {
    String deep = "{\"version\":1,\"rule\":" + "{\"not\":".repeat(40) + "{\"all\":[]}" + "}".repeat(40) + "}";
    assertThatThrownBy(() -> RuleJson.read(deep)).isInstanceOfSatisfying(RuleException.class,
        e -> assertThat(e.code()).isEqualTo(RuleException.Code.RULE_TOO_DEEP));
  }

  @Test
  void read_over64KiB_isRuleTooLarge() {
    String large = "{\"version\":1,\"rule\":{\"any\":[" + "{\"all\":[]},".repeat(7000) + "{\"all\":[]}]}}";
    assertThatThrownBy(() -> RuleJson.read(large)).isInstanceOfSatisfying(RuleException.class,
        e -> assertThat(e.code()).isEqualTo(RuleException.Code.RULE_TOO_LARGE));
  }

  @Test
  void read_duplicateKey_isJsonMalformed() {
    assertThatThrownBy(() -> RuleJson.read("{\"version\":1,\"version\":1,\"rule\":{\"all\":[]}}"))
        .isInstanceOfSatisfying(RuleException.class, e -> assertThat(e.code()).isEqualTo(RuleException.Code.JSON_MALFORMED));
  }

  @Test
  void read_valueForBetween_isRuleInvalid() {
    assertRejected(() -> RuleJson.read("{\"version\":1,\"rule\":{\"fact\":\"x\",\"op\":\"between\",\"value\":1}}"),
        RuleException.Code.RULE_INVALID, "/rule/value", "takes [min, max]");
  }

  @Test
  void read_integerBeyondTwoToThe53_isRefusedNotRounded() {
    assertRejected(() -> RuleJson.read("{\"version\":1,\"rule\":{\"fact\":\"days_following\",\"op\":\"==\",\"value\":9007199254740993}}"),
        RuleException.Code.TYPE_MISMATCH, "/rule/value", "cannot be held exactly");
  }

  @Test
  void compile_unknownFact_suggestsTheNearestName() {
    assertRejected(() -> RuleCompiler.of().compile("{\"version\":1,\"rule\":{\"fact\":\"days_folowing\",\"op\":\">=\",\"value\":7}}"),
        RuleException.Code.UNKNOWN_FACT, "/rule/fact", "did you mean 'days_following'?");
  }

  @Test
  void compile_numberOperatorOnABoolean_isTypeMismatch() {
    assertRejected(() -> RuleCompiler.of().compile("{\"version\":1,\"rule\":{\"fact\":\"banned\",\"op\":\">=\",\"value\":7}}"),
        RuleException.Code.TYPE_MISMATCH, "/rule", "BOOLEAN");
  }

  @Test
  void compile_daysOnALevel_isUnitMismatch() {
    assertRejected(() -> RuleCompiler.of().compile(
        "{\"version\":1,\"rule\":{\"fact\":\"fan_club_level\",\"op\":\">=\",\"value\":3,\"unit\":\"days\"}}"),
        RuleException.Code.UNIT_MISMATCH, "/rule/unit", "LEVEL");
  }

  @Test
  void compile_unknownReferenceOrCycle_isRefusedWithItsCode() {
    assertRejected(() -> RuleCompiler.of().compile("{\"version\":1,\"definitions\":{\"loyal\":{\"all\":[]}},\"rule\":{\"ref\":\"loyl\"}}"),
        RuleException.Code.UNKNOWN_REFERENCE, "/rule/ref", "did you mean 'loyal'?");
    assertRejected(() -> RuleCompiler.of().compile("{\"version\":1,\"definitions\":{\"a\":{\"ref\":\"b\"},\"b\":{\"not\":{\"ref\":\"a\"}}},\"rule\":{\"ref\":\"a\"}}"),
        RuleException.Code.REFERENCE_CYCLE, "/definitions/b/not/ref", "refers back");
  }

  @Test
  void compile_unregisteredPredicate_isUnknownPredicate() {
    assertRejected(() -> RuleCompiler.of().compile("{\"version\":1,\"rule\":{\"custom\":\"vip\"}}"),
        RuleException.Code.UNKNOWN_PREDICATE, "/rule/custom", "vip");
  }
}
