package dev.dockerflow;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * The whole answer to a request for a Dockerflow path: status, every header (the
 * request-ID echo and {@code Allow} included), body and {@code Content-Length}, for
 * {@code GET} and {@code HEAD} alike. Adapters copy it onto their framework's response
 * and decide nothing themselves.
 *
 * <p>{@code Content-Length} is not among {@link #headers()}: it is {@link #contentLength()},
 * which the adapter declares the way its framework does. For a {@code HEAD} answer the body
 * is empty while {@code contentLength()} is the length of the {@code GET} answer's body.
 *
 * <p>Immutable and thread-safe.
 */
public final class DockerflowResponse {

    /** {@code Content-Type} of JSON answers. */
    static final String APPLICATION_JSON = "application/json";
    /** {@code Content-Type} of text answers. */
    static final String TEXT_PLAIN = "text/plain; charset=utf-8";

    private static final byte[] NO_BODY = new byte[0];

    private final int status;
    /** Header names and values, alternating. */
    private final String[] headers;
    private final byte[] body;
    private final int contentLength;

    private DockerflowResponse(int status, String[] headers, byte[] body, int contentLength) {
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.contentLength = contentLength;
    }

    static DockerflowResponse of(int status, byte[] body, String... headerNamesAndValues) {
        return new DockerflowResponse(status, headerNamesAndValues.clone(), body.length == 0 ? NO_BODY : body, body.length);
    }

    static DockerflowResponse text(int status, String text, String... headerNamesAndValues) {
        String[] all = new String[headerNamesAndValues.length + 2];
        all[0] = "Content-Type";
        all[1] = TEXT_PLAIN;
        System.arraycopy(headerNamesAndValues, 0, all, 2, headerNamesAndValues.length);
        return of(status, text.getBytes(StandardCharsets.UTF_8), all);
    }

    /** This answer with one more header (replacing one of the same name), sharing the body. */
    DockerflowResponse withHeader(String name, String value) {
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase(name)) {
                String[] replaced = headers.clone();
                replaced[i + 1] = value;
                return new DockerflowResponse(status, replaced, body, contentLength);
            }
        }
        String[] more = Arrays.copyOf(headers, headers.length + 2);
        more[headers.length] = name;
        more[headers.length + 1] = value;
        return new DockerflowResponse(status, more, body, contentLength);
    }

    /**
     * The answer to a {@code HEAD} request: same status, headers and
     * {@link #contentLength()}, no body.
     */
    DockerflowResponse withoutBody() {
        return body.length == 0 ? this : new DockerflowResponse(status, headers, NO_BODY, contentLength);
    }

    /**
     * The HTTP status code.
     *
     * @return the status
     */
    public int status() {
        return status;
    }

    /**
     * The headers to set, in order, besides {@code Content-Length}.
     *
     * @return an unmodifiable map of header name to value
     */
    public Map<String, String> headers() {
        Map<String, String> map = new LinkedHashMap<>();
        forEachHeader(map::put);
        return Collections.unmodifiableMap(map);
    }

    /**
     * Hands every header, in order, to {@code action}, without building a map.
     *
     * @param action receives each header's name and value
     */
    public void forEachHeader(BiConsumer<String, String> action) {
        Objects.requireNonNull(action, "action");
        for (int i = 0; i < headers.length; i += 2) {
            action.accept(headers[i], headers[i + 1]);
        }
    }

    /**
     * The value of one header.
     *
     * @param name the header name, case-insensitive
     * @return the value, or empty when absent
     */
    public java.util.Optional<String> header(String name) {
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase(name)) {
                return java.util.Optional.of(headers[i + 1]);
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * The body bytes.
     *
     * @return a copy of the body; an empty array when there is none
     */
    public byte[] body() {
        return body.length == 0 ? NO_BODY : body.clone();
    }

    /**
     * The body as UTF-8 text.
     *
     * @return the body text
     */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The number of body bytes this answer carries (0 for a {@code HEAD} answer).
     *
     * @return the number of body bytes
     */
    public int bodyLength() {
        return body.length;
    }

    /**
     * The value of {@code Content-Length}: the body's length, or for a {@code HEAD}
     * answer the length the {@code GET} answer's body has.
     *
     * @return the content length to declare
     */
    public int contentLength() {
        return contentLength;
    }

    /**
     * Writes the body without copying it.
     *
     * @param out where to write
     * @throws IOException if writing fails
     */
    public void writeBody(OutputStream out) throws IOException {
        Objects.requireNonNull(out, "out").write(body);
    }

    @Override
    public String toString() {
        return "DockerflowResponse[" + status + ", " + headers() + ", " + body.length + " of " + contentLength + " bytes]";
    }
}
