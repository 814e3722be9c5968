package dev.dockerflow.examples.spring;

import dev.dockerflow.examples.testing.ShutdownTest;

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
}
