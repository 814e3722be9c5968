package dev.dockerflow.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockerflow.checks.support.Ports;
import dev.dockerflow.checks.support.Services;
import java.io.File;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import javax.sql.DataSource;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Depending on dockerflow-checks brings no backend client along: a user who has only
 * Jedis gets neither HikariCP nor Flyway, and each check works with only its own client
 * on the classpath.
 */
class OptionalBackendDependenciesTest {

    private static final Predicate<String> HIKARI = path -> path.contains("HikariCP");
    private static final Predicate<String> FLYWAY = path -> path.contains("flyway");
    private static final Predicate<String> JEDIS = path -> path.contains("jedis");
    // Each client with the libraries it brings along, so that a test sees the client's own class path only.
    private static final Predicate<String> LETTUCE = containsAny("lettuce", "/io/netty/", "reactor-core", "reactive-streams");
    private static final Predicate<String> LIQUIBASE = containsAny("liquibase", "snakeyaml", "opencsv", "commons-collections4",
            "commons-text", "commons-lang3", "commons-io", "jaxb-api");

    private static Predicate<String> containsAny(String... parts) {
        return path -> {
            for (String part : parts) {
                if (path.contains(part)) {
                    return true;
                }
            }
            return false;
        };
    }

    @Test
    void theOnlyDependencyPassedOnToUsersIsTheCore() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        Element dependencies = (Element) pom.getDocumentElement().getElementsByTagName("dependencies").item(0);
        NodeList list = dependencies.getElementsByTagName("dependency");
        Map<String, String> transitive = new TreeMap<>();
        for (int i = 0; i < list.getLength(); i++) {
            Element d = (Element) list.item(i);
            String scope = text(d, "scope", "compile");
            String optional = text(d, "optional", "false");
            String id = text(d, "groupId", "") + ":" + text(d, "artifactId", "");
            if ((scope.equals("compile") || scope.equals("runtime"))) {
                transitive.put(id, optional.equals("true") ? "optional" : "passed on");
            }
        }
        assertThat(transitive).containsExactlyInAnyOrderEntriesOf(Map.of(
                "dev.dockerflow:dockerflow-core", "passed on",
                "com.zaxxer:HikariCP", "optional",
                "org.flywaydb:flyway-core", "optional",
                "redis.clients:jedis", "optional",
                "io.lettuce:lettuce-core", "optional",
                "org.liquibase:liquibase-core", "optional"));
    }

    private static String text(Element parent, String tag, String absent) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? absent : nodes.item(0).getTextContent().strip();
    }

    @Test
    void databaseCheckWorksWithoutHikariFlywayOrJedis() throws Exception {
        try (URLClassLoader loader = classpathWithout(HIKARI.or(FLYWAY).or(JEDIS).or(LETTUCE).or(LIQUIBASE))) {
            assertThatThrownBy(() -> loader.loadClass("com.zaxxer.hikari.HikariDataSource"))
                    .isInstanceOf(ClassNotFoundException.class);
            Class<?> h2 = loader.loadClass("org.h2.jdbcx.JdbcDataSource");
            Object dataSource = h2.getConstructor().newInstance();
            h2.getMethod("setURL", String.class).invoke(dataSource, "jdbc:h2:mem:isolated;DB_CLOSE_DELAY=-1");
            Class<?> check = loader.loadClass("dev.dockerflow.checks.jdbc.DatabaseCheck");
            Object instance = check.getMethod("of", DataSource.class).invoke(null, dataSource);
            assertThat((List<?>) check.getMethod("run").invoke(instance)).isEmpty();
        }
    }

    @Test
    void flywayCheckWorksWithoutHikariOrJedis() throws Exception {
        try (URLClassLoader loader = classpathWithout(HIKARI.or(JEDIS).or(LETTUCE).or(LIQUIBASE))) {
            Class<?> flywayClass = loader.loadClass("org.flywaydb.core.Flyway");
            Object configuration = flywayClass.getMethod("configure", ClassLoader.class).invoke(null, loader);
            configuration.getClass().getMethod("dataSource", String.class, String.class, String.class)
                    .invoke(configuration, "jdbc:h2:mem:isolated-flyway;DB_CLOSE_DELAY=-1", "sa", "");
            configuration.getClass().getMethod("locations", String[].class)
                    .invoke(configuration, (Object) new String[] {"classpath:db/migration/ok"});
            Object flyway = configuration.getClass().getMethod("load").invoke(configuration);
            Class<?> check = loader.loadClass("dev.dockerflow.checks.flyway.FlywayMigrationsCheck");
            Object instance = check.getMethod("of", flywayClass).invoke(null, flyway);
            List<?> messages = (List<?>) check.getMethod("run").invoke(instance);
            assertThat(messages).hasSize(1);
            assertThat(messages.getFirst().getClass().getMethod("id").invoke(messages.getFirst()))
                    .isEqualTo("dockerflow.health.W001");
        }
    }

    @Test
    void redisCheckWorksWithJedisAlone() throws Exception {
        Services.assumeRedis();
        try (URLClassLoader loader = classpathWithout(HIKARI.or(FLYWAY).or(LETTUCE).or(LIQUIBASE))) {
            assertThatThrownBy(() -> loader.loadClass("org.flywaydb.core.Flyway")).isInstanceOf(ClassNotFoundException.class);
            Class<?> clientClass = loader.loadClass("redis.clients.jedis.RedisClient");
            Class<?> unified = loader.loadClass("redis.clients.jedis.UnifiedJedis");
            Class<?> check = loader.loadClass("dev.dockerflow.checks.redis.RedisCheck");
            for (int port : new int[] {Services.REDIS_PORT, Ports.closed()}) {
                try (AutoCloseable client = (AutoCloseable) clientClass.getMethod("create", String.class, int.class)
                        .invoke(null, Services.HOST, port)) {
                    Object instance = check.getMethod("of", unified).invoke(null, client);
                    List<?> messages = (List<?>) check.getMethod("run").invoke(instance);
                    if (port == Services.REDIS_PORT) {
                        assertThat(messages).isEmpty();
                    } else {
                        assertThat(messages).hasSize(1);
                        assertThat(messages.getFirst().getClass().getMethod("id").invoke(messages.getFirst()))
                                .isEqualTo("dockerflow.health.E004");
                    }
                }
            }
        }
    }

    @Test
    void lettuceCheckWorksWithLettuceAlone() throws Exception {
        Services.assumeRedis();
        try (URLClassLoader loader = classpathWithout(HIKARI.or(FLYWAY).or(JEDIS).or(LIQUIBASE))) {
            assertThatThrownBy(() -> loader.loadClass("redis.clients.jedis.Jedis")).isInstanceOf(ClassNotFoundException.class);
            assertThatThrownBy(() -> loader.loadClass("liquibase.Scope")).isInstanceOf(ClassNotFoundException.class);
            Class<?> clientClass = loader.loadClass("io.lettuce.core.RedisClient");
            Class<?> uriClass = loader.loadClass("io.lettuce.core.RedisURI");
            Class<?> connectionClass = loader.loadClass("io.lettuce.core.api.StatefulRedisConnection");
            Class<?> check = loader.loadClass("dev.dockerflow.checks.lettuce.LettuceRedisCheck");
            // Lettuce's flight-recorder events do not survive a second copy of Lettuce in one JVM.
            String jfr = System.setProperty("io.lettuce.core.jfr", "false");
            Object client = clientClass.getMethod("create").invoke(null);
            try {
                Object up = uriClass.getMethod("create", String.class, int.class).invoke(null, Services.HOST, Services.REDIS_PORT);
                try (AutoCloseable connection = (AutoCloseable) clientClass.getMethod("connect", uriClass).invoke(client, up)) {
                    Object overConnection = check.getMethod("of", connectionClass).invoke(null, connection);
                    assertThat((List<?>) check.getMethod("run").invoke(overConnection)).isEmpty();
                }
                Object down = uriClass.getMethod("create", String.class, int.class).invoke(null, Services.HOST, Ports.closed());
                Object throughClient = check.getMethod("of", clientClass, uriClass).invoke(null, client, down);
                assertThat(ids((List<?>) check.getMethod("run").invoke(throughClient))).containsExactly("dockerflow.health.E004");
            } finally {
                clientClass.getMethod("shutdown", Duration.class, Duration.class)
                        .invoke(client, Duration.ZERO, Duration.ofSeconds(2));
                if (jfr == null) {
                    System.clearProperty("io.lettuce.core.jfr");
                } else {
                    System.setProperty("io.lettuce.core.jfr", jfr);
                }
            }
        }
    }

    @Test
    void liquibaseCheckWorksWithLiquibaseAlone() throws Exception {
        try (URLClassLoader loader = classpathWithout(HIKARI.or(FLYWAY).or(JEDIS).or(LETTUCE))) {
            assertThatThrownBy(() -> loader.loadClass("org.flywaydb.core.Flyway")).isInstanceOf(ClassNotFoundException.class);
            assertThatThrownBy(() -> loader.loadClass("io.lettuce.core.RedisClient")).isInstanceOf(ClassNotFoundException.class);
            Class<?> h2 = loader.loadClass("org.h2.jdbcx.JdbcDataSource");
            Object dataSource = h2.getConstructor().newInstance();
            h2.getMethod("setURL", String.class).invoke(dataSource, "jdbc:h2:mem:isolated-liquibase;DB_CLOSE_DELAY=-1");
            Class<?> accessorType = loader.loadClass("liquibase.resource.ResourceAccessor");
            Object accessor = loader.loadClass("liquibase.resource.ClassLoaderResourceAccessor")
                    .getConstructor(ClassLoader.class).newInstance(loader);
            Class<?> check = loader.loadClass("dev.dockerflow.checks.liquibase.LiquibaseMigrationsCheck");
            Object instance = check.getMethod("of", DataSource.class, String.class, accessorType)
                    .invoke(null, dataSource, "liquibase/items.xml", accessor);
            // Liquibase finds its own services through the context class loader.
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(loader);
            try {
                List<Object> ids = ids((List<?>) check.getMethod("run").invoke(instance));
                // The first run starts this Liquibase on a thread of its own; until then the check says I002.
                for (int i = 0; i < 20 && ids.equals(List.of("dockerflow.health.I002")); i++) {
                    ids = ids((List<?>) check.getMethod("run").invoke(instance));
                }
                assertThat(ids).containsExactly("dockerflow.health.W001");
            } finally {
                thread.setContextClassLoader(previous);
            }
        }
    }

    @Test
    void upstreamAndDiskChecksNeedNoClientAtAll() throws Exception {
        try (URLClassLoader loader = classpathWithout(HIKARI.or(FLYWAY).or(JEDIS).or(LETTUCE).or(LIQUIBASE))) {
            Class<?> upstream = loader.loadClass("dev.dockerflow.checks.upstream.UpstreamServiceCheck");
            Object refused = upstream.getMethod("heartbeat", URI.class).invoke(null, URI.create("http://127.0.0.1:" + Ports.closed()));
            assertThat(ids((List<?>) upstream.getMethod("run").invoke(refused))).containsExactly("dockerflow.health.E015");

            Class<?> disk = loader.loadClass("dev.dockerflow.checks.disk.DiskSpaceCheck");
            Class<?> threshold = loader.loadClass("dev.dockerflow.checks.disk.DiskSpaceThreshold");
            Object twoBytes = threshold.getMethod("bytes", long.class).invoke(null, 2L);
            Object oneByte = threshold.getMethod("bytes", long.class).invoke(null, 1L);
            Object instance = disk.getMethod("of", Path.class, threshold, threshold).invoke(null, Path.of("."), twoBytes, oneByte);
            assertThat((List<?>) disk.getMethod("run").invoke(instance)).isEmpty();
            Object missing = disk.getMethod("of", Path.class).invoke(null, Path.of("no-such-directory-here"));
            assertThat(ids((List<?>) disk.getMethod("run").invoke(missing))).containsExactly("dockerflow.health.E019");
        }
    }

    private static List<Object> ids(List<?> messages) throws ReflectiveOperationException {
        List<Object> ids = new ArrayList<>();
        for (Object message : messages) {
            ids.add(message.getClass().getMethod("id").invoke(message));
        }
        return ids;
    }

    /**
     * A class loader over this module's test class path minus the entries {@code excluded}
     * matches, with only the JDK's platform classes above it.
     */
    private static URLClassLoader classpathWithout(Predicate<String> excluded) throws MalformedURLException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!entry.isBlank() && !excluded.test(entry)) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        assertThat(urls).as("class path entries").hasSizeGreaterThan(3);
        return new URLClassLoader("without-optional-backends", urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }
}
