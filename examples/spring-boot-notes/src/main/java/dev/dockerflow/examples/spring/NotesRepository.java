package dev.dockerflow.examples.spring;

import dev.dockerflow.examples.notes.Note;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;

/** Notes in the database; the count is cached in Redis for 30 s when the service has one. Thread-safe. */
@Repository
class NotesRepository {

    /** The longest note accepted. */
    static final int MAX_LENGTH = 2000;

    private static final Logger LOG = LoggerFactory.getLogger(NotesRepository.class);

    private final JdbcTemplate jdbc;
    private final Optional<RedisClient> redis;
    private final String countKey;

    NotesRepository(JdbcTemplate jdbc, Optional<RedisClient> redis, @Value("${spring.datasource.url}") String databaseUrl) {
        this.jdbc = jdbc;
        this.redis = redis;
        // one cached count per database, as in the other examples
        this.countKey = "dockerflow-example:notes:count:" + Integer.toHexString(databaseUrl.hashCode());
    }

    List<Note> newest(int limit) {
        return jdbc.query("SELECT id, body, created_at FROM notes ORDER BY created_at DESC, id DESC LIMIT ?",
                (rs, row) -> new Note(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant()), limit);
    }

    Note add(String body) {
        if (body == null || body.isBlank() || body.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a note needs 1 to " + MAX_LENGTH + " characters");
        }
        Instant now = Instant.now();
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO notes (body, created_at) VALUES (?, ?)", Statement.RETURN_GENERATED_KEYS);
            insert.setString(1, body);
            insert.setTimestamp(2, Timestamp.from(now));
            return insert;
        }, keys);
        // the keys' map ignores case: "id" on PostgreSQL, "ID" on H2
        Note note = new Note(((Number) keys.getKeys().get("id")).longValue(), body, now);
        redis.ifPresent(r -> {
            try {
                r.del(countKey);
            } catch (RuntimeException e) {
                LOG.warn("Redis unavailable, cached count not cleared: {}", e.getMessage());
            }
        });
        LOG.info("note {} added", note.id());
        return note;
    }

    long count() {
        if (redis.isPresent()) {
            try {
                String cached = redis.get().get(countKey);
                if (cached != null) {
                    return Long.parseLong(cached);
                }
            } catch (RuntimeException e) {
                LOG.warn("Redis unavailable, counting in the database: {}", e.getMessage());
            }
        }
        long count = jdbc.queryForObject("SELECT COUNT(*) FROM notes", Long.class);
        redis.ifPresent(r -> {
            try {
                r.set(countKey, Long.toString(count), SetParams.setParams().ex(30));
            } catch (RuntimeException e) {
                LOG.warn("Redis unavailable, count not cached: {}", e.getMessage());
            }
        });
        return count;
    }
}
