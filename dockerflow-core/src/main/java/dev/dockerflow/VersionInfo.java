package dev.dockerflow;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.util.Collections;
import java.util.LinkedHashMap;
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

    private final Map<String, Object> members;
    private final byte[] json;

    private VersionInfo(Map<String, Object> members, byte[] json) {
        this.members = Collections.unmodifiableMap(members);
        this.json = json;
    }

    /**
     * Parses the bytes of a {@code version.json}.
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
            throw new VersionException("version.json is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (java.io.IOException e) {
            throw new VersionException("version.json could not be read", e);
        }
        if (node == null || !node.isObject()) {
            String what = node == null || node.isMissingNode() ? "empty" : "a JSON " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
            throw new VersionException("version.json must hold a JSON object, found " + what);
        }
        return new VersionInfo(MAPPER.convertValue(node, MEMBERS), serialize(node));
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
