package io.fangroups.core.passcode.internal;

import io.fangroups.core.Capability;
import io.fangroups.core.ClientInfo;
import io.fangroups.core.CommandContext;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.Family;
import io.fangroups.core.FamilyId;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.GroupId;
import io.fangroups.core.GroupInfo;
import io.fangroups.core.JoinResult;
import io.fangroups.core.JoinSource;
import io.fangroups.core.Role;
import io.fangroups.core.UserId;
import io.fangroups.core.event.Attribution;
import io.fangroups.core.event.GroupChange;
import io.fangroups.core.internal.Checks;
import io.fangroups.core.internal.CommandRunner;
import io.fangroups.core.internal.GroupRepository;
import io.fangroups.core.internal.GroupState;
import io.fangroups.core.internal.JoinCommands;
import io.fangroups.core.internal.Permissions;
import io.fangroups.core.internal.Queries;
import io.fangroups.core.internal.Transition;
import io.fangroups.core.internal.format.StoreRecord;
import io.fangroups.core.passcode.Blocklist;
import io.fangroups.core.passcode.IssuedPasscode;
import io.fangroups.core.passcode.PasscodeExtractor;
import io.fangroups.core.passcode.PasscodeId;
import io.fangroups.core.passcode.PasscodeInfo;
import io.fangroups.core.passcode.PasscodeLimits;
import io.fangroups.core.passcode.PasscodeMode;
import io.fangroups.core.passcode.PasscodeProfile;
import io.fangroups.core.passcode.PasscodeSpec;
import io.fangroups.core.passcode.Passcodes;
import io.fangroups.spi.AttemptLimiter;
import io.fangroups.spi.IdGenerator;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Passcode commands: issuing codes (stored only as HMACs), revoking them, and redeeming pasted
 * text under the attempt limits, through the service's admission path.
 *
 * <p>Locks: a target's passcode lock, then a group's lock, when issuing; a code's slot lock, then a
 * group's lock, when redeeming or revoking. Nothing takes them the other way round.
 */
public final class PasscodeCommands {
  private final CommandRunner runner;
  private final Permissions permissions;
  private final JoinCommands joins;
  private final Queries queries;
  private final GroupRepository store;
  private final PasscodeRecords codes;
  private final IdGenerator ids;
  private final Clock clock;
  private final PasscodeHasher hasher;
  private final AttemptLimiter attemptLimiter;
  private final PasscodeLimits limits;
  private final Blocklist blocklist;
  private final int passcodesPerTarget;

  public PasscodeCommands(CommandRunner runner, Permissions permissions, JoinCommands joins, Queries queries,
      GroupRepository store, IdGenerator ids, Clock clock,
      PasscodeHasher hasher, AttemptLimiter attemptLimiter, PasscodeLimits limits, Blocklist blocklist,
      int passcodesPerTarget) {
    this.runner = runner;
    this.permissions = permissions;
    this.joins = joins;
    this.queries = queries;
    this.store = store;
    this.codes = store.passcodes;
    this.ids = ids;
    this.clock = clock;
    this.hasher = hasher;
    this.attemptLimiter = attemptLimiter;
    this.limits = limits;
    this.blocklist = blocklist;
    this.passcodesPerTarget = passcodesPerTarget;
  }

  public IssuedPasscode create(CommandContext ctx, PasscodeSpec spec) {
    Checks.notNull(ctx, "ctx");
    Checks.notNull(spec, "spec");
    return runner.idempotent(ctx, "createPasscode", () -> issue(ctx, spec), spec);
  }

