package dev.dockerflow.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerflow.Dockerflow;
import dev.dockerflow.DockerflowConfig;
import dev.dockerflow.RequestSummarySink;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The module README's registration snippets, run as written against real servers. */
class ReadmeExampleTest {

    @TempDir
    Path temp;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void tomcatSnippetServesTheEndpoints() throws Exception {
        try (Dockerflow dockerflow = dockerflow()) {
            Tomcat tomcat = new Tomcat();
            tomcat.setBaseDir(temp.toString());
            Connector connector = new Connector();
            connector.setPort(0);
            connector.setProperty("address", "127.0.0.1");
            tomcat.setConnector(connector);
            String docBase = Files.createDirectories(temp.resolve("webapp")).toString();
            // README: Tomcat
            Context context = tomcat.addContext("", docBase);
            Tomcat.addServlet(context, "default", new DefaultServlet()).addMapping("/"); // Tomcat runs no filter where no servlet is mapped
            context.addServletContainerInitializer(
                    (classes, servletContext) -> DockerflowFilter.create(dockerflow).register(servletContext), null);
            // end README
            tomcat.start();
            try {
                assertServes(connector.getLocalPort());
            } finally {
                tomcat.stop();
                tomcat.destroy();
            }
        }
    }

    @Test
    void jettySnippetServesTheEndpoints() throws Exception {
        try (Dockerflow dockerflow = dockerflow()) {
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            server.addConnector(connector);
            // README: Jetty
            ServletContextHandler context = new ServletContextHandler("/");
            context.addServletContainerInitializer(
                    (classes, servletContext) -> DockerflowFilter.create(dockerflow).register(servletContext));
            server.setHandler(context);
            // end README
            server.start();
            try {
                assertServes(connector.getLocalPort());
            } finally {
                server.stop();
            }
        }
    }

    @Test
    void frameworkSnippetCompiles() {
        try (Dockerflow dockerflow = dockerflow()) {
            // README: frameworks (KitHttpException stands in for the framework's HTTP exception)
            DockerflowFilter filter = DockerflowFilter.create(dockerflow)
                    .withFrameworkStatus(e -> e instanceof KitHttpException http ? OptionalInt.of(http.status()) : OptionalInt.empty());
            // end README
            assertThat(filter).isNotNull();
        }
    }

    private static Dockerflow dockerflow() {
        return Dockerflow.builder()
                .config(DockerflowConfig.builder().environment(Map.of()).build())
                .check("database", List::of)
                .summarySink(RequestSummarySink.lines(line -> { }))
                .build();
    }

    private void assertServes(int port) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/__heartbeat__"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"database\":\"ok\"");
    }
}
