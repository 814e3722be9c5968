package dev.dockerflow.examples.spring;

import dev.dockerflow.examples.testing.ShutdownTest;
import java.util.Set;

class SpringShutdownIT extends ShutdownTest {

    @Override
    protected String mainClass() {
        return NotesApplication.class.getName();
    }

    /** Tomcat marks a request whose body read failed 400 itself; the application's 5xx still shows in errno. */
    @Override
    protected int cutOffStatus() {
        return 400;
    }

    /** Tomcat answers 400 itself to a request whose head it was reading when it closed the connection. */
    @Override
    protected Set<Integer> serverRefusalStatuses() {
        return Set.of(400, 503);
    }
}
