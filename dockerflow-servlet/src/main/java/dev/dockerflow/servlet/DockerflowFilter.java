package dev.dockerflow.servlet;

import dev.dockerflow.ActiveRequest;
import dev.dockerflow.Dockerflow;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Dockerflow for any Jakarta Servlet 6 container: answers {@code /__lbheartbeat__},
 * {@code /__version__}, {@code /__heartbeat__} (and {@code /__error__} when enabled) relative
 * to the context path, echoes the request ID and writes one request summary per request.
 *
 * <pre>{@code
 * DockerflowFilter.create(dockerflow).register(servletContext);
 * }</pre>
 *
 * <p>{@link #register(ServletContext)} maps it to {@code /*} ahead of every declared filter,
 * for {@code REQUEST}, {@code ASYNC} and {@code ERROR} dispatches, async-supported. A web
 * application that registers nothing gets it from this class's {@link ServletContainerInitializer}
 * (unless the context parameter {@value #AUTO_REGISTER_PARAMETER} is {@code false}), which
 * steps aside when the application declares or registers the filter itself. A filter
 * given no {@link Dockerflow} in code uses the one in the servlet-context attribute
 * {@value #DOCKERFLOW_ATTRIBUTE}, else builds one from the environment and closes it in
 * {@link #destroy()}; a {@code Dockerflow} handed in is the application's to close.
 *
 * <p>Thread-safe once initialized.
 */
public final class DockerflowFilter implements Filter, ServletContainerInitializer {

    /** Servlet-context attribute holding the {@link Dockerflow} a filter given none in code uses. */
    public static final String DOCKERFLOW_ATTRIBUTE = "dev.dockerflow.Dockerflow";

    /**
     * Request attribute where a framework that answered an exception itself (with its own
     * error response) records that exception, so the summary can tell whether the request raised.
     */
    public static final String EXCEPTION_ATTRIBUTE = "dev.dockerflow.servlet.exception";

    /** Context parameter that, set to {@code false}, keeps the initializer from registering the filter. */
    public static final String AUTO_REGISTER_PARAMETER = "dev.dockerflow.servlet.autoRegister";

    /** The name {@link #register(ServletContext)} gives the filter. */
    public static final String FILTER_NAME = "dockerflow";

    static final String INITIALIZER_FILTER_NAME = "dockerflow-initializer";
    private static final System.Logger LOGGER = System.getLogger(DockerflowFilter.class.getName());

    private final boolean byInitializer;
    private final Function<Throwable, OptionalInt> frameworkStatus;
    private final AtomicBoolean toldWhyNotAsync = new AtomicBoolean();
    private Dockerflow dockerflow;
    private String name;
    private boolean owned;
    private boolean passThrough;

    /**
     * For containers: a {@code web.xml} declaration and the {@link ServletContainerInitializer}
     * service. Code uses {@link #create(Dockerflow)}.
     */
    public DockerflowFilter() {
        this(null, error -> OptionalInt.empty(), false);
    }

    private DockerflowFilter(Dockerflow dockerflow, Function<Throwable, OptionalInt> frameworkStatus, boolean byInitializer) {
        this.dockerflow = dockerflow;
        this.frameworkStatus = frameworkStatus;
        this.byInitializer = byInitializer;
    }

    /**
     * The filter for a Dockerflow.
     *
     * @param dockerflow the service's Dockerflow; the application closes it when it stops
     * @return the filter
     */
    public static DockerflowFilter create(Dockerflow dockerflow) {
        return new DockerflowFilter(Objects.requireNonNull(dockerflow, "dockerflow"), error -> OptionalInt.empty(), false);
    }

    /**
     * This filter, reading the HTTP status a framework's own HTTP exception carries (Spring's
     * {@code ResponseStatusException}, say), so the summary tells an ordinary 4xx answer from a
     * raised request. By default no exception is one.
     *
     * @param status the exception's status, or empty when it is not such an exception
     * @return a new filter
     */
    public DockerflowFilter withFrameworkStatus(Function<Throwable, OptionalInt> status) {
        return new DockerflowFilter(dockerflow, Objects.requireNonNull(status, "status"), byInitializer);
    }

    /**
     * Adds this filter to a servlet context as {@value #FILTER_NAME}, first in the chain.
     * Call it while the context starts (a {@link ServletContainerInitializer}, or a
     * {@code ServletContextListener} declared in {@code web.xml}).
     *
     * @param context the servlet context
     * @return the registration
     * @throws IllegalStateException if a filter of that name is already registered
     */
    public FilterRegistration.Dynamic register(ServletContext context) {
        return register(context, FILTER_NAME);
    }

    private FilterRegistration.Dynamic register(ServletContext context, String name) {
        FilterRegistration.Dynamic registration = context.addFilter(name, this);
        if (registration == null) {
            throw new IllegalStateException("A filter named " + name + " is already registered in '" + context.getContextPath() + "'");
        }
        registration.setAsyncSupported(true);
        registration.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR), false, "/*");
        return registration;
    }

    /** Registers a filter from the environment, unless turned off or the application declares one itself. */
    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        if (!"false".equalsIgnoreCase(context.getInitParameter(AUTO_REGISTER_PARAMETER)) && othersRegistered(context, "") == 0) {
            new DockerflowFilter(null, frameworkStatus, true).register(context, INITIALIZER_FILTER_NAME);
        }
    }

    private static long othersRegistered(ServletContext context, String except) {
        return context.getFilterRegistrations().values().stream()
                .filter(r -> DockerflowFilter.class.getName().equals(r.getClassName()) && !r.getName().equals(except)).count();
    }

    @Override
    public void init(FilterConfig config) {
        ServletContext context = config.getServletContext();
        name = config.getFilterName();
        passThrough = byInitializer && othersRegistered(context, config.getFilterName()) > 0;
        if (dockerflow != null || passThrough) {
            return;
        }
        if (context.getAttribute(DOCKERFLOW_ATTRIBUTE) instanceof Dockerflow given) {
            dockerflow = given;
        } else {
            dockerflow = Dockerflow.builder().build(); // from the environment; a bad value stops the application here
            owned = true;
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (passThrough || !(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            chain.doFilter(req, res);
        } else if (request.getAttribute(Exchange.ATTRIBUTE) instanceof Exchange started) {
            started.dispatch(chain, request, response);
        } else if (request.getDispatcherType() != DispatcherType.REQUEST) {
            chain.doFilter(req, res);
        } else {
            start(request, response, chain);
        }
    }

    private void start(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        ActiveRequest active = dockerflow.startRequest(new ServletRequestView(request, frameworkStatus));
        Exchange exchange = new Exchange(active, request, response);
        request.setAttribute(Exchange.ATTRIBUTE, exchange);
        active.forEachResponseHeader(response::setHeader);
        try {
            if (!active.isDockerflowPath()) {
                chain.doFilter(request, response);
            } else if (!active.answerMayWait()) {
                Exchange.copy(active.answer(), response);
            } else if (request.isAsyncSupported()) {
                exchange.answerLater(request.startAsync(), active.answerAsync());
            } else {
                explainWhyNotAsync(request);
                Exchange.copy(active.answer(), response);
            }
        } catch (IOException | ServletException | RuntimeException | Error e) {
            exchange.thrown(e);
            throw e;
        } finally {
            exchange.dispatchEnded();
            active.close();
        }
    }

    private void explainWhyNotAsync(HttpServletRequest request) {
        if (toldWhyNotAsync.compareAndSet(false, true)) {
            LOGGER.log(System.Logger.Level.WARNING, () -> request.getRequestURI() + " waits for its checks on a container thread:"
                    + " the request cannot go asynchronous, as the filter '" + name + "' or a filter before it is not"
                    + " async-supported (web.xml: <async-supported>true</async-supported>); logged once");
        }
    }

    /** Closes the Dockerflow this filter built; one handed in is left open. */
    @Override
    public void destroy() {
        if (owned) {
            dockerflow.close();
        }
    }

    @Override
    public String toString() {
        return "DockerflowFilter[" + (passThrough ? "pass-through" : dockerflow == null ? "not initialized" : dockerflow.config()) + "]";
    }
}
