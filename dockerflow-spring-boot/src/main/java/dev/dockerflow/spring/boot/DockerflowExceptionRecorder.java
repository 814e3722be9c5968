package dev.dockerflow.spring.boot;

import dev.dockerflow.servlet.DockerflowFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Records, in the request attribute {@value DockerflowFilter#EXCEPTION_ATTRIBUTE}, each of
 * Spring's own HTTP exceptions that Spring MVC then answers itself (with the status it
 * carries), so the request summary says whether the request raised: a 5xx one did, a 4xx one
 * is an ordinary answer. It resolves nothing: it runs first and hands every exception on to
 * Spring's resolvers. Other exceptions need no record: those the application's
 * {@code @ExceptionHandler} answers were handled, and those nothing answers escape to the
 * filter. Thread-safe.
 */
public final class DockerflowExceptionRecorder implements HandlerExceptionResolver, Ordered {

    DockerflowExceptionRecorder() {
    }

    @Override
    public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler, Exception error) {
        SpringHttpExceptions.status(error).ifPresent(
                status -> request.setAttribute(DockerflowFilter.EXCEPTION_ATTRIBUTE, SpringHttpExceptions.answered(error, status)));
        return null;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
