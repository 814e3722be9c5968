package dev.dockerflow.examples.jaxrs;

import dev.dockerflow.examples.notes.Note;
import dev.dockerflow.examples.notes.NotesStore;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.stream.Collectors;

/** {@code GET /notes}, {@code POST /notes} (text body), {@code GET /notes/count}. */
@Path("/notes")
@Produces(MediaType.APPLICATION_JSON)
public class NotesResource {

    private final NotesStore notes;

    NotesResource(NotesStore notes) {
        this.notes = notes;
    }

    /**
     * The newest notes.
     *
     * @param limit how many, 1 to 100
     * @return a JSON array
     * @throws SQLException if the database fails
     */
    @GET
    public String list(@QueryParam("limit") @DefaultValue("20") int limit) throws SQLException {
        return notes.newest(Math.min(Math.max(limit, 1), 100)).stream()
                .map(Note::toJson).collect(Collectors.joining(",", "[", "]"));
    }

    /**
     * Adds a note.
     *
     * @param body the note's text
     * @return {@code 201} with the note
     * @throws SQLException if the database fails
     */
    @POST
    public Response add(String body) throws SQLException {
        return Response.status(Response.Status.CREATED).entity(notes.add(body).toJson()).build();
    }

    /**
     * How many notes there are.
     *
     * @return {@code {"count": n}}
     * @throws SQLException if the database fails
     */
    @GET
    @Path("/count")
    public String count() throws SQLException {
        return "{\"count\":" + notes.count() + "}";
    }
}
