package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fangroups.core.admission.AdmissionDecision;
import io.fangroups.core.admission.AdmissionPolicy;
import io.fangroups.core.admission.Applicant;
import io.fangroups.core.admission.internal.RulePolicy;
import io.fangroups.core.internal.format.PolicyCodec;
import io.fangroups.rules.CompiledRule;
import io.fangroups.rules.CustomPredicate;
import io.fangroups.rules.Facts;
import io.fangroups.rules.RuleCompiler;
import io.fangroups.rules.Truth;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyCodecTest {
  private static final String RULE = "{\"version\":1,\"unknown\":\"review\","
      + "\"definitions\":{\"loyal\":{\"fact\":\"days_following\",\"op\":\">=\",\"value\":7,\"unit\":\"days\"}},"
      + "\"rule\":{\"all\":[{\"ref\":\"loyal\"},{\"any\":[{\"fact\":\"fan_club_level\",\"op\":\">=\",\"value\":3},"
      + "{\"not\":{\"fact\":\"fan_club_member\",\"op\":\"==\",\"value\":true}}]}]}}";

  /** A host policy with value equality, registered by name. */
  private record MinLevel(int level) implements AdmissionPolicy {
    @Override
    public AdmissionDecision evaluate(Applicant applicant) {
      return AdmissionDecision.allow();
    }
  }

  private static final AdmissionPolicy VIP = new MinLevel(5);

  private final PolicyCodec shared = new PolicyCodec(RuleCompiler.of(), Map.of("vip", VIP), false);
  private final PolicyCodec local = new PolicyCodec(RuleCompiler.of(), Map.of("vip", VIP), true);

  @Test
  void builtIns_roundTrip() {
    assertThat(shared.encode(AdmissionPolicy.allowAll())).hasToString("{\"kind\":\"allowAll\"}");
    assertThat(shared.encode(AdmissionPolicy.requireApproval())).hasToString("{\"kind\":\"requireApproval\"}");
    assertThat(shared.decode(shared.encode(AdmissionPolicy.allowAll()))).isSameAs(AdmissionPolicy.allowAll());
    assertThat(shared.decode(shared.encode(AdmissionPolicy.requireApproval()))).isSameAs(AdmissionPolicy.requireApproval());
  }

  @Test
  void rule_roundTripsAsDataWithTheSameContentHash() {
    CompiledRule rule = RuleCompiler.of().compile(RULE);
    JsonNode json = shared.encode(AdmissionPolicy.rule(rule));
    assertThat(json.get("kind").asText()).isEqualTo("rule");
    assertThat(json.get("rule").get("version").asInt()).isEqualTo(1);

    AdmissionPolicy read = new PolicyCodec(RuleCompiler.of(), Map.of(), false).decode(json);
    assertThat(read).isInstanceOf(RulePolicy.class);
    assertThat(((RulePolicy) read).rule().contentHash()).isEqualTo(rule.contentHash());
    assertThat(read.requiredFacts()).containsExactlyInAnyOrder("days_following", "fan_club_level", "fan_club_member");
  }

  @Test
  void rule_thatNoLongerCompiles_isAnIllegalState() {
    CompiledRule rule = RuleCompiler.builder().predicate(new CustomPredicate() {
      @Override
      public String name() {
        return "region_allowed";
      }

      @Override
      public Truth test(Facts facts) {
        return Truth.TRUE;
      }
    }).build().compile("{\"version\":1,\"rule\":{\"custom\":\"region_allowed\"}}");
    JsonNode json = shared.encode(AdmissionPolicy.rule(rule));
    assertThatThrownBy(() -> shared.decode(json)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no longer compiles").hasMessageContaining("region_allowed");
  }

  @Test
  void named_roundTripsByIdentityOrEquals() {
    assertThat(shared.encode(VIP)).hasToString("{\"kind\":\"named\",\"name\":\"vip\"}");
    assertThat(shared.encode(new MinLevel(5))).hasToString("{\"kind\":\"named\",\"name\":\"vip\"}");
    assertThat(shared.decode(shared.encode(new MinLevel(5)))).isSameAs(VIP);
  }

  @Test
  void named_missingFromTheBuilder_saysWhichName() {
    JsonNode json = shared.encode(VIP);
    PolicyCodec other = new PolicyCodec(RuleCompiler.of(), Map.of("gold", new MinLevel(9)), false);
    assertThatThrownBy(() -> other.decode(json)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'vip'").hasMessageContaining("FanGroups.Builder.policy(\"vip\", policy)")
        .hasMessageContaining("[gold]");
  }

  @Test
  void unnamed_keptInMemory_decodesToTheSameObject() {
    AdmissionPolicy mine = applicant -> AdmissionDecision.allow();
    AdmissionPolicy another = applicant -> AdmissionDecision.allow();
    JsonNode json = local.encode(mine);
    assertThat(json.get("kind").asText()).isEqualTo("local");
    assertThat(local.encode(mine)).isEqualTo(json);
    assertThat(local.encode(another)).isNotEqualTo(json);
    assertThat(local.decode(json)).isSameAs(mine);
    assertThat(local.decode(local.encode(another))).isSameAs(another);
  }

  @Test
  void unnamed_fromAnotherProcess_isAnIllegalState() {
    JsonNode json = local.encode(applicant -> AdmissionDecision.allow());
    PolicyCodec elsewhere = new PolicyCodec(RuleCompiler.of(), Map.of(), true);
    assertThatThrownBy(() -> elsewhere.decode(json)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("in-memory admission policy #1").hasMessageContaining("FanGroups.Builder.policy");
  }

  @Test
  void unnamed_inASharedStore_isRefused() {
    AdmissionPolicy mine = new AdmissionPolicy() {
      @Override
      public AdmissionDecision evaluate(Applicant applicant) {
        return AdmissionDecision.allow();
      }

      @Override
      public String toString() {
        return "MyPolicy";
      }
    };
    assertThatThrownBy(() -> shared.encode(mine)).isInstanceOfSatisfying(FanGroupsException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessage("INVALID_ARGUMENT: MyPolicy cannot be written to a shared store: register it with FanGroups.Builder.policy(name, policy)");
  }

  @Test
  void unknownKind_isAnIllegalState() {
    assertThatThrownBy(() -> shared.decode(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
        .put("kind", "magic"))).isInstanceOf(IllegalStateException.class).hasMessageContaining("'magic'");
  }
}
