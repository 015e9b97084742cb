package io.fangroups.core.internal.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.admission.AdmissionPolicy;
import io.fangroups.core.admission.internal.Policies;
import io.fangroups.core.admission.internal.RulePolicy;
import io.fangroups.rules.RuleCompiler;
import io.fangroups.rules.RuleException;
import io.fangroups.rules.RuleJson;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Writes an {@link AdmissionPolicy} as data for a group's settings in a store, and reads it back.
 * The forms, by {@code "kind"}:
 * <ul>
 *   <li>{@code {"kind":"allowAll"}} and {@code {"kind":"requireApproval"}}: the built-in policies;
 *   <li>{@code {"kind":"rule","rule":{…}}}: a policy from {@link AdmissionPolicy#rule}, the rule in
 *       its canonical {@link RuleJson} form, compiled again with the builder's {@link RuleCompiler}
 *       when read (so its custom predicates must be registered there too);
 *   <li>{@code {"kind":"named","name":"…"}}: a host policy registered by name on the builder (found
 *       by identity, else by {@code equals}); read back as the policy registered under that name;
 *   <li>{@code {"kind":"local","id":n}}: any other policy, only when the codec may keep unnamed
 *       policies in memory (a store that is not shared across processes). The policy stays in this
 *       codec instance (never removed: a host should reuse its policy objects) and reads back as
 *       the same object in this process only.
 * </ul>
 * Any other policy is refused with {@link ErrorCode#INVALID_ARGUMENT} when written. Reading a name
 * that is not registered, a local id this instance did not write, or a rule that no longer
 * compiles throws {@link IllegalStateException} naming what is missing: it is a configuration or
 * store problem, not a bad argument of a command. Thread-safe.
 */
public final class PolicyCodec {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final RuleCompiler compiler;
  private final Map<String, AdmissionPolicy> named;
  private final boolean keepUnnamedInMemory;
  private final Map<Long, AdmissionPolicy> localById = new LinkedHashMap<>();
  private final Map<AdmissionPolicy, Long> localIds = new IdentityHashMap<>();

  public PolicyCodec(RuleCompiler compiler, Map<String, AdmissionPolicy> named, boolean keepUnnamedInMemory) {
    this.compiler = Objects.requireNonNull(compiler, "compiler");
    this.named = Collections.unmodifiableMap(new TreeMap<>(Map.copyOf(Objects.requireNonNull(named, "named"))));
    this.keepUnnamedInMemory = keepUnnamedInMemory;
  }

  /** The policy as a JSON object; {@link ErrorCode#INVALID_ARGUMENT} for a policy that cannot be written. */
  public ObjectNode encode(AdmissionPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    ObjectNode out = NODES.objectNode();
    if (policy == Policies.ALLOW_ALL) {
      return out.put("kind", "allowAll");
    }
    if (policy == Policies.REQUIRE_APPROVAL) {
      return out.put("kind", "requireApproval");
    }
    if (policy instanceof RulePolicy rule) {
      out.put("kind", "rule");
      out.set("rule", parse(RuleJson.write(rule.rule().policy())));
      return out;
    }
    String name = nameOf(policy);
    if (name != null) {
      return out.put("kind", "named").put("name", name);
    }
    if (!keepUnnamedInMemory) {
      throw new FanGroupsException(ErrorCode.INVALID_ARGUMENT, policy
          + " cannot be written to a shared store: register it with FanGroups.Builder.policy(name, policy)");
    }
    // The description is for readers of the published event; the id is what is read back.
    return out.put("kind", "local").put("id", localId(policy)).put("description", String.valueOf(policy));
  }

  /** The policy written by {@link #encode}; {@link IllegalStateException} when it cannot be had here. */
  public AdmissionPolicy decode(JsonNode node) {
    String kind = node.path("kind").asText("");
    switch (kind) {
      case "allowAll":
        return AdmissionPolicy.allowAll();
      case "requireApproval":
        return AdmissionPolicy.requireApproval();
      case "rule":
        return rule(node.path("rule"));
      case "named": {
        String name = node.path("name").asText("");
        AdmissionPolicy policy = named.get(name);
        if (policy == null) {
          throw new IllegalStateException("the store names the admission policy '" + name + "', which is not "
              + "registered here: register it with FanGroups.Builder.policy(\"" + name + "\", policy) in every "
              + "process sharing the store (registered: " + named.keySet() + ")");
        }
        return policy;
      }
      case "local":
        return local(node.path("id"));
      default:
        throw new IllegalStateException("unknown admission policy kind '" + kind + "' in " + node);
    }
  }

  private AdmissionPolicy rule(JsonNode rule) {
    if (!rule.isObject()) {
      throw new IllegalStateException("a rule policy without its rule: " + rule);
    }
    try {
      return AdmissionPolicy.rule(compiler.compile(RuleJson.read(JSON.writeValueAsString(rule))));
    } catch (RuleException | JsonProcessingException e) {
      throw new IllegalStateException("the stored admission rule no longer compiles here (are its facts and custom "
          + "predicates registered on the builder's rule compiler?): " + e.getMessage(), e);
    }
  }

  private synchronized AdmissionPolicy local(JsonNode id) {
    AdmissionPolicy policy = id.canConvertToLong() ? localById.get(id.longValue()) : null;
    if (policy == null) {
      throw new IllegalStateException("the store refers to the in-memory admission policy #" + id + ", which this "
          + "process does not hold: such policies live only in the process that wrote them; register the policy "
          + "with FanGroups.Builder.policy(name, policy) to store it by name");
    }
    return policy;
  }

  private synchronized long localId(AdmissionPolicy policy) {
    return localIds.computeIfAbsent(policy, p -> {
      long id = localById.size() + 1L;
      localById.put(id, p);
      return id;
    });
  }

  private String nameOf(AdmissionPolicy policy) {
    String byEquals = null;
    for (Map.Entry<String, AdmissionPolicy> e : named.entrySet()) {
      if (e.getValue() == policy) {
        return e.getKey();
      }
      if (byEquals == null && e.getValue().equals(policy)) { // names are sorted: the first equal one
        byEquals = e.getKey();
      }
    }
    return byEquals;
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("RuleJson wrote JSON that does not parse", e);
    }
  }
}
