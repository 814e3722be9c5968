package dev.dockerflow;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The contents of a service's {@code version.json}: the conventional members
 * {@code source}, {@code version}, {@code commit} and {@code build}, and any others,
 * all kept in their order and served unchanged by {@code /__version__}.
 * Immutable and thread-safe.
 */
public final class VersionInfo {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();
    private static final TypeReference<LinkedHashMap<String, Object>> MEMBERS = new TypeReference<>() {
    };

    /** Prefixes of Jackson's messages and what we say instead; the message itself is never shown. */
    private static final String[][] KINDS = {
        {"Trailing token", "more content after the JSON value"},
        {"Unexpected end-of-input", "the input ends inside a value"},
        {"Unrecognized token", "a word that is not a JSON value"},
        {"Unexpected character", "an unexpected character"},
        {"Unexpected close marker", "a closing bracket that does not match"},
        {"Illegal unquoted character", "a control character inside a string"},
        {"Illegal character", "an unexpected character"},
        {"Invalid UTF-8", "bytes that are not valid UTF-8"},
        {"Invalid numeric value", "a malformed number"},
        {"Numeric value", "a number out of range"},
        {"Unrecognized character escape", "an invalid escape in a string"},
    };

    private final Map<String, Object> members;
    private final byte[] json;

    private VersionInfo(Map<String, Object> members, byte[] json) {
        this.members = Collections.unmodifiableMap(members);
        this.json = json;
    }

    /**
     * Parses the bytes of a {@code version.json}. The message of the exception names the
     * kind of failure and where parsing stopped (line, column, byte), never the content, so
     * that logging it cannot leak what a wrong file holds.
     *
     * @param json UTF-8 JSON
     * @return the version
     * @throws VersionException if the bytes are not one JSON object
     */
    public static VersionInfo parse(byte[] json) {
        Objects.requireNonNull(json, "json");
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JacksonException e) {
            // Jackson's own messages quote the offending text: keep neither them nor the exception.
            throw new VersionException("version.json is not valid JSON: " + kindOf(e) + where(e.getLocation()));
        } catch (java.io.IOException e) {
            // Jackson's encoding errors are plain IOExceptions whose messages name the bad bytes.
            throw new VersionException("version.json is not valid JSON: not readable as UTF-8, UTF-16 or UTF-32 text");
        }
        if (node == null || node.isMissingNode()) {
            throw new VersionException("version.json must hold a JSON object, found no JSON value (the file is empty or blank)");
        }
        if (!node.isObject()) {
            throw new VersionException("version.json must hold a JSON object, found a JSON "
                    + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        Map<String, Object> members;
        try {
            members = MAPPER.convertValue(node, MEMBERS);
        } catch (IllegalArgumentException e) {
            throw new VersionException("version.json could not be turned into members");
        }
        return new VersionInfo(members, serialize(node));
    }

    /** A fixed description of what went wrong, chosen from the exception's type and the start of its message. */
    private static String kindOf(JacksonException e) {
        if (e instanceof StreamConstraintsException) {
            return "a value exceeds the parser's limits (nesting depth, number or text length)";
        }
        if (e instanceof JsonEOFException) {
            return "the input ends inside a value";
        }
        String message = String.valueOf(e.getOriginalMessage());
        for (String[] known : KINDS) {
            if (message.startsWith(known[0])) {
                return known[1];
            }
        }
        return "malformed JSON";
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        long offset = location.getByteOffset() >= 0 ? location.getByteOffset() : location.getCharOffset();
        // Jackson reports where it stopped reading, which is at or just after the fault.
        return "; parsing stopped at line " + location.getLineNr() + ", column " + location.getColumnNr()
                + (offset >= 0 ? " (byte " + offset + ")" : "");
    }

    /**
     * A version made in code, for example by a build plugin's generated constants.
     * Values must be JSON-friendly: strings, numbers, booleans, lists, maps, or {@code null}.
     *
     * @param members the members, in the order to serve them
     * @return the version
     * @throws VersionException if a value cannot be written as JSON
     */
    public static VersionInfo of(Map<String, ?> members) {
        Objects.requireNonNull(members, "members");
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>(members);
        try {
            return new VersionInfo(copy, MAPPER.writeValueAsBytes(copy));
        } catch (JacksonException e) {
            throw new VersionException("version members cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static byte[] serialize(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JacksonException e) {
            throw new VersionException("version.json could not be written back as JSON", e);
        }
    }

    /**
     * Every member, in order.
     *
     * @return an unmodifiable map
     */
    public Map<String, Object> members() {
        return members;
    }

    /**
     * The {@code source} member: the URL of the source repository.
     *
     * @return its text, if present and a string
     */
    public Optional<String> source() {
        return text("source");
    }

    /**
     * The {@code version} member: a release tag or version.
     *
     * @return its text, if present and a string
     */
    public Optional<String> version() {
        return text("version");
    }

    /**
     * The {@code commit} member: the source commit hash.
     *
     * @return its text, if present and a string
     */
    public Optional<String> commit() {
        return text("commit");
    }

    /**
     * The {@code build} member: a link to the build that made this artifact.
     *
     * @return its text, if present and a string
     */
    public Optional<String> build() {
        return text("build");
    }

    private Optional<String> text(String name) {
        return members.get(name) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /**
     * The members as compact UTF-8 JSON, as {@code /__version__} serves them.
     *
     * @return a copy of the JSON bytes
     */
    public byte[] toJson() {
        return json.clone();
    }

    byte[] jsonBytes() {
        return json;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionInfo v && members.equals(v.members);
    }

    @Override
    public int hashCode() {
        return members.hashCode();
    }

    @Override
    public String toString() {
        return "VersionInfo" + members;
    }
}
