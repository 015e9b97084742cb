package io.fangroups.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fangroups.core.FanGroups;
import io.fangroups.core.GroupId;
import io.fangroups.core.GroupInfo;
import io.fangroups.core.JoinRequest;
import io.fangroups.core.Member;
import io.fangroups.core.RequestId;
import io.fangroups.core.UserId;
import io.fangroups.core.event.GroupEvent;
import io.fangroups.core.passcode.PasscodeId;
import io.fangroups.core.passcode.PasscodeInfo;
import io.fangroups.spi.EventPublisher.PublishedEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What an SDK answers about the upgrade scenario's groups, requests and passcodes, as JSON built from
 * the public API only (each value picked by name, so a record that gains a component changes
 * nothing). The release before the V2 schema (commit 74f5aa5) wrote these answers next to a dump of
 * its database; {@code UpgradeFromV1Test} computes them again on the upgraded database with the
 * current code and expects the same JSON. The same file ran in both trees.
 */
final class UpgradeAnswers {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private UpgradeAnswers() {}

  /**
   * The ids the scenario made, and the instant its clock had at the end.
   *
   * @param now the SDK clock's instant when the answers were taken
   * @param groups every group, in creation order
   * @param requests every join request
   * @param passcodes every passcode
   * @param owners users whose {@code groupsOf} is recorded
   * @param watched users whose membership, ban and mute are recorded in every group
   */
  record Scenario(Instant now, List<GroupId> groups, List<RequestId> requests, List<PasscodeId> passcodes,
      List<UserId> owners, List<UserId> watched) {

    ObjectNode toJson() {
      ObjectNode node = JSON.createObjectNode();
      node.put("now", now.toString());
      node.set("groups", strings(groups, GroupId::value));
      node.set("requests", strings(requests, RequestId::value));
      node.set("passcodes", strings(passcodes, PasscodeId::value));
      node.set("owners", strings(owners, UserId::value));
      node.set("watched", strings(watched, UserId::value));
      return node;
    }

    static Scenario fromJson(JsonNode node) {
      return new Scenario(Instant.parse(node.get("now").asText()), list(node.get("groups"), GroupId::of),
          list(node.get("requests"), RequestId::of), list(node.get("passcodes"), PasscodeId::of),
          list(node.get("owners"), UserId::of), list(node.get("watched"), UserId::of));
    }
  }

  /** The answers, keyed by what was asked. */
  static ObjectNode answers(FanGroups sdk, Scenario scenario) {
    ObjectNode out = JSON.createObjectNode();
    ObjectNode groups = out.putObject("groups");
    for (GroupId id : scenario.groups()) {
      groups.set(id.value(), group(sdk, id, scenario.watched()));
    }
    ObjectNode requests = out.putObject("requests");
    for (RequestId id : scenario.requests()) {
      requests.set(id.value(), request(sdk.request(id)));
    }
    ObjectNode passcodes = out.putObject("passcodes");
    for (PasscodeId id : scenario.passcodes()) {
      passcodes.set(id.value(), passcode(sdk.passcode(id)));
    }
    ObjectNode owners = out.putObject("groupsOf");
    for (UserId owner : scenario.owners()) {
      owners.set(owner.value(), strings(sdk.groupsOf(owner), g -> g.id().value()));
    }
    return out;
  }

  private static ObjectNode group(FanGroups sdk, GroupId id, List<UserId> watched) {
    GroupInfo info = sdk.group(id);
    ObjectNode node = JSON.createObjectNode();
    node.put("owner", info.owner().value());
    node.put("name", info.settings().name());
    node.put("cap", info.settings().cap());
    node.put("joinMode", info.settings().joinMode().name());
    node.put("pausedUntil", text(info.settings().pausedUntil()));
    node.put("family", text(info.settings().family().map(f -> f.value())));
    node.put("status", info.status().name());
    node.put("memberCount", info.memberCount());
    node.put("pendingRequests", info.pendingRequests());
    node.put("createdAt", info.createdAt().toString());
    node.put("lastSequence", info.lastSequence());
    ArrayNode members = node.putArray("members");
    for (Member m : sdk.members(id)) {
      ObjectNode member = members.addObject();
      member.put("user", m.user().value());
      member.put("role", m.role().name());
      member.put("joinedAt", m.joinedAt().toString());
      member.put("source", m.source().name());
      member.put("request", text(m.request().map(RequestId::value)));
    }
    node.set("pending", strings(sdk.pendingRequests(id), r -> r.id().value()));
    ObjectNode users = node.putObject("users");
    for (UserId user : watched) {
      ObjectNode u = users.putObject(user.value());
      u.put("role", text(sdk.member(id, user).map(m -> m.role().name())));
      u.put("bannedUntil", text(sdk.bannedUntil(id, user)));
      u.put("mutedUntil", text(sdk.mutedUntil(id, user)));
    }
    node.set("livePasscodes", strings(sdk.livePasscodes(id), p -> p.id().value()));
    ArrayNode events = node.putArray("events");
    for (GroupEvent e : sdk.events(id, 0, 10_000)) {
      ObjectNode event = events.addObject();
      event.put("sequence", e.sequence());
      event.put("eventId", e.eventId());
      event.put("occurredAt", e.occurredAt().toString());
      event.put("actor", text(e.attribution().actor().map(UserId::value)));
      event.put("change", e.change().getClass().getSimpleName());
    }
    ArrayNode published = node.putArray("published");
    for (PublishedEvent p : sdk.publishedEvents(id, 0, 10_000)) {
      ObjectNode event = published.addObject();
      event.put("eventId", p.eventId());
      event.put("groupId", p.groupId());
      event.put("sequence", p.sequence());
      event.put("occurredAt", p.occurredAt().toString());
      event.put("type", p.type());
      event.put("json", p.json());
    }
    return node;
  }

  private static ObjectNode request(JoinRequest r) {
    ObjectNode node = JSON.createObjectNode();
    node.put("group", r.group().value());
    node.put("applicant", r.applicant().value());
    node.put("source", r.source().name());
    node.put("status", r.status().name());
    node.put("createdAt", r.createdAt().toString());
    node.put("expiresAt", r.expiresAt().toString());
    node.put("handledBy", text(r.handledBy().map(UserId::value)));
    node.put("handledAt", text(r.handledAt()));
    node.put("reason", text(r.reason()));
    node.put("verdict", r.decision().verdict().name());
    return node;
  }

  private static ObjectNode passcode(PasscodeInfo p) {
    ObjectNode node = JSON.createObjectNode();
    node.put("group", text(p.spec().group().map(GroupId::value)));
    node.put("label", p.spec().label());
    node.put("lifetime", text(p.spec().lifetime()));
    node.put("maxUses", p.spec().maxUses());
    node.put("mode", p.spec().mode().name());
    node.put("creator", p.creator().value());
    node.put("createdBy", p.createdBy().value());
    node.put("createdAt", p.createdAt().toString());
    node.put("expiresAt", text(p.expiresAt()));
    node.put("uses", p.uses());
    node.put("revokedAt", text(p.revokedAt()));
    node.put("keyId", p.keyId());
    return node;
  }

  private static String text(Optional<?> value) {
    return value.map(Object::toString).orElse(null);
  }

  private static <T> ArrayNode strings(List<T> values, Function<T, String> text) {
    ArrayNode array = JSON.createArrayNode();
    values.forEach(v -> array.add(text.apply(v)));
    return array;
  }

  private static <T> List<T> list(JsonNode array, Function<String, T> parse) {
    List<T> values = new ArrayList<>();
    array.forEach(v -> values.add(parse.apply(v.asText())));
    return List.copyOf(values);
  }
}
