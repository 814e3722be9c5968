package dev.dockerflow.jaxrs;

/** Whether Jersey's request-event API is on the class path, without loading any of it otherwise. */
final class JerseyPresence {

    private static final String EVENT_LISTENER = "org.glassfish.jersey.server.monitoring.ApplicationEventListener";

    private JerseyPresence() {
    }

    static boolean detected() {
        try {
            Class.forName(EVENT_LISTENER, false, JerseyPresence.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
