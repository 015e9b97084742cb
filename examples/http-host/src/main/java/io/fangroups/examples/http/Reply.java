package io.fangroups.examples.http;

/**
 * What a route answers: a status and a body written as JSON, or as is when it is a {@link Text}.
 *
 * @param status the HTTP status
 * @param body the value to write as JSON, or a {@link Text}
 */
record Reply(int status, Object body) {
  /**
   * A body that is not JSON, such as the Prometheus exposition format.
   *
   * @param contentType the response's content type
   * @param text the body
   */
  record Text(String contentType, String text) {}

  static Reply ok(Object body) {
    return new Reply(200, body);
  }

  static Reply created(Object body) {
    return new Reply(201, body);
  }
}
