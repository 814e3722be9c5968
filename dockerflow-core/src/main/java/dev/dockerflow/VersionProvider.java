package dev.dockerflow;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where {@code /__version__} gets its answer. The default reads
 * {@code $APP_DIR/version.json}; an application can read a classpath resource, call
 * its own code, or chain providers with {@link #orElse(VersionProvider)}.
 *
 * <p>Providers are asked on every request, so a file that appears later is found.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface VersionProvider {

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
     * Asks {@code fallback} when this provider has no version. A malformed version
     * is not passed over: it is reported.
     *
     * @param fallback the provider to ask next
     * @return the chained provider
     */
    default VersionProvider orElse(VersionProvider fallback) {
        Objects.requireNonNull(fallback, "fallback");
        VersionProvider first = this;
        return () -> {
            Optional<VersionInfo> v = first.version();
            return v.isPresent() ? v : fallback.version();
        };
    }

    /**
     * Reads {@code version.json} in a folder, the Dockerflow container layout
     * ({@code /app/version.json}).
     *
     * @param appDir the folder, usually {@code APP_DIR}
     * @return the provider
     */
    static VersionProvider fromAppDir(Path appDir) {
        return fromFile(Objects.requireNonNull(appDir, "appDir").resolve(FILE_NAME));
    }

    /**
     * Reads a JSON file. A missing file means no version; an unreadable or malformed
     * one is a {@link VersionException}.
     *
     * @param file the file
     * @return the provider
     */
    static VersionProvider fromFile(Path file) {
        Objects.requireNonNull(file, "file");
        return () -> {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                return Optional.empty();
            } catch (IOException e) {
                throw new VersionException("cannot read " + file + ": " + e, e);
            }
            try {
                return Optional.of(VersionInfo.parse(bytes));
            } catch (VersionException e) {
                throw new VersionException(file + ": " + e.getMessage(), e);
            }
        };
    }

    /**
     * Reads a classpath resource through the class loader that loaded this library.
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
                return Optional.of(VersionInfo.parse(in.readAllBytes()));
            } catch (IOException e) {
                throw new VersionException("cannot read classpath resource " + name + ": " + e, e);
            } catch (VersionException e) {
                throw new VersionException("classpath resource " + name + ": " + e.getMessage(), e);
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
