package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.core.admission.AdmissionPolicy;
import io.fangroups.core.event.GroupChange;
import io.fangroups.core.event.GroupEvent;
import io.fangroups.rules.CustomPredicate;
import io.fangroups.rules.Facts;
import io.fangroups.rules.Policy;
import io.fangroups.rules.Rule;
import io.fangroups.rules.RuleCompiler;
import io.fangroups.rules.Truth;
import io.fangroups.spi.EventPublisher.PublishedEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The builder's rule compiler applies on every store, the default in-memory one included: a group
 * whose rule uses the host's custom predicate can be replayed and relayed like any other.
 */
class CustomPredicateOnDefaultStoreTest {

  /** A host predicate the default rule compiler does not know. */
  private static final CustomPredicate VERIFIED_CREATOR_FAN = new CustomPredicate() {
    @Override
    public String name() {
      return "verified_creator_fan";
    }

    @Override
    public Truth test(Facts facts) {
      return Truth.TRUE;
    }
  };

  @Test
  void customPredicateRule_onTheDefaultStore_isReplayedAndPublished() {
    RuleCompiler compiler = RuleCompiler.builder().predicate(VERIFIED_CREATOR_FAN).build();
    List<PublishedEvent> published = new CopyOnWriteArrayList<>();
    FanGroups fanGroups = FanGroups.builder().ruleCompiler(compiler)
        .eventPublisher(e -> {
          published.add(e);
          return CompletableFuture.completedFuture(null);
        })
        .startRelay(false).build();
    CommandContext creator = CommandContext.of("creator");
    GroupId group = fanGroups.createGroup(creator, GroupSettings.builder().name("认证粉丝群")
        .policy(AdmissionPolicy.rule(compiler.compile(Policy.of(Rule.custom("verified_creator_fan"))))).build()).id();
    fanGroups.apply(CommandContext.of("fan"), group, JoinSource.BUTTON);

    List<GroupEvent> events = fanGroups.events(group, 0, 100);
    assertThat(events).extracting(e -> (Object) e.change().getClass()).containsExactly(GroupChange.GroupCreated.class,
        GroupChange.MemberJoined.class);
    assertThat(fanGroups.relay().drainOnce()).isEqualTo(2);
    assertThat(published).extracting(PublishedEvent::type).containsExactly("GroupCreated", "MemberJoined");
    assertThat(published.get(0).json()).contains("\"custom\":\"verified_creator_fan\"");
  }
}
