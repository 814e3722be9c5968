package dev.dockerflow.spring.boot;

import java.util.OptionalInt;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * Spring's own HTTP exceptions and their status: every {@link ErrorResponse}
 * ({@code ResponseStatusException}, {@code HttpRequestMethodNotSupportedException},
 * {@code NoResourceFoundException}, ...) and every exception class annotated with
 * {@link ResponseStatus}.
 */
final class SpringHttpExceptions {

    /** Whether Spring Web is on the class path. */
    static final boolean PRESENT = ClassUtils.isPresent("org.springframework.web.ErrorResponse", SpringHttpExceptions.class.getClassLoader());

    private SpringHttpExceptions() {
    }

    static OptionalInt status(Throwable error) {
        if (error instanceof Answered answered) {
            return OptionalInt.of(answered.status);
        }
        if (error instanceof ErrorResponse response) {
            return OptionalInt.of(response.getStatusCode().value());
        }
        ResponseStatus annotated = AnnotatedElementUtils.findMergedAnnotation(error.getClass(), ResponseStatus.class);
        return annotated == null ? OptionalInt.empty() : OptionalInt.of(annotated.code().value());
    }

    /**
     * What the summary records of an exception Spring answered itself: its status, and as
     * {@code msg} the message the application gave it (a {@code ResponseStatusException}'s
     * reason, an {@code ErrorResponse}'s detail, an annotation's reason) rather than Spring's
     * {@code 503 SERVICE_UNAVAILABLE "reason"}; the exception itself is the cause.
     */
    static Throwable answered(Throwable error, int status) {
        String message = null;
        if (error instanceof ResponseStatusException e) {
            message = e.getReason();
        } else if (error instanceof ErrorResponse e) {
            message = e.getBody().getDetail();
        } else if (AnnotatedElementUtils.findMergedAnnotation(error.getClass(), ResponseStatus.class) instanceof ResponseStatus a
                && !a.reason().isEmpty()) {
            message = a.reason();
        }
        return new Answered(message != null ? message : error.getMessage(), status, error);
    }

    /** An exception Spring answered with its status; carries no stack trace of its own. */
    static final class Answered extends RuntimeException {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        private final int status;

        Answered(String message, int status, Throwable cause) {
            super(message, cause, false, false);
            this.status = status;
        }
    }
}
