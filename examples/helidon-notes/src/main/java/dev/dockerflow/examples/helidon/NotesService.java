package dev.dockerflow.examples.helidon;

import dev.dockerflow.examples.notes.Note;
import dev.dockerflow.examples.notes.NotesStore;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.sql.SQLException;
import java.util.stream.Collectors;

/** {@code GET /notes}, {@code POST /notes} (text body), {@code GET /notes/count}. */
final class NotesService implements HttpService {

    private static final String JSON = "application/json";

    private final NotesStore notes;

    NotesService(NotesStore notes) {
        this.notes = notes;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .post("/", this::add)
                .get("/count", this::count);
    }

    private void list(ServerRequest req, ServerResponse res) throws SQLException {
        int limit = req.query().first("limit").map(Integer::parseInt).orElse(20);
        String body = notes.newest(Math.min(Math.max(limit, 1), 100)).stream()
                .map(Note::toJson).collect(Collectors.joining(",", "[", "]"));
        res.header(HeaderNames.CONTENT_TYPE, JSON).send(body);
    }

    private void add(ServerRequest req, ServerResponse res) throws SQLException {
        Note note = notes.add(req.content().hasEntity() ? req.content().as(String.class) : "");
        res.status(Status.CREATED_201).header(HeaderNames.CONTENT_TYPE, JSON).send(note.toJson());
    }

    private void count(ServerRequest req, ServerResponse res) throws SQLException {
        res.header(HeaderNames.CONTENT_TYPE, JSON).send("{\"count\":" + notes.count() + "}");
    }
}
