package dev.dockerflow;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An answer to a Dockerflow request: status, headers and body, exactly as the
 * contract specifies. Adapters copy it onto their framework's response and decide
 * nothing themselves. {@code Content-Length} is not among the headers: it is
 * {@link #contentLength()}, which the adapter or its framework sets. For a {@code HEAD}
 * answer ({@link #withoutBody()}) the body is empty while {@code contentLength()} stays
 * the length of the {@code GET} answer's body.
 * Immutable and thread-safe.
 */
public final class DockerflowResponse {

    /** {@code Content-Type} of JSON answers. */
    public static final String APPLICATION_JSON = "application/json";
    /** {@code Content-Type} of text answers. */
    public static final String TEXT_PLAIN = "text/plain; charset=utf-8";

    private static final byte[] NO_BODY = new byte[0];

    private final int status;
    private final Map<String, String> headers;
    private final byte[] body;
    private final int contentLength;

    private DockerflowResponse(int status, Map<String, String> headers, byte[] body, int contentLength) {
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.contentLength = contentLength;
    }

    static DockerflowResponse of(int status, byte[] body, String... headerNamesAndValues) {
        Map<String, String> h = new LinkedHashMap<>();
        for (int i = 0; i < headerNamesAndValues.length; i += 2) {
            h.put(headerNamesAndValues[i], headerNamesAndValues[i + 1]);
        }
        return new DockerflowResponse(status, Collections.unmodifiableMap(h),
                body.length == 0 ? NO_BODY : body, body.length);
    }

    static DockerflowResponse text(int status, String text, String... headerNamesAndValues) {
        String[] all = new String[headerNamesAndValues.length + 2];
        all[0] = "Content-Type";
        all[1] = TEXT_PLAIN;
        System.arraycopy(headerNamesAndValues, 0, all, 2, headerNamesAndValues.length);
        return of(status, text.getBytes(StandardCharsets.UTF_8), all);
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
        return headers;
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

    /**
     * The answer to a {@code HEAD} request: same status, headers and
     * {@link #contentLength()}, no body.
     *
     * @return this answer without its body
     */
    public DockerflowResponse withoutBody() {
        return body.length == 0 ? this : new DockerflowResponse(status, headers, NO_BODY, contentLength);
    }

    @Override
    public String toString() {
        return "DockerflowResponse[" + status + ", " + headers + ", " + body.length + " of " + contentLength + " bytes]";
    }
}
