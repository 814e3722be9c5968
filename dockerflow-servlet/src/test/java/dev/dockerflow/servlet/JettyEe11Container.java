package dev.dockerflow.servlet;

import dev.dockerflow.test.KitServer;
import jakarta.servlet.ServletContainerInitializer;
import org.eclipse.jetty.ee11.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import java.io.IOException;
import java.io.Writer;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Embedded Jetty 12.1 with its ee11 servlet layer (Servlet 6.1). */
final class JettyEe11Container implements ServletContainer {

    @Override
    public KitServer start(Options options, ServletContainerInitializer... initializers) throws Exception {
        int threads = options.threads();
        // one acceptor and one selector thread besides the ones that serve requests
        QueuedThreadPool pool = threads > 0 ? new QueuedThreadPool(threads + 2, threads + 2) : new QueuedThreadPool();
        pool.setReservedThreads(0);
        Server server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(64 * 1024);
        http.setSendServerVersion(false);
        http.setUriCompliance(UriCompliance.UNSAFE); // hostile paths reach the application
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        for (ServletContainerInitializer initializer : initializers) {
            context.addServletContainerInitializer(initializer);
        }
        ErrorPageErrorHandler errorPages = new ErrorPageErrorHandler() {
            {
                setShowStacks(false);
                setShowCauses(false);
                setShowMessageInTitle(false);
            }

            @Override
            protected void writeErrorHtmlMessage(Request request, Writer writer, int code, String message, Throwable cause,
                    String uri) throws IOException {
                // the status alone: Jetty's page would show the exception's class and message
                super.writeErrorHtmlMessage(request, writer, code, null, null, uri);
            }
        };
        if (options.errorPages()) {
            errorPages.addErrorPage(ERROR_PAGE_STATUS, ERROR_PAGE);
            errorPages.addErrorPage(IllegalArgumentException.class, ERROR_PAGE);
        }
        context.setErrorHandler(errorPages);
        GracefulHandler graceful = new GracefulHandler(new JettyAuthentication(context));
        graceful.setShutdownIdleTimeout(50); // idle keep-alive connections need not hold the stop
        server.setHandler(graceful);
        server.setStopTimeout(10_000);
        if (options.drain() != null) {
            JettyDrain.wire(server, options.drain());
        }
        server.start();
        int port = connector.getLocalPort();
        return new KitServer() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public void close() {
                try {
                    server.stop();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }
}
