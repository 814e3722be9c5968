package dev.dockerflow.servlet;

import dev.dockerflow.Dockerflow;
import dev.dockerflow.test.DockerflowConformanceKit;
import dev.dockerflow.test.KitServer;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.catalina.Context;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.realm.GenericPrincipal;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.catalina.valves.ValveBase;
import org.apache.tomcat.util.descriptor.web.ErrorPage;

/** Embedded Tomcat 11 (Servlet 6.1), set up as a standalone Tomcat sets up a web application. */
final class TomcatContainer implements ServletContainer {

    @Override
    public KitServer start(Options options, ServletContainerInitializer... initializers) throws Exception {
        int threads = options.threads();
        Path base = Files.createTempDirectory("tomcat");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector("HTTP/1.1");
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("maxHttpHeaderSize", String.valueOf(64 * 1024));
        if (threads > 0) {
            connector.setProperty("maxThreads", String.valueOf(threads));
            connector.setProperty("minSpareThreads", String.valueOf(threads));
        }
        // hostile paths reach the application, as far as Tomcat can be told
        connector.setEncodedReverseSolidusHandling("passthrough");
        connector.setURIEncoding("ISO-8859-1"); // any bytes decode
        tomcat.setConnector(connector);
        ErrorReportValve errorPages = new ErrorReportValve();
        errorPages.setShowReport(false);
        errorPages.setShowServerInfo(false);
        tomcat.getHost().getPipeline().addValve(errorPages);
        Context context = tomcat.addContext("", Files.createDirectories(base.resolve("webapp")).toString());
        for (ServletContainerInitializer initializer : initializers) {
            context.addServletContainerInitializer(initializer, null);
        }
        // what Tomcat's conf/web.xml gives every web application: its default servlet on "/", unless the application maps "/"
        context.addServletContainerInitializer((classes, servletContext) -> {
            if (servletContext.getServletRegistrations().values().stream().noneMatch(r -> r.getMappings().contains("/"))) {
                servletContext.addServlet("default", DefaultServlet.class).addMapping("/");
            }
        }, null);
        context.getPipeline().addValve(new Authentication());
        if (options.errorPages()) {
            ErrorPage byStatus = new ErrorPage();
            byStatus.setErrorCode(ERROR_PAGE_STATUS);
            byStatus.setLocation(ERROR_PAGE);
            context.addErrorPage(byStatus);
            ErrorPage byException = new ErrorPage();
            byException.setExceptionType(IllegalArgumentException.class.getName());
            byException.setLocation(ERROR_PAGE);
            context.addErrorPage(byException);
        }
        if (options.drain() != null) {
            wireDrain(tomcat, options.drain());
        }
        tomcat.start();
        int port = connector.getLocalPort();
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        return new KitServer() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public void close() {
                if (closed.getAndSet(true)) {
                    return;
                }
                try {
                    tomcat.stop();
                    tomcat.destroy();
                } catch (LifecycleException e) {
                    throw new IllegalStateException(e);
                } finally {
                    delete(base);
                }
            }
        };
    }

    /** The module README's Tomcat shutdown drain, as written there. */
    private static void wireDrain(Tomcat tomcat, Dockerflow dockerflow) {
        // README: Tomcat drain
        tomcat.getServer().addLifecycleListener(event -> {
            if (Lifecycle.BEFORE_STOP_EVENT.equals(event.getType())) {
                try {
                    dockerflow.drainAndWait(); // the connectors still accept: /__lbheartbeat__ answers 503, all else is served
                } catch (InterruptedException e) {
                    // the drain ends early and the stop goes on; not set again, so the grace period stays whole
                }
            } else if (Lifecycle.AFTER_STOP_EVENT.equals(event.getType())) {
                dockerflow.close(); // summarizes any request the stop cut off
            }
        });
        // end README
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Tomcat's own way of knowing a user: the principal on its request, as its authenticators set it. */
    private static final class Authentication extends ValveBase {
        Authentication() {
            super(true);
        }

        @Override
        public void invoke(Request request, Response response) throws IOException, ServletException {
            String user = request.getHeader(DockerflowConformanceKit.USER_HEADER);
            if (user != null && !user.isEmpty()) {
                request.setUserPrincipal(new GenericPrincipal(user, List.of()));
            }
            getNext().invoke(request, response);
        }
    }
}
