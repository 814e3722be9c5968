package dev.dockerflow.examples.spring;

import dev.dockerflow.examples.notes.Note;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** {@code GET /notes}, {@code POST /notes} (text body), {@code GET /notes/count}. */
@RestController
@RequestMapping(path = "/notes", produces = MediaType.APPLICATION_JSON_VALUE)
class NotesController {

    private final NotesRepository notes;

    NotesController(NotesRepository notes) {
        this.notes = notes;
    }

    /** The newest notes, newest first; {@code limit} kept between 1 and 100. */
    @GetMapping
    List<Note> list(@RequestParam(name = "limit", defaultValue = "20") int limit) {
        return notes.newest(Math.min(Math.max(limit, 1), 100));
    }

    /**
     * Adds a note: the body as-is, whatever its {@code Content-Type} (UTF-8 unless it names a
     * charset). A body that stops coming (its connection closed, by the client or by the
     * server's stop after the grace period) is raised as a 5xx, so that its summary reads as a
     * failure ({@code errno} 500, {@code Severity} 3, the reason in {@code msg}); Tomcat has
     * already marked the response {@code 400}, which stays its {@code code}. Spring alone would
     * summarize it as an ordinary {@code 400} that nobody received.
     */
    @PostMapping
    ResponseEntity<Note> add(HttpServletRequest request) {
        Charset charset = request.getCharacterEncoding() != null
                ? Charset.forName(request.getCharacterEncoding()) : StandardCharsets.UTF_8;
        String body;
        try {
            body = new String(request.getInputStream().readAllBytes(), charset);
        } catch (IOException e) {
            throw new ResponseStatusException(HttpStatus.INTERNAL_SERVER_ERROR, "the request body stopped coming", e);
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(notes.add(body));
    }

    /** How many notes there are: {@code {"count": n}}. */
    @GetMapping("/count")
    Map<String, Long> count() {
        return Map.of("count", notes.count());
    }

    /** A rejected note is the client's mistake: {@code 400} with the reason. */
    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<String> badNote(IllegalArgumentException e) {
        return ResponseEntity.badRequest().contentType(MediaType.TEXT_PLAIN).body(e.getMessage());
    }
}
