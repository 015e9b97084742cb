package io.fangroups.examples.http;

import io.fangroups.core.FanGroupsException;
import io.fangroups.rules.RuleException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches each exchange to the route matching its method and path, and turns every outcome into
 * a JSON response: the route's reply, an SDK refusal mapped by {@link ErrorStatus}, an
 * {@link HttpProblem}, or a 500 that is logged here and never shows a stack trace to the caller.
 */
final class Router {
  private static final Logger log = LoggerFactory.getLogger(Router.class);

  /** Answers one call. */
  @FunctionalInterface
  interface Handler {
    Reply handle(Call call);
  }

  private record Route(String method, PathTemplate path, Handler handler) {}

  private final List<Route> routes = new ArrayList<>();

  Router get(String path, Handler handler) {
    return add("GET", path, handler);
  }

  Router post(String path, Handler handler) {
    return add("POST", path, handler);
  }

  /** Every route as {@code "METHOD /path/{template}"}, in registration order: what the OpenAPI test checks. */
  List<String> routes() {
    return routes.stream().map(r -> r.method() + " " + r.path().template()).toList();
  }

  private Router add(String method, String path, Handler handler) {
    routes.add(new Route(method, PathTemplate.of(path), handler));
    return this;
  }

  /** Answers one exchange; only a failure to write the response is thrown. */
  void handle(Exchange exchange) throws IOException {
    Locale locale = Languages.pick(exchange.header("Accept-Language"));
    Reply reply;
    try {
      reply = dispatch(exchange);
    } catch (FanGroupsException e) {
      reply = new Reply(ErrorStatus.of(e.code()), ErrorBody.of(e, locale));
    } catch (HttpProblem e) {
      reply = new Reply(e.status(), ErrorBody.of(e));
    } catch (RuleException e) {
      reply = new Reply(ErrorStatus.BAD_REQUEST, ErrorBody.of(e));
    } catch (RuntimeException e) {
      log.error("unexpected failure on {} {}", exchange.method(), exchange.rawPath(), e);
      reply = new Reply(ErrorStatus.INTERNAL_ERROR,
          new ErrorBody("INTERNAL", "the server failed; the failure was logged", null));
    }
    send(exchange, reply, locale);
  }

  private Reply dispatch(Exchange exchange) {
    String path = exchange.rawPath();
    TreeSet<String> allowed = new TreeSet<>();
    for (Route route : routes) {
      Optional<Map<String, String>> variables = route.path().match(path);
      if (variables.isPresent()) {
        if (route.method().equals(exchange.method())) {
          return route.handler().handle(new Call(exchange, variables.get()));
        }
        allowed.add(route.method());
      }
    }
    if (allowed.isEmpty()) {
      throw new HttpProblem(ErrorStatus.NOT_FOUND, "ROUTE_NOT_FOUND", "no resource at " + path);
    }
    exchange.setHeader("Allow", String.join(", ", allowed));
    throw new HttpProblem(ErrorStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED",
        exchange.method() + " is not supported here; use " + String.join(" or ", allowed));
  }

  private static void send(Exchange exchange, Reply reply, Locale locale) throws IOException {
    byte[] body;
    if (reply.body() instanceof Reply.Text text) {
      body = text.text().getBytes(StandardCharsets.UTF_8);
      exchange.setHeader("Content-Type", text.contentType());
    } else {
      body = Json.write(reply.body());
      exchange.setHeader("Content-Type", "application/json; charset=utf-8");
    }
    exchange.setHeader("Content-Language", locale.getLanguage());
    exchange.setHeader("Vary", "Accept-Language");
    if (reply.status() == ErrorStatus.UNAUTHORIZED) {
      exchange.setHeader("WWW-Authenticate", "X-User-Id realm=\"fangroups-demo\"");
    }
    exchange.respond(reply.status(), body);
  }
}