  private IssuedPasscode issue(CommandContext ctx, PasscodeSpec spec) {
    Instant now = clock.instant();
    String name;
    UserId creator;
    if (spec.group().isPresent()) {
      // The right to manage codes comes first, so a stranger learns nothing about the group's codes.
      store.read(spec.group().get(), s -> requireMayIssue(s, ctx.actor(), spec.mode()));
      GroupInfo group = queries.group(spec.group().get());
      name = group.settings().name();
      creator = group.owner();
    } else {
      Family family = queries.family(spec.family().get());
      requireFamilyCreator(family, ctx.actor());
      name = family.name();
      creator = family.creator();
    }
    String code = Passcodes.generate(spec.profile(), blocklist);
    String keyId = hasher.keys().currentId();
    PasscodeInfo info = new PasscodeInfo(PasscodeId.of(ids.newId("p")), spec, creator, ctx.actor(), now,
        spec.lifetime().map(now::plus), 0, Optional.empty(), keyId);
    String target = targetKey(spec);
    String digest = hasher.digest(keyId, code);
    return codes.withPasscodeTarget(target, () -> {
      if (spec.group().isPresent()) {
        runner.write(spec.group().get(), (state, out) -> {
          requireMayIssue(state, ctx.actor(), spec.mode());
          PasscodeRecords.requireBelowLimit(codes.groupPasscodes(state), passcodesPerTarget, now, target);
          out.emit(Attribution.of(ctx).withPasscode(Optional.of(info.id())), new GroupChange.PasscodeCreated(info));
          codes.issueWith(out, info, digest, target);
          return null;
        });
      } else {
        codes.issueForFamily(spec.family().get(), passcodesPerTarget, now, info, digest, target);
      }
      return new IssuedPasscode(info, code, name);
    });
  }

  /**
   * Managing codes; for a JOIN code, which lets fans skip approval (now, or after the group turns to
   * APPROVAL), approving requests as well: an admin who may not approve may not admit either.
   */
  private Role requireMayIssue(GroupState state, UserId actor, PasscodeMode mode) {
    Role role = permissions.require(state, actor, Capability.MANAGE_PASSCODES);
    if (mode == PasscodeMode.JOIN && !permissions.has(state, actor, Capability.APPROVE_REQUESTS)) {
      throw new FanGroupsException(ErrorCode.NOT_PERMITTED, actor + " is " + role + " of " + state.id
          + " and lacks APPROVE_REQUESTS, which a JOIN passcode needs as it admits without approval;"
          + " make a FOLLOW_JOIN_MODE or REQUEST code instead");
    }
    return role;
  }

  public PasscodeInfo revoke(CommandContext ctx, PasscodeId id) {
    Checks.notNull(ctx, "ctx");
    Checks.notNull(id, "passcode");
    return runner.idempotent(ctx, "revokePasscode", () -> revokeOnce(ctx, id), id);
  }

  private PasscodeInfo revokeOnce(CommandContext ctx, PasscodeId id) {
    PasscodeRecords.PasscodeSlot slot = passcodeSlot(id);
    Optional<GroupId> group = slot.info.spec().group();
    if (group.isPresent()) {
      return runner.write(group.get(), (state, out) -> {
        permissions.require(state, ctx.actor(), Capability.MANAGE_PASSCODES);
        PasscodeRecords.PasscodeSlot.Position at = passcodeSlot(id).position();
        if (at.info().revokedAt().isPresent()) {
          return at.info();
        }
        Instant now = clock.instant();
        out.emit(Attribution.of(ctx).withPasscode(Optional.of(id)), new GroupChange.PasscodeRevoked(id));
        codes.passcodeEventWith(out, slot, at.sequence(), new StoreRecord.PasscodeRevoked(now));
        return at.info().revoked(now);
      });
    }
    requireFamilyCreator(queries.family(slot.info.spec().family().get()), ctx.actor());
    while (true) {
      PasscodeRecords.PasscodeSlot.Position at = passcodeSlot(id).position();
      if (at.info().revokedAt().isPresent()) {
        return at.info();
      }
      Instant now = clock.instant();
      if (codes.appendPasscodeEvent(slot, at.sequence(), new StoreRecord.PasscodeRevoked(now))) {
        return at.info().revoked(now);
      }
    }
  }

  public IssuedPasscode reset(CommandContext ctx, PasscodeId id) {
    Checks.notNull(ctx, "ctx");
    Checks.notNull(id, "passcode");
    return runner.idempotent(ctx, "resetPasscode", () -> {
      PasscodeSpec spec = info(id).spec();
      // Holding the target's lock across both steps: no other code can take the freed place between
      // them, so the new code is always issued once the old one is revoked.
      return codes.withPasscodeTarget(targetKey(spec), () -> issue(ctx, revokeOnce(ctx, id).spec()));
    }, id);
  }

  public PasscodeInfo info(PasscodeId id) {
    Checks.notNull(id, "passcode");
    return passcodeSlot(id).info;
  }

  /** The group's live codes. */
  public List<PasscodeInfo> live(GroupId group) {
    Instant now = clock.instant();
    return store.read(group, codes::groupPasscodes).stream().filter(p -> p.isLiveAt(now)).toList();
  }

