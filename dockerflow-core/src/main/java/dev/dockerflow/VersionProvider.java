package dev.dockerflow;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where {@code /__version__} gets its answer. The default reads
 * {@code $APP_DIR/version.json}; an application can read a classpath resource, call
 * its own code, or chain providers with {@link #orElse(VersionProvider)}.
 *
 * <p>Providers are asked on every request, so a file that appears later is found; an
 * implementation that is costly to ask keeps its own answer (as {@link #fromFile(Path)}
 * does). Implementations must be thread-safe, and every provider made here is. The
 * message of a {@link VersionException} is logged (never served): the providers made
 * here name the file, the kind of failure and where it is, never what the file holds.
 */
@FunctionalInterface
public interface VersionProvider extends AutoCloseable {

    /** The conventional file name. */
    String FILE_NAME = "version.json";

    /**
     * The service's version.
     *
     * @return the version, or empty when there is none (served as {@code 404})
     * @throws VersionException when a version exists but cannot be used (served as {@code 500})
     */
    Optional<VersionInfo> version();

    /**
     * Stops any thread the provider started ({@link #fromFile(Path)} reads on a helper
     * thread). The {@link Dockerflow} that uses the provider closes it when it is closed.
     * Does nothing by default.
     */
    @Override
    default void close() {
    }

    /**
     * Asks {@code fallback} when this provider has no version. A malformed version
     * is not passed over: it is reported.
     *
     * @param fallback the provider to ask next
     * @return the chained provider
     */
    default VersionProvider orElse(VersionProvider fallback) {
        Objects.requireNonNull(fallback, "fallback");
        VersionProvider first = this;
        return new VersionProvider() {
            @Override
            public Optional<VersionInfo> version() {
                Optional<VersionInfo> v = first.version();
                return v.isPresent() ? v : fallback.version();
            }

            @Override
            public void close() {
                try {
                    first.close();
                } finally {
                    fallback.close();
                }
            }
        };
    }

    /**
     * Reads {@code version.json} in a folder, the Dockerflow container layout
     * ({@code /app/version.json}), as {@link #fromFile(Path)} does.
     *
     * @param appDir the folder, usually {@code APP_DIR}
     * @return the provider
     */
    static VersionProvider fromAppDir(Path appDir) {
        return fromFile(Objects.requireNonNull(appDir, "appDir").resolve(FILE_NAME));
    }

    /**
     * Reads a JSON file, with the care a file that may be wrong, huge or not a file at
     * all deserves:
     *
     * <ul>
     *   <li>A missing file (or a symbolic link to nothing) means no version.</li>
     *   <li>Only a regular file of at most 1 MiB is read. A symbolic link is followed and
     *       judged by its target: a link to a regular file is read, a link to a device
     *       such as {@code /dev/zero} is refused. A FIFO, a device, a socket, a folder or
     *       a larger file is a {@link VersionException} at once, without opening it.</li>
     *   <li>The file is read on a helper thread of the provider, and {@link #version()}
     *       waits at most 500 ms for the file system: one that does not answer (a stale
     *       network mount) makes it throw a {@link VersionException} instead of holding
     *       the caller. One look at the file runs at a time and concurrent callers share
     *       it, so a storm of requests costs one look and, at worst, one blocked helper
     *       thread.</li>
     *   <li>The parsed file is kept until its size, modification time or file key
     *       changes: asking again costs a look at the file's attributes, not a read.
     *       Replacing the file (writing a new one and moving it over the old one) is always
     *       noticed.</li>
     *   <li>Content that is not one JSON object is a {@link VersionException} whose
     *       message names the file, the kind of error and its line and column, never the
     *       content.</li>
     * </ul>
     *
     * @param file the file
     * @return the provider, thread-safe
     */
    static VersionProvider fromFile(Path file) {
        return new FileVersionProvider(Objects.requireNonNull(file, "file"),
                FileVersionProvider.DEFAULT_DEADLINE, FileVersionProvider.FileAccess.SYSTEM);
    }

    /**
     * Reads a classpath resource through the class loader that loaded this library, on
     * every call (a resource in a folder on the class path may change). It is read up to
     * 1 MiB, on the caller's thread, and must hold one JSON object.
     *
     * @param resourceName the resource, e.g. {@code version.json} or {@code META-INF/version.json}
     * @return the provider
     */
    static VersionProvider fromClasspath(String resourceName) {
        return fromClasspath(VersionProvider.class.getClassLoader(), resourceName);
    }

    /**
     * Reads a classpath resource through the given class loader.
     *
     * @param classLoader where to look
     * @param resourceName the resource name, without a leading slash
     * @return the provider
     */
    static VersionProvider fromClasspath(ClassLoader classLoader, String resourceName) {
        Objects.requireNonNull(classLoader, "classLoader");
        Objects.requireNonNull(resourceName, "resourceName");
        String name = resourceName.startsWith("/") ? resourceName.substring(1) : resourceName;
        return () -> {
            try (InputStream in = classLoader.getResourceAsStream(name)) {
                if (in == null) {
                    return Optional.empty();
                }
                byte[] bytes = in.readNBytes(FileVersionProvider.MAX_BYTES + 1);
                if (bytes.length > FileVersionProvider.MAX_BYTES) {
                    throw new VersionException("more than the " + FileVersionProvider.MAX_BYTES
                            + " bytes allowed, read no further");
                }
                return Optional.of(VersionInfo.parse(bytes));
            } catch (IOException e) {
                throw new VersionException("cannot read classpath resource " + name + ": " + e, e);
            } catch (VersionException e) {
                throw new VersionException("classpath resource " + name + ": " + e.getMessage());
            }
        };
    }

    /**
     * A fixed version, for services that know it in code.
     *
     * @param version the version to serve
     * @return the provider
     */
    static VersionProvider of(VersionInfo version) {
        Optional<VersionInfo> answer = Optional.of(Objects.requireNonNull(version, "version"));
        return () -> answer;
    }

    /**
     * No version: {@code /__version__} answers {@code 404}.
     *
     * @return the provider
     */
    static VersionProvider none() {
        return Optional::empty;
    }
}
