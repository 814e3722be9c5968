package dev.dockerflow.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dockerflow.Dockerflow;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Constants;
import org.apache.catalina.startup.ContextConfig;
import org.apache.catalina.startup.Tomcat;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A servlet container redeploys a web application without restarting: every thread the library
 * started must stop, and nothing may keep the application's class loader alive. Tomcat deploys
 * two web applications that bring the library in {@code WEB-INF} (so their class loaders load it)
 * and declare the filter in {@code web.xml}: one whose filter builds its Dockerflow from the
 * environment (writing summaries to standard output), one that hands the filter a Dockerflow with
 * a check through the servlet-context attribute. Both are started, used and stopped 20 times.
 */
class RedeployTest {

    private static final int RUNS = 20;
    private static final String[] PATHS = {"/__lbheartbeat__", "/__heartbeat__", "/__version__", "/missing"};

    @TempDir
    Path temp;

    // no worker threads of its own: the client's threads must not count as the library's
    private final HttpClient http = HttpClient.newBuilder().executor(Runnable::run).connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void webApplicationsStartedAndStopped20TimesLeaveNoThreadAndNoClassLoader() throws Exception {
        Path fromEnvironment = webapp("from-environment", "");
        Path withChecks = webapp("with-checks", "<listener><listener-class>" + RedeployedChecks.class.getName()
                + "</listener-class></listener>");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(temp.resolve("tomcat").toString());
        Connector connector = new Connector("HTTP/1.1");
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        tomcat.getHost().setAutoDeploy(false);
        PrintStream stdout = System.out;
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        Map<String, List<WeakReference<ClassLoader>>> loaders = new TreeMap<>();
        Set<Thread> afterFirstRun = Set.of();
        System.setOut(new PrintStream(written, true, StandardCharsets.UTF_8));
        tomcat.start();
        try {
            for (int run = 0; run < RUNS; run++) {
                for (Path webapp : List.of(fromEnvironment, withChecks)) {
                    String path = "/" + webapp.getFileName();
                    Context context = deploy(tomcat, path, webapp);
                    ClassLoader loader = context.getLoader().getClassLoader();
                    for (Class<?> type : List.of(DockerflowFilter.class, Dockerflow.class, ObjectMapper.class)) {
                        assertThat(loader.loadClass(type.getName()).getClassLoader()).as(type + " is the web application's own")
                                .isSameAs(loader);
                    }
                    for (String endpoint : PATHS) {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + connector.getLocalPort() + path + endpoint)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertThat(response.headers().firstValue("X-Request-ID")).as(path + endpoint).isPresent();
                    }
                    tomcat.getHost().removeChild(context);
                    loaders.computeIfAbsent(path, p -> new ArrayList<>()).add(new WeakReference<>(loader));
                }
                if (run == 0) {
                    afterFirstRun = liveThreads();
                }
            }
        } finally {
            tomcat.stop();
            tomcat.destroy();
            System.setOut(stdout);
        }
        assertThat(written.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("\"request.summary\"")))
                .as("every summary of the environment's Dockerflow written by the time its context stopped")
                .hasSize(RUNS * PATHS.length * 2);
        Set<Thread> baseline = afterFirstRun;
        List<String> leftThreads = liveThreadsOnceSettled(baseline.size()).stream()
                .filter(t -> !baseline.contains(t)).map(Thread::getName).toList();
        collect(loaders.values().stream().flatMap(List::stream).toList());
        SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(leftThreads).as("threads alive beyond those after the first run").isEmpty();
            loaders.forEach((path, references) -> softly.assertThat(references.stream().filter(r -> r.get() == null).count())
                    .as("class loaders of %s garbage-collected, of %d runs", path, RUNS).isEqualTo(RUNS));
        });
    }

    /** Deploys a web application as Tomcat's host deploys a WAR: its web.xml and its initializers, no default web.xml. */
    private static Context deploy(Tomcat tomcat, String path, Path webapp) {
        StandardContext context = new StandardContext();
        context.setName(path);
        context.setPath(path);
        context.setDocBase(webapp.toString());
        ContextConfig config = new ContextConfig();
        config.setDefaultWebXml(Constants.NoDefaultWebXml);
        context.addLifecycleListener(config);
        tomcat.getHost().addChild(context);
        assertThat(context.getState().isAvailable()).as(path + " started").isTrue();
        return context;
    }

    /** A web application directory holding the library (its classes and Jackson) and a web.xml declaring the filter. */
    private Path webapp(String name, String more) throws Exception {
        Path root = Files.createDirectories(temp.resolve(name));
        Path classes = Files.createDirectories(root.resolve("WEB-INF/classes"));
        Path lib = Files.createDirectories(root.resolve("WEB-INF/lib"));
        for (Class<?> type : List.of(DockerflowFilter.class, Dockerflow.class, ObjectMapper.class, JsonParser.class, JsonProperty.class)) {
            Path from = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(from)) {
                copyTree(from, classes);
            } else {
                Files.copy(from, lib.resolve(from.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path listener = Path.of(RedeployedChecks.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve(RedeployedChecks.class.getName().replace('.', '/') + ".class");
        Files.copy(listener, Files.createDirectories(classes.resolve("dev/dockerflow/servlet")).resolve(listener.getFileName()));
        Files.writeString(root.resolve("WEB-INF/web.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
                  %s
                  <filter>
                    <filter-name>dockerflow</filter-name>
                    <filter-class>dev.dockerflow.servlet.DockerflowFilter</filter-class>
                    <async-supported>true</async-supported>
                  </filter>
                  <filter-mapping>
                    <filter-name>dockerflow</filter-name>
                    <url-pattern>/*</url-pattern>
                    <dispatcher>REQUEST</dispatcher>
                    <dispatcher>ASYNC</dispatcher>
                    <dispatcher>ERROR</dispatcher>
                  </filter-mapping>
                  <servlet>
                    <servlet-name>default</servlet-name>
                    <servlet-class>org.apache.catalina.servlets.DefaultServlet</servlet-class>
                    <async-supported>true</async-supported>
                  </servlet>
                  <servlet-mapping>
                    <servlet-name>default</servlet-name>
                    <url-pattern>/</url-pattern>
                  </servlet-mapping>
                </web-app>
                """.formatted(more));
        return root;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static Set<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).collect(Collectors.toSet());
    }

    /** The live threads once at most {@code expected} remain, or after waiting up to 5 s for stopping threads to end. */
    private static Set<Thread> liveThreadsOnceSettled(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Set<Thread> live = liveThreads();
        while (live.size() > expected && System.nanoTime() - deadline < 0) {
            for (Thread t : live) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) / live.size()));
            }
            live = liveThreads();
        }
        return live;
    }

    /** Asks for collections until every reference is cleared, a bounded number of times. */
    private static void collect(List<WeakReference<ClassLoader>> references) {
        for (int i = 0; i < 20 && references.stream().anyMatch(r -> r.get() != null); i++) {
            System.gc();
            byte[][] pressure = new byte[64][];
            for (int j = 0; j < pressure.length; j++) {
                pressure[j] = new byte[256 * 1024];
            }
        }
    }
}
