package dev.dockerflow.examples.notes;

import java.time.Instant;

/**
 * One note.
 *
 * @param id its id
 * @param body its text
 * @param createdAt when it was written
 */
public record Note(long id, String body, Instant createdAt) {

    /**
     * This note as a JSON object.
     *
     * @return {@code {"id":..,"body":..,"createdAt":..}}
     */
    public String toJson() {
        return "{\"id\":" + id + ",\"body\":" + Json.string(body) + ",\"createdAt\":\"" + createdAt + "\"}";
    }
}
