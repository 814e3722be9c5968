package dev.dockerflow.servlet;

import static dev.dockerflow.test.DockerflowConformanceKit.FRAMEWORK_ERROR_MESSAGE;
import static dev.dockerflow.test.DockerflowConformanceKit.MAPPED_STATUS;
import static dev.dockerflow.test.DockerflowConformanceKit.UNHANDLED_MESSAGE;

import dev.dockerflow.RequestId;
import dev.dockerflow.test.KitMappedException;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * The web application the tests run, written against the Servlet API alone so every
 * container runs the same one: the conformance kit's routes under {@code /kit/}, a few
 * asynchronous ones, the application's own error handling and a front servlet on {@code /}
 * (as a framework's dispatcher servlet would be).
 */
final class KitApplication implements ServletContainerInitializer {

    /** What answers paths no other servlet maps. */
    enum Front {
        /** An async-supported application servlet that answers 404 (a framework's dispatcher servlet). */
        APPLICATION,
        /** Nothing of the application: the container's own default servlet. */
        CONTAINER
    }

    /** Requests parked by {@code /kit/async-hold}, for the test to finish. */
    final BlockingQueue<AsyncContext> parked = new LinkedBlockingQueue<>();

    private final Consumer<ServletContext> dockerflow;
    private final Front front;

    private KitApplication(Consumer<ServletContext> dockerflow, Front front) {
        this.dockerflow = dockerflow;
        this.front = front;
    }

    /** The application with the filter registered the way code registers it. */
    static KitApplication with(DockerflowFilter filter) {
        return new KitApplication(filter::register, Front.APPLICATION);
    }

    /** The application whose Dockerflow set-up is {@code dockerflow} (or nothing at all), with a front servlet. */
    static KitApplication with(Consumer<ServletContext> dockerflow, Front front) {
        return new KitApplication(dockerflow, front);
    }

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        dockerflow.accept(context);
        FilterRegistration.Dynamic errors = context.addFilter("kit-error-handling", new ErrorHandling());
        errors.setAsyncSupported(true);
        errors.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC), true, "/*");
        ServletRegistration.Dynamic kit = context.addServlet("kit", new KitServlet(parked));
        kit.setAsyncSupported(true);
        kit.addMapping("/kit/*");
        if (front != Front.CONTAINER) {
            ServletRegistration.Dynamic frontServlet = context.addServlet("front", new FrontServlet());
            frontServlet.setAsyncSupported(true);
            frontServlet.addMapping("/");
        }
    }

    /**
     * The application's own error handling (it maps {@link KitMappedException}) and, standing
     * in for a framework, the answer to the framework's HTTP exception, recorded for the filter
     * as a framework records it.
     */
    private static final class ErrorHandling extends HttpFilter {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            try {
                chain.doFilter(request, response);
            } catch (KitMappedException e) {
                response.setStatus(MAPPED_STATUS);
                response.setContentType("text/plain");
                response.getWriter().write("mapped");
            } catch (KitHttpException e) {
                request.setAttribute(DockerflowFilter.EXCEPTION_ATTRIBUTE, e);
                response.sendError(e.status(), e.getMessage());
            }
        }
    }

    /** The kit's routes, and asynchronous ones. */
    private static final class KitServlet extends HttpServlet {
        @Serial
        private static final long serialVersionUID = 1L;

        private final transient BlockingQueue<AsyncContext> parked;

        KitServlet(BlockingQueue<AsyncContext> parked) {
            this.parked = parked;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String path = request.getPathInfo() == null ? "" : request.getPathInfo();
            boolean dispatched = request.getDispatcherType() == DispatcherType.ASYNC;
            switch (path) {
                case "/ok" -> text(response, "ok");
                case "/unhandled" -> throw new IllegalStateException(UNHANDLED_MESSAGE);
                case "/mapped" -> throw new KitMappedException();
                case "/request-id" -> text(response, RequestId.current().orElse("none"));
                case "/teapot" -> response.sendError(ServletContainer.ERROR_PAGE_STATUS);
                case "/illegal-argument" -> throw new IllegalArgumentException("bad input");
                // the error page, reached by the container's error dispatch
                case "/error-page" -> text(response, "error page " + RequestId.current().orElse("none"));
                // the request goes asynchronous; another thread dispatches it back to the container
                case "/async-dispatch" -> {
                    if (dispatched) {
                        text(response, "dispatched " + RequestId.current().orElse("none"));
                    } else {
                        AsyncContext async = request.startAsync();
                        Thread.ofPlatform().start(async::dispatch);
                    }
                }
                case "/async-unhandled" -> {
                    if (dispatched) {
                        throw new IllegalStateException("async: " + UNHANDLED_MESSAGE);
                    }
                    AsyncContext async = request.startAsync();
                    Thread.ofPlatform().start(async::dispatch);
                }
                // the request goes asynchronous and waits for the test to finish it
                case "/async-hold" -> parked.add(request.startAsync());
                default -> {
                    if (path.startsWith("/http-error/")) {
                        throw new KitHttpException(Integer.parseInt(path.substring("/http-error/".length())), FRAMEWORK_ERROR_MESSAGE);
                    }
                    response.sendError(HttpServletResponse.SC_NOT_FOUND);
                }
            }
        }

        private static void text(HttpServletResponse response, String text) throws IOException {
            response.setContentType("text/plain;charset=UTF-8");
            response.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Answers 404 for GET, and (as {@link HttpServlet} does) 405 for methods it does not serve. */
    private static final class FrontServlet extends HttpServlet {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
        }
    }
}
