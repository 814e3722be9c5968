package dev.dockerflow.examples.notes;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Notes in the database; the count is cached in Redis when the service has one.
 * Thread-safe.
 */
public final class NotesStore {

    /** The longest note accepted. */
    public static final int MAX_LENGTH = 2000;

    private static final System.Logger LOG = System.getLogger(NotesStore.class.getName());

    private final DataSource dataSource;
    private final Optional<UnifiedJedis> redis;
    private final String countKey;

    NotesStore(DataSource dataSource, Optional<UnifiedJedis> redis, String databaseUrl) {
        this.dataSource = dataSource;
        this.redis = redis;
        // one cached count per database, so services on different databases never share it
        this.countKey = "dockerflow-example:notes:count:" + Integer.toHexString(databaseUrl.hashCode());
    }

    /**
     * The Redis key of the cached count.
     *
     * @return the key
     */
    public String countKey() {
        return countKey;
    }

    /**
     * The newest notes, newest first.
     *
     * @param limit how many at most
     * @return the notes
     * @throws SQLException if the database fails
     */
    public List<Note> newest(int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "SELECT id, body, created_at FROM notes ORDER BY created_at DESC, id DESC LIMIT ?")) {
            s.setInt(1, limit);
            List<Note> notes = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    notes.add(new Note(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant()));
                }
            }
            return notes;
        }
    }

    /**
     * Stores a note.
     *
     * @param body the text, 1 to {@value #MAX_LENGTH} characters
     * @return the stored note
     * @throws SQLException if the database fails
     * @throws IllegalArgumentException if the text is empty or too long
     */
    public Note add(String body) throws SQLException {
        if (body == null || body.isBlank() || body.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a note needs 1 to " + MAX_LENGTH + " characters");
        }
        Instant now = Instant.now();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO notes (body, created_at) VALUES (?, ?)",
                     Statement.RETURN_GENERATED_KEYS)) {
            s.setString(1, body);
            s.setTimestamp(2, Timestamp.from(now));
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                Note note = new Note(keys.getLong(1), body, now);
                redis.ifPresent(r -> forget(r));
                LOG.log(System.Logger.Level.INFO, "note {0} added", note.id());
                return note;
            }
        }
    }

    /**
     * How many notes there are (from Redis when cached there).
     *
     * @return the count
     * @throws SQLException if the database fails
     */
    public long count() throws SQLException {
        if (redis.isPresent()) {
            try {
                String cached = redis.get().get(countKey);
                if (cached != null) {
                    return Long.parseLong(cached);
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Redis unavailable, counting in the database: " + e.getMessage());
            }
        }
        long count;
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM notes");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            count = rs.getLong(1);
        }
        redis.ifPresent(r -> {
            try {
                r.set(countKey, Long.toString(count), SetParams.setParams().ex(30));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Redis unavailable, count not cached: " + e.getMessage());
            }
        });
        return count;
    }

    private void forget(UnifiedJedis r) {
        try {
            r.del(countKey);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Redis unavailable, cached count not cleared: " + e.getMessage());
        }
    }
}
