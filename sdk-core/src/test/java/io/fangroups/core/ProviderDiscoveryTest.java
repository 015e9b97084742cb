package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.core.admission.AdmissionDecision;
import io.fangroups.core.admission.AdmissionPolicy;
import io.fangroups.core.admission.Applicant;
import io.fangroups.spi.FactSource.UserFacts;
import io.fangroups.spi.FactSource;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The test classpath registers three FactSource providers, one of which fails to load. */
class ProviderDiscoveryTest {

  /** Fails in its constructor: discovery must skip it. */
  public static final class BrokenFacts implements FactSource {
    public BrokenFacts() {
      throw new IllegalStateException("misconfigured provider");
    }

    @Override
    public CompletionStage<Map<String, UserFacts>> fetch(FactQuery query) {
      throw new AssertionError("never loaded");
    }
  }

  /** Every applicant is at fan-club level 3. */
  public static final class LevelThreeFacts implements FactSource {
    @Override
    public CompletionStage<Map<String, UserFacts>> fetch(FactQuery query) {
      return level(query, 3);
    }
  }

  /** Every applicant is at level 0. */
  public static final class ZeroFacts implements FactSource {
    @Override
    public CompletionStage<Map<String, UserFacts>> fetch(FactQuery query) {
      return level(query, 0);
    }
  }

  static CompletionStage<Map<String, UserFacts>> level(FactSource.FactQuery query, int level) {
    Map<String, UserFacts> answer = new HashMap<>();
    query.userIds().forEach(u -> answer.put(u, UserFacts.of(Map.of("fan_club_level", level))));
    return CompletableFuture.completedFuture(answer);
  }

  private static final AdmissionPolicy LEVEL_3 = new AdmissionPolicy() {
    @Override
    public AdmissionDecision evaluate(Applicant a) {
      Object level = a.facts().values().get("fan_club_level");
      return level instanceof Integer l && l >= 3 ? AdmissionDecision.allow() : AdmissionDecision.deny("level 3", "LEVEL");
    }

    @Override
    public java.util.Set<String> requiredFacts() {
      return java.util.Set.of("fan_club_level");
    }
  };

  @AfterEach
  void clearProperty() {
    System.clearProperty("fangroups.provider.FactSource");
  }

  private static boolean admits(FanGroups groups) {
    GroupInfo g = groups.createGroup(CommandContext.of("owner"), GroupSettings.builder().name("g").policy(LEVEL_3).build());
    try {
      return groups.apply(CommandContext.of("fan"), g.id(), JoinSource.BUTTON).joined();
    } catch (FanGroupsException e) {
      return false;
    }
  }

  @Test
  void withoutOptIn_nothingIsDiscovered() {
    assertThat(admits(FanGroups.builder().build())).isFalse();
  }

  @Test
  void optIn_skipsTheBrokenProviderAndTakesTheFirstByName() {
    assertThat(admits(FanGroups.builder().discoverProviders().build())).isTrue(); // LevelThreeFacts < ZeroFacts
  }

  @Test
  void property_choosesAmongSeveral() {
    System.setProperty("fangroups.provider.FactSource", ZeroFacts.class.getName());
    assertThat(admits(FanGroups.builder().discoverProviders().build())).isFalse();
  }

  @Test
  void explicitWiring_winsOverDiscovery() {
    FactSource explicit = new ZeroFacts();
    assertThat(admits(FanGroups.builder().factSource(explicit).discoverProviders().build())).isFalse();
  }
}
