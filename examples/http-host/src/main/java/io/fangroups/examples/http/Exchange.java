package io.fangroups.examples.http;

import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/** One HTTP request and its response, as the router and the routes see it, whatever server carries it. */
interface Exchange {
  String method();

  /** The path as sent, still percent-encoded. */
  String rawPath();

  /** The query as sent, still percent-encoded; null when there is none. */
  @Nullable String rawQuery();

  /** The first value of a request header; null when absent. */
  @Nullable String header(String name);

  /** The address the call came from. */
  String remoteAddress();

  /** The request body. */
  InputStream body() throws IOException;

  /** Sets a response header. */
  void setHeader(String name, String value);

  /** Sends the response with the headers set so far; called once. */
  void respond(int status, byte[] body) throws IOException;
}
