package dev.dockerflow.checks.upstream;

import dev.dockerflow.Check;
import dev.dockerflow.CheckMessage;
import dev.dockerflow.Level;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Checks another service that speaks Dockerflow: asks its {@code /__lbheartbeat__} whether it
 * is reachable, or its {@code /__heartbeat__} whether it is healthy, with the JDK's
 * {@link HttpClient}, and maps the answer to this service's levels.
 *
 * <table>
 *   <caption>Messages</caption>
 *   <tr><th>id</th><th>level</th><th>when</th></tr>
 *   <tr><td>{@value #UNREACHABLE_ID}</td><td>error</td><td>{@code Upstream <uri> is unreachable: ...}:
 *       refused, reset, unknown host, or no answer within the timeout</td></tr>
 *   <tr><td>{@value #FAILING_ID}</td><td>error</td><td>{@code Upstream <uri> is failing: ...}: its
 *       heartbeat {@code status} is {@code error} or {@code critical}, or it answered with a 5xx
 *       status (a {@code 503} from a draining {@code /__lbheartbeat__} included)</td></tr>
 *   <tr><td>{@value #UNEXPECTED_ID}</td><td>error</td><td>{@code Upstream <uri> answered unexpectedly: ...}:
 *       a redirect (never followed), a 4xx status such as the {@code 404} of a service that does
 *       not speak Dockerflow, or a heartbeat {@code status} that is no Dockerflow level</td></tr>
 *   <tr><td>{@value #WARNING_ID}</td><td>warning</td><td>{@code Upstream <uri> reports warning}: its
 *       heartbeat {@code status} is {@code warning}</td></tr>
 *   <tr><td>{@value #NO_STATUS_ID}</td><td>warning</td><td>{@code Upstream <uri> answered HTTP 200 without a
 *       heartbeat status}: a 2xx heartbeat whose body is not a JSON object with a {@code status}, as a
 *       proxy or another service at that address would answer</td></tr>
 * </table>
 *
 * <p>A heartbeat {@code status} of {@code ok}, {@code debug} or {@code info} is healthy; a 5xx
 * status is a failure whatever the body says. {@code /__lbheartbeat__} is healthy on any 2xx
 * status; its body is not read.
 *
 * <p>Nothing the upstream says reaches a message beyond its HTTP status and its {@code status}
 * level: not its details, not its body, not the target of a redirect. The upstream is named by
 * its base URI without user info, query or fragment. A base URI's user info is sent as HTTP
 * basic credentials and never shown; headers added with {@link #withHeader(String, String)}
 * (a token, say) are sent and never shown.
 *
 * <p>Timeouts: the request, from connecting to the last byte of the body, is bounded by
 * {@link #timeout()}, {@value #DEFAULT_TIMEOUT_MILLIS} ms unless changed with
 * {@link #withTimeout(Duration)}; a body is read up to {@value #MAX_BODY_BYTES} bytes. Redirects
 * are never followed: a client given with {@link #withHttpClient(HttpClient)} must not follow them.
 *
 * <p>Immutable and thread-safe.
 */
public final class UpstreamServiceCheck implements Check {

    /** The conventional registration name, {@value}; give each upstream a name of its own. */
    public static final String NAME = "check_upstream";

    /** Id reported when the upstream cannot be reached or does not answer in time. */
    public static final String UNREACHABLE_ID = "dockerflow.health.E015";

    /** Id reported when the upstream says it is failing. */
    public static final String FAILING_ID = "dockerflow.health.E016";

    /** Id reported when the upstream answers something a Dockerflow service would not. */
    public static final String UNEXPECTED_ID = "dockerflow.health.E017";

    /** Id reported when the upstream's heartbeat says {@code warning}. */
    public static final String WARNING_ID = "dockerflow.health.W003";

    /** Id reported when the upstream's heartbeat answers 2xx without a heartbeat status. */
    public static final String NO_STATUS_ID = "dockerflow.health.W004";

    /** The default longest wait for the whole request, in milliseconds. */
    public static final long DEFAULT_TIMEOUT_MILLIS = 2000;

    /** The most of a heartbeat body that is read. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    /** Which of the upstream's endpoints is asked. */
    public enum Probe {
        /** {@code /__lbheartbeat__}: is it up and taking requests? */
        LBHEARTBEAT("__lbheartbeat__"),
        /** {@code /__heartbeat__}: are it and its own backends healthy? */
        HEARTBEAT("__heartbeat__");

        private final String path;

        Probe(String path) {
            this.path = path;
        }
    }

    private final Probe probe;
    private final URI target;
    private final String shownAs;
    private final List<String> headers;
    private final HttpClient client;
    private final Duration timeout;
    private final String name;

    private UpstreamServiceCheck(Probe probe, URI target, String shownAs, List<String> headers, HttpClient client,
            Duration timeout, String name) {
        this.probe = probe;
        this.target = target;
        this.shownAs = shownAs;
        this.headers = List.copyOf(headers);
        this.client = client;
        this.timeout = timeout;
        this.name = name;
    }

    /**
     * A check that asks {@code baseUri + "/__heartbeat__"} whether the upstream is healthy, named
     * {@value #NAME}.
     *
     * @param baseUri the upstream's base, e.g. {@code http://orders.internal:8000} or
     *     {@code https://api.example.org/orders/}
     * @return the check
     * @throws IllegalArgumentException if the URI is not an absolute http or https URI with a
     *     host, or has a query or a fragment
     */
    public static UpstreamServiceCheck heartbeat(URI baseUri) {
        return of(Probe.HEARTBEAT, baseUri);
    }

    /**
     * A check that asks {@code baseUri + "/__lbheartbeat__"} whether the upstream is reachable,
     * named {@value #NAME}.
     *
     * @param baseUri the upstream's base
     * @return the check
     * @throws IllegalArgumentException as {@link #heartbeat(URI)}
     */
    public static UpstreamServiceCheck lbheartbeat(URI baseUri) {
        return of(Probe.LBHEARTBEAT, baseUri);
    }

    /**
     * A check that asks the given endpoint of the upstream at {@code baseUri}, named {@value #NAME}.
     *
     * @param probe which endpoint to ask
     * @param baseUri the upstream's base
     * @return the check
     * @throws IllegalArgumentException as {@link #heartbeat(URI)}
     */
    public static UpstreamServiceCheck of(Probe probe, URI baseUri) {
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(baseUri, "baseUri");
        String scheme = baseUri.getScheme() == null ? "" : baseUri.getScheme().toLowerCase(Locale.ROOT);
        String shownAs = shown(baseUri);
        if (!baseUri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || baseUri.getHost() == null) {
            throw new IllegalArgumentException("an upstream needs an absolute http or https URI with a host, got " + shownAs);
        }
        if (baseUri.getRawQuery() != null || baseUri.getRawFragment() != null) {
            throw new IllegalArgumentException("an upstream's base URI cannot have a query or a fragment, got " + shownAs);
        }
        String path = baseUri.getRawPath() == null ? "" : baseUri.getRawPath();
        String base = path.endsWith("/") ? path : path + "/";
        URI target;
        try {
            target = new URI(scheme, null, baseUri.getHost(), baseUri.getPort(), null, null, null)
                    .resolve(base + probe.path);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("an upstream's base URI cannot be used: " + shownAs, e);
        }
        List<String> headers = new ArrayList<>();
        if (baseUri.getRawUserInfo() != null) {
            headers.add("Authorization");
            headers.add("Basic " + Base64.getEncoder().encodeToString(
                    baseUri.getUserInfo().getBytes(StandardCharsets.UTF_8)));
        }
        HttpClient client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofMillis(DEFAULT_TIMEOUT_MILLIS))
                .build();
        return new UpstreamServiceCheck(probe, target, shownAs, headers, client, Duration.ofMillis(DEFAULT_TIMEOUT_MILLIS), NAME);
    }

    /** The URI as messages show it: scheme, host, port and path; no user info, query or fragment. */
    private static String shown(URI uri) {
        if (uri.getScheme() == null || uri.getHost() == null) {
            return "a URI without scheme or host";
        }
        StringBuilder text = new StringBuilder(uri.getScheme()).append("://").append(uri.getHost());
        if (uri.getPort() >= 0) {
            text.append(':').append(uri.getPort());
        }
        if (uri.getRawPath() != null) {
            text.append(uri.getRawPath());
        }
        return text.toString();
    }

    /**
     * A copy of this check registered under another name, such as {@code check_orders_service}.
     *
     * @param name the name to register the check under
     * @return a new check
     * @throws IllegalArgumentException if the name is blank
     */
    public UpstreamServiceCheck withName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a check needs a non-blank name, got '" + name + "'");
        }
        return new UpstreamServiceCheck(probe, target, shownAs, headers, client, timeout, name);
    }

    /**
     * A copy of this check that waits at most {@code timeout} for the whole request. Keep it below
     * the check's heartbeat timeout, so that the check reports what it waited for.
     *
     * @param timeout the longest wait, positive
     * @return a new check
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public UpstreamServiceCheck withTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the upstream check timeout must be positive, got " + timeout);
        }
        return new UpstreamServiceCheck(probe, target, shownAs, headers, client, timeout, name);
    }

    /**
     * A copy of this check that sends a header with every request, such as an
     * {@code Authorization} token; its value never appears in a message.
     *
     * @param header the header's name
     * @param value its value
     * @return a new check
     * @throws IllegalArgumentException if the JDK's client would refuse the header
     */
    public UpstreamServiceCheck withHeader(String header, String value) {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(value, "value");
        try {
            HttpRequest.newBuilder(target).header(header, value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the header '" + header + "' cannot be sent: " + e.getMessage(), e);
        }
        List<String> more = new ArrayList<>(headers);
        more.add(header);
        more.add(value);
        return new UpstreamServiceCheck(probe, target, shownAs, more, client, timeout, name);
    }

    /**
     * A copy of this check that sends its requests through {@code client}, for a proxy or TLS
     * settings of the service's own.
     *
     * @param client a client that never follows redirects
     * @return a new check
     * @throws IllegalArgumentException if {@code client} follows redirects
     */
    public UpstreamServiceCheck withHttpClient(HttpClient client) {
        Objects.requireNonNull(client, "client");
        if (client.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("an upstream check's client must not follow redirects, got one with "
                    + client.followRedirects());
        }
        return new UpstreamServiceCheck(probe, target, shownAs, headers, client, timeout, name);
    }

    /**
     * The name this check is meant to be registered under.
     *
     * @return {@value #NAME} unless another name was given
     */
    public String name() {
        return name;
    }

    /**
     * The longest the check waits for the whole request.
     *
     * @return the wait
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * The endpoint this check asks.
     *
     * @return the probe
     */
    public Probe probe() {
        return probe;
    }

    /**
     * Asks the upstream.
     *
     * @return empty when the upstream is healthy (or, for {@link Probe#LBHEARTBEAT}, reachable),
     *     else what is wrong
     * @throws InterruptedException if the heartbeat interrupts the check at its timeout
     */
    @Override
    public List<CheckMessage> run() throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target).GET().timeout(timeout)
                .header("Accept", "application/json");
        for (int i = 0; i < headers.size(); i += 2) {
            request.header(headers.get(i), headers.get(i + 1));
        }
        HttpResponse.BodyHandler<LimitedBody.Bytes> body = probe == Probe.HEARTBEAT
                ? LimitedBody.handler(MAX_BODY_BYTES)
                : info -> HttpResponse.BodySubscribers.replacing(new LimitedBody.Bytes(new byte[0], true));
        CompletableFuture<HttpResponse<LimitedBody.Bytes>> sending = client.sendAsync(request.build(), body);
        HttpResponse<LimitedBody.Bytes> response;
        try {
            response = sending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            sending.cancel(true);
            return List.of(unreachable("no answer within " + timeout.toMillis() + " ms"));
        } catch (InterruptedException e) {
            sending.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            return List.of(unreachable(reason(e.getCause())));
        }
        return judge(response.statusCode(), response.body());
    }

    private List<CheckMessage> judge(int status, LimitedBody.Bytes body) {
        if (status >= 300 && status < 400) {
            return List.of(unexpected("HTTP " + status + " redirect, not followed"));
        }
        if (status >= 500) {
            return List.of(failing(describeStatus(status, body)));
        }
        if (status < 200 || status >= 300) {
            return List.of(unexpected("HTTP " + status));
        }
        if (probe == Probe.LBHEARTBEAT) {
            return List.of();
        }
        Optional<String> reported = body.complete() ? HeartbeatBody.status(body.bytes()) : Optional.empty();
        if (reported.isEmpty()) {
            return List.of(CheckMessage.warning(NO_STATUS_ID, "Upstream " + shownAs + " answered HTTP " + status
                    + " without a heartbeat status"));
        }
        Optional<Level> level = level(reported.get());
        if (level.isEmpty()) {
            return List.of(unexpected("an unknown heartbeat status (HTTP " + status + ")"));
        }
        return switch (level.get()) {
            case OK, DEBUG, INFO -> List.of();
            case WARNING -> List.of(CheckMessage.warning(WARNING_ID, "Upstream " + shownAs
                    + " reports warning: heartbeat status \"warning\" (HTTP " + status + ")"));
            case ERROR, CRITICAL -> List.of(failing("heartbeat status \"" + level.get().text() + "\" (HTTP " + status + ")"));
        };
    }

    private String describeStatus(int status, LimitedBody.Bytes body) {
        if (probe == Probe.HEARTBEAT && body.complete()) {
            Optional<Level> level = HeartbeatBody.status(body.bytes()).flatMap(UpstreamServiceCheck::level);
            if (level.isPresent()) {
                return "heartbeat status \"" + level.get().text() + "\" (HTTP " + status + ")";
            }
        }
        return "HTTP " + status;
    }

    private static Optional<Level> level(String text) {
        for (Level level : Level.values()) {
            if (level.text().equals(text)) {
                return Optional.of(level);
            }
        }
        return Optional.empty();
    }

    private CheckMessage unreachable(String reason) {
        return CheckMessage.error(UNREACHABLE_ID, "Upstream " + shownAs + " is unreachable: " + reason);
    }

    private CheckMessage failing(String reason) {
        return CheckMessage.error(FAILING_ID, "Upstream " + shownAs + " is failing: " + reason);
    }

    private CheckMessage unexpected(String reason) {
        return CheckMessage.error(UNEXPECTED_ID, "Upstream " + shownAs + " answered unexpectedly: " + reason);
    }

    /** Why the request failed, in the JDK's words, without anything the upstream sent. */
    private String reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpConnectTimeoutException) {
                return "connecting took longer than " + timeout.toMillis() + " ms";
            }
            if (t instanceof HttpTimeoutException) {
                return "no answer within " + timeout.toMillis() + " ms";
            }
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof UnknownHostException) {
                return "unknown host";
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null || root.getMessage().isBlank() ? "" : ": " + root.getMessage().strip();
        if (message.length() > 200) {
            message = message.substring(0, 200) + "...";
        }
        return (root instanceof IOException ? "" : "failed: ") + root.getClass().getSimpleName() + message;
    }

    @Override
    public String toString() {
        return "UpstreamServiceCheck[" + name + ", " + probe.path + " of " + shownAs + ", timeout " + timeout.toMillis() + " ms]";
    }
}
