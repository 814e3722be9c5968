package dev.dockerflow.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small JSON writer for the shapes this library emits: objects of strings, whole
 * numbers, booleans and nested objects.
 *
 * <p>Every string is written as pure ASCII: quotes, backslashes, control characters
 * and every non-ASCII character are escaped as {@code \\uXXXX}; a lone surrogate,
 * which no UTF-8 text can hold, becomes U+FFFD. So whatever a client sends, the
 * output is one line of valid JSON. Not thread-safe; use one per output.
 */
public final class Json {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out;
    private boolean needComma;

    private Json(StringBuilder out) {
        this.out = out;
    }

    /**
     * Creates a writer with room for about {@code capacity} characters.
     *
     * @param capacity initial capacity
     * @return a new writer
     */
    public static Json create(int capacity) {
        return new Json(new StringBuilder(capacity));
    }

    /**
     * Creates a writer that appends to {@code out}.
     *
     * @param out where to write
     * @return a new writer
     */
    public static Json into(StringBuilder out) {
        return new Json(out);
    }

    /**
     * Creates a writer that appends members to {@code out}, inside an object that
     * already holds members when {@code afterMember} is {@code true} (so a comma comes first).
     *
     * @param out where to write
     * @param afterMember whether a member was written before
     * @return a new writer
     */
    public static Json into(StringBuilder out, boolean afterMember) {
        Json json = new Json(out);
        json.needComma = afterMember;
        return json;
    }

    /**
     * Starts an object, as a value or as the document.
     *
     * @return this writer
     */
    public Json beginObject() {
        separate();
        out.append('{');
        needComma = false;
        return this;
    }

    /**
     * Starts an object as the value of a member.
     *
     * @param name member name
     * @return this writer
     */
    public Json beginObject(String name) {
        name(name);
        out.append('{');
        needComma = false;
        return this;
    }

    /**
     * Ends the current object.
     *
     * @return this writer
     */
    public Json endObject() {
        out.append('}');
        needComma = true;
        return this;
    }

    /**
     * Writes a string member.
     *
     * @param name member name
     * @param value member value
     * @return this writer
     */
    public Json member(String name, String value) {
        name(name);
        string(out, value);
        needComma = true;
        return this;
    }

    /**
     * Writes a whole-number member.
     *
     * @param name member name
     * @param value member value
     * @return this writer
     */
    public Json member(String name, long value) {
        name(name);
        out.append(value);
        needComma = true;
        return this;
    }

    /**
     * Writes a member whose value is a string, number or boolean; any other object
     * is written as the string of its {@code toString()}, and {@code null} as JSON null.
     * Numbers that JSON cannot hold (NaN, infinities) are written as strings.
     *
     * @param name member name
     * @param value member value
     * @return this writer
     */
    public Json scalarMember(String name, Object value) {
        name(name);
        scalar(value);
        needComma = true;
        return this;
    }

    /**
     * Writes every entry of {@code members} with {@link #scalarMember(String, Object)}.
     *
     * @param members entries in the order to write
     * @return this writer
     */
    public Json scalarMembers(Map<String, ?> members) {
        for (Map.Entry<String, ?> e : members.entrySet()) {
            scalarMember(e.getKey(), e.getValue());
        }
        return this;
    }

    private void scalar(Object value) {
        switch (value) {
            case null -> out.append("null");
            case String s -> string(out, s);
            case Boolean b -> out.append(b.booleanValue());
            case Integer i -> out.append(i.intValue());
            case Long l -> out.append(l.longValue());
            case Short s -> out.append(s.shortValue());
            case Byte b -> out.append(b.byteValue());
            case Double d when Double.isFinite(d) -> out.append(d.doubleValue());
            case Float f when Float.isFinite(f) -> out.append(f.floatValue());
            case java.math.BigInteger b -> out.append(b);
            case java.math.BigDecimal b -> out.append(b.toString());
            default -> string(out, value.toString());
        }
    }

    private void name(String name) {
        separate();
        out.append(quotedName(name));
    }

    /** Member names seen so far, quoted and followed by a colon; bounded, as names are the code's. */
    private static final ConcurrentHashMap<String, String> QUOTED_NAMES = new ConcurrentHashMap<>();
    private static final int MAX_QUOTED_NAMES = 1024;

    private static String quotedName(String name) {
        String quoted = QUOTED_NAMES.get(name);
        if (quoted == null) {
            StringBuilder b = new StringBuilder(name.length() + 3);
            string(b, name);
            quoted = b.append(':').toString();
            if (QUOTED_NAMES.size() < MAX_QUOTED_NAMES) {
                QUOTED_NAMES.putIfAbsent(name, quoted);
            }
        }
        return quoted;
    }

    private void separate() {
        if (needComma) {
            out.append(',');
        }
    }

    @Override
    public String toString() {
        return out.toString();
    }

    /**
     * Appends {@code value} to {@code out} as a quoted, escaped, pure-ASCII JSON string.
     *
     * @param out where to append
     * @param value the text; {@code null} is written as an empty string
     */
    public static void string(StringBuilder out, String value) {
        out.append('"');
        if (value != null) {
            escapeInto(out, value);
        }
        out.append('"');
    }

    private static void escapeInto(StringBuilder out, String s) {
        int n = s.length();
        int plainStart = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                continue;
            }
            out.append(s, plainStart, i);
            plainStart = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                        unicode(out, c);
                        unicode(out, s.charAt(i + 1));
                        i++;
                        plainStart = i + 1;
                    } else if (Character.isSurrogate(c)) {
                        unicode(out, '\ufffd');
                    } else {
                        unicode(out, c);
                    }
                }
            }
        }
        out.append(s, plainStart, n);
    }

    private static void unicode(StringBuilder out, char c) {
        out.append("\\u")
                .append(HEX[(c >> 12) & 0xf])
                .append(HEX[(c >> 8) & 0xf])
                .append(HEX[(c >> 4) & 0xf])
                .append(HEX[c & 0xf]);
    }
}
