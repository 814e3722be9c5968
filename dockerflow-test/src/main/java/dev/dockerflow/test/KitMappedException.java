package dev.dockerflow.test;

import java.io.Serial;

/**
 * Thrown by the application route at {@link DockerflowConformanceKit#mappedExceptionPath()};
 * the adapter test's application maps it (with its framework's exception mapper or error
 * handler) to {@link DockerflowConformanceKit#MAPPED_STATUS}. Such a request was handled:
 * its summary has {@code errno} 0.
 */
public class KitMappedException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * An exception with the kit's message.
     */
    public KitMappedException() {
        super("conformance kit: mapped by the application");
    }
}
