package io.fangroups.examples.http;

/**
 * What a route answers: a status and a body written as JSON.
 *
 * @param status the HTTP status
 * @param body the value to write as JSON
 */
record Reply(int status, Object body) {
  static Reply ok(Object body) {
    return new Reply(200, body);
  }

  static Reply created(Object body) {
    return new Reply(201, body);
  }
}