  /** The family's live codes. */
  public List<PasscodeInfo> live(FamilyId family) {
    Instant now = clock.instant();
    return codes.familyPasscodes(family).codes().stream().filter(p -> p.isLiveAt(now)).toList();
  }

  /** Redeems pasted text; with {@code knownGroup}, SHORT codes count and other groups' codes are not found. */
  public JoinResult redeem(CommandContext ctx, Optional<GroupId> knownGroup, String pastedText, ClientInfo client) {
    Checks.notNull(ctx, "ctx");
    Checks.notNull(pastedText, "pastedText");
    Checks.notNull(client, "client");
    return runner.idempotent(ctx, "redeemPasscode", () -> redeemOnce(ctx, knownGroup, pastedText, client),
        knownGroup, pastedText, client);
  }

  private JoinResult redeemOnce(CommandContext ctx, Optional<GroupId> knownGroup, String text, ClientInfo client) {
    Instant now = clock.instant();
    List<Identity> identities = identities(ctx.actor(), client);
    beginAttempt(identities, now); // before any work on the text, so a limited user costs nothing
    List<String> candidates = new ArrayList<>(PasscodeExtractor.extract(text));
    if (knownGroup.isPresent()) {
      candidates.addAll(PasscodeExtractor.extract(text, PasscodeProfile.SHORT));
    }
    if (candidates.isEmpty()) {
      throw new FanGroupsException(ErrorCode.PASSCODE_MALFORMED, "no passcode in the text; check it was copied whole");
    }
    candidates = candidates.subList(0, Math.min(candidates.size(), PasscodeExtractor.MAX_CANDIDATES));
    for (int extra = 1; extra < candidates.size(); extra++) {
      beginAttempt(identities, now); // every lookup is a guess and counts as one attempt
    }
    PasscodeRecords.PasscodeSlot slot = candidates.stream().map(this::observedLookUp).flatMap(Optional::stream)
        .filter(s -> knownGroup.isEmpty() || s.info.spec().group().equals(knownGroup))
        .findFirst()
        .orElseThrow(() -> new FanGroupsException(ErrorCode.PASSCODE_NOT_FOUND, "no such passcode"));
    requireLive(slot.info, now); // fail fast; checked again under the code's lock with the seat
    PasscodeUse use = new PasscodeUse(codes, slot, now, ctx.actor());
    PasscodeInfo info = slot.info;
    JoinResult result = info.spec().group().isPresent()
        ? joins.applyOnce(ctx, info.spec().group().get(), JoinSource.PASSCODE, Optional.of(use))
        : joins.applyToFamilyOnce(ctx, info.spec().family().get(), JoinSource.PASSCODE, Optional.of(use));
    // Only an admission ends a failure run; holding a live code is not enough (it could be replayed).
    identities.forEach(identity -> attemptLimiter.succeeded(identity.key(), limits.window(), now));
    return result;
  }

  private static void requireLive(PasscodeInfo info, Instant now) {
    if (info.revokedAt().isPresent()) {
      throw new FanGroupsException(ErrorCode.PASSCODE_REVOKED, "this passcode was revoked; ask for a new one");
    }
    if (info.isExpiredAt(now)) {
      throw new FanGroupsException(ErrorCode.PASSCODE_EXPIRED, "this passcode expired at " + info.expiresAt().get());
    }
    if (info.isExhausted()) {
      throw new FanGroupsException(ErrorCode.PASSCODE_EXHAUSTED, "this passcode has no uses left");
    }
  }

  private Optional<PasscodeRecords.PasscodeSlot> observedLookUp(String canonicalCode) {
    Optional<PasscodeRecords.PasscodeSlot> slot = lookUp(canonicalCode);
    runner.observe(o -> o.passcodeLookedUp(slot.isPresent()));
    return slot;
  }

  private Optional<PasscodeRecords.PasscodeSlot> lookUp(String canonicalCode) {
    for (String keyId : hasher.keys().ids()) {
      Optional<PasscodeRecords.PasscodeSlot> slot = codes.passcodeByDigest(hasher.digest(keyId, canonicalCode));
      if (slot.isPresent()) {
        return slot;
      }
    }
    return Optional.empty();
  }

  /** One identity an attempt is counted against, with its limit per window. */
  private record Identity(String key, int limit) {}

