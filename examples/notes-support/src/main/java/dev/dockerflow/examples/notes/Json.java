package dev.dockerflow.examples.notes;

import java.util.List;
import java.util.stream.Collectors;

/** The little JSON the notes API writes. */
final class Json {

    private Json() {
    }

    static String string(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    static String notes(List<Note> notes) {
        return notes.stream().map(Note::toJson).collect(Collectors.joining(",", "[", "]"));
    }
}
