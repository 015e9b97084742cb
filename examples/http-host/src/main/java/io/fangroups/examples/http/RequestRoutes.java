package io.fangroups.examples.http;

import io.fangroups.core.BulkResult;
import io.fangroups.core.Capability;
import io.fangroups.core.CommandContext;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.FanGroups;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.GroupId;
import io.fangroups.core.RequestId;
import io.fangroups.core.UserId;
import java.util.List;

/**
 * The owner's inbox: pending requests, and approving or rejecting them in bulk with one result per
 * request.
 *
 * <pre>
 * GET  /groups/{groupId}/requests  → pending requests, oldest first (needs APPROVE_REQUESTS)
 * POST /requests/approvals         {"requests": [ids]}           → 200 one item per id, in order
 * POST /requests/rejections        {"requests": [ids], "reason"} → 200 one item per id, in order
 * </pre>
 */
final class RequestRoutes {
  /**
   * Requests to handle at once.
   *
   * @param requests request ids, in the order to handle them
   * @param reason recorded with each request and event, optional
   */
  record Batch(List<String> requests, String reason) {}

  /**
   * A group's pending requests.
   *
   * @param requests oldest first
   */
  record Pending(List<RequestView> requests) {}

  private final FanGroups fanGroups;

  RequestRoutes(FanGroups fanGroups) {
    this.fanGroups = fanGroups;
  }

  void register(Router router) {
    router.get("/groups/{groupId}/requests", this::pending)
        .post("/requests/approvals", call -> handle(call, fanGroups::approveAll))
        .post("/requests/rejections", call -> handle(call, fanGroups::rejectAll));
  }

  private Reply pending(Call call) {
    UserId user = call.user();
    GroupId group = GroupId.of(call.pathVariable("groupId"));
    if (!fanGroups.can(group, user, Capability.APPROVE_REQUESTS)) {
      throw new FanGroupsException(ErrorCode.NOT_PERMITTED, user + " may not see the requests of " + group
          + "; that needs APPROVE_REQUESTS (owner or admin)");
    }
    return Reply.ok(new Pending(fanGroups.pendingRequests(group).stream().map(RequestView::of).toList()));
  }

  private interface BulkCommand {
    BulkResult run(CommandContext ctx, List<RequestId> requests);
  }

  private Reply handle(Call call, BulkCommand command) {
    Batch body = call.body(Batch.class);
    if (body.requests() == null || body.requests().isEmpty() || body.requests().size() > 500) {
      throw new FanGroupsException(ErrorCode.INVALID_ARGUMENT, "requests must list 1 to 500 request ids");
    }
    CommandContext ctx = body.reason() == null ? call.context() : call.context().withReason(body.reason());
    List<RequestId> ids = body.requests().stream().map(RequestId::of).toList();
    return Reply.ok(BulkView.of(command.run(ctx, ids)));
  }
}
