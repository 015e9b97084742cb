package io.fangroups.examples.http;

/**
 * A refusal that comes from HTTP itself rather than from the SDK: an unknown route, a wrong method,
 * a missing user, a body that is too large, not JSON or malformed. Answered like SDK errors, with
 * {@code {"code", "message"}}.
 */
final class HttpProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  HttpProblem(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }
}
