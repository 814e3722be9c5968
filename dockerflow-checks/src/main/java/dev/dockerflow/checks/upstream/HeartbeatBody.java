package dev.dockerflow.checks.upstream;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads the top-level {@code status} member of a Dockerflow heartbeat body, and nothing else:
 * a small strict JSON reader, so this package needs no JSON library. Anything that is not one
 * JSON object with a string {@code status} gives empty.
 */
final class HeartbeatBody {

    private static final int MAX_DEPTH = 32;

    private final String text;
    private int at;

    private HeartbeatBody(String text) {
        this.text = text;
    }

    /** The {@code status} text of a heartbeat body, if it is a JSON object that has one. */
    static Optional<String> status(byte[] body) {
        HeartbeatBody reader = new HeartbeatBody(new String(body, StandardCharsets.UTF_8));
        try {
            reader.space();
            String status = reader.topLevelObject();
            reader.space();
            return reader.at == reader.text.length() ? Optional.ofNullable(status) : Optional.empty();
        } catch (IllegalArgumentException | IndexOutOfBoundsException notJson) {
            return Optional.empty();
        }
    }

    private String topLevelObject() {
        expect('{');
        String status = null;
        space();
        if (peek() == '}') {
            at++;
            return null;
        }
        while (true) {
            space();
            String name = string();
            space();
            expect(':');
            space();
            if (name.equals("status") && peek() == '"') {
                status = string();
            } else {
                value(1);
            }
            space();
            char c = next();
            if (c == '}') {
                return status;
            }
            if (c != ',') {
                throw new IllegalArgumentException("expected , or }");
            }
        }
    }

    private void value(int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("too deep");
        }
        char c = peek();
        switch (c) {
            case '{' -> container('}', depth, true);
            case '[' -> container(']', depth, false);
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        }
    }

    private void container(char close, int depth, boolean members) {
        at++;
        space();
        if (peek() == close) {
            at++;
            return;
        }
        while (true) {
            space();
            if (members) {
                string();
                space();
                expect(':');
                space();
            }
            value(depth + 1);
            space();
            char c = next();
            if (c == close) {
                return;
            }
            if (c != ',') {
                throw new IllegalArgumentException("expected , or " + close);
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw new IllegalArgumentException("control character in string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    at += 4;
                }
                default -> throw new IllegalArgumentException("bad escape");
            }
        }
    }

    private void number() {
        int start = at;
        if (peek() == '-') {
            at++;
        }
        while (at < text.length() && "0123456789.eE+-".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
        String number = text.substring(start, at);
        if (number.isEmpty() || number.equals("-")) {
            throw new IllegalArgumentException("expected a value");
        }
        Double.parseDouble(number);
    }

    private void literal(String word) {
        if (!text.startsWith(word, at)) {
            throw new IllegalArgumentException("expected " + word);
        }
        at += word.length();
    }

    private void space() {
        while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
    }

    private char peek() {
        return text.charAt(at);
    }

    private char next() {
        return text.charAt(at++);
    }

    private void expect(char c) {
        if (next() != c) {
            throw new IllegalArgumentException("expected " + c);
        }
    }
}
