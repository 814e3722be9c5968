package dev.dockerflow.spring.boot;

import java.util.OptionalInt;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ResponseStatus;

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
        if (error instanceof ErrorResponse response) {
            return OptionalInt.of(response.getStatusCode().value());
        }
        ResponseStatus annotated = AnnotatedElementUtils.findMergedAnnotation(error.getClass(), ResponseStatus.class);
        return annotated == null ? OptionalInt.empty() : OptionalInt.of(annotated.code().value());
    }
}