  private List<Identity> identities(UserId user, ClientInfo client) {
    List<Identity> identities = new ArrayList<>(3);
    identities.add(new Identity("user:" + user.value(), limits.perUser()));
    client.deviceId().ifPresent(d -> identities.add(new Identity("device:" + d, limits.perDevice())));
    client.ipAddress().ifPresent(ip -> identities.add(new Identity("ip:" + ip, limits.perIp())));
    return identities;
  }

  /** Counts the attempt for every identity, then refuses it if any identity is over its limit. */
  private void beginAttempt(List<Identity> identities, Instant now) {
    boolean over = false;
    boolean locked = false;
    for (Identity identity : identities) {
      AttemptLimiter.AttemptCounts counts;
      try {
        counts = attemptLimiter.begin(identity.key(), limits.window(), now);
      } catch (RuntimeException e) {
        runner.observe(o -> o.passcodeAttemptRefused("limiter_failed"));
        throw new FanGroupsException(ErrorCode.RATE_LIMITED, "the attempt limiter failed; refusing the attempt", e);
      }
      over |= counts.inWindow() > identity.limit();
      locked |= identity == identities.get(0) && counts.consecutive() > limits.lockAfter();
    }
    if (locked) {
      runner.observe(o -> o.passcodeAttemptRefused("locked"));
      throw new FanGroupsException(ErrorCode.RATE_LIMITED, "locked after " + limits.lockAfter()
          + " consecutive failed passcode attempts; the host can lift this with resetPasscodeAttempts");
    }
    if (over) {
      runner.observe(o -> o.passcodeAttemptRefused("limit"));
      long window = limits.window().toMillis();
      Instant next = Instant.ofEpochMilli((Math.floorDiv(now.toEpochMilli(), window) + 1) * window);
      throw new FanGroupsException(ErrorCode.RATE_LIMITED, "too many passcode attempts; try again after " + next);
    }
  }

  public void resetAttempts(UserId user) {
    Checks.notNull(user, "user");
    attemptLimiter.reset("user:" + user.value());
  }

  private PasscodeRecords.PasscodeSlot passcodeSlot(PasscodeId id) {
    return codes.passcode(id).orElseThrow(() -> new FanGroupsException(ErrorCode.PASSCODE_NOT_FOUND, "no passcode " + id));
  }

  private static String targetKey(PasscodeSpec spec) {
    return spec.group().map(PasscodeCommands::targetKey).orElseGet(() -> targetKey(spec.family().get()));
  }

  /** The store key of a group's passcodes. */
  public static String targetKey(GroupId group) {
    return "group:" + group.value();
  }

  /** The store key of a family's passcodes. */
  public static String targetKey(FamilyId family) {
    return "family:" + family.value();
  }

  private static void requireFamilyCreator(Family family, UserId actor) {
    if (!family.creator().equals(actor)) {
      throw new FanGroupsException(ErrorCode.NOT_PERMITTED, "only the family's creator manages its passcodes");
    }
  }

  /**
   * A passcode being redeemed. The slow parts of an application (facts, policy, hook) run without
   * any lock, so many fans can redeem a popular code at once; under the group's lock the group's
   * transition checks the code again ({@link #checkLive}) and adds the use to the same append as the
   * seat ({@link #take}), expecting the code's stream where it checked it: a code with n uses left
   * admits exactly n, across processes.
   */
  public static final class PasscodeUse {
    private final PasscodeRecords codes;
    private final PasscodeRecords.PasscodeSlot slot;
    private final Instant now;
    private final UserId user;

    public PasscodeUse(PasscodeRecords codes, PasscodeRecords.PasscodeSlot slot, Instant now, UserId user) {
      this.codes = codes;
      this.slot = slot;
      this.now = now;
      this.user = user;
    }

    public PasscodeInfo info() {
      return slot.info;
    }

    /** Catches the code up and refuses it if it is no longer live; returns the position it was checked at. */
    public long checkLive() {
      PasscodeRecords.PasscodeSlot.Position at = codes.passcode(slot.id).orElseThrow().position();
      requireLive(at.info(), now);
      return at.sequence();
    }

    /** Adds the use to the group's append. */
    public void take(Transition.Changes out, long checkedAt) {
      codes.passcodeEventWith(out, slot, checkedAt, new StoreRecord.PasscodeUsed(user));
    }
  }
}
