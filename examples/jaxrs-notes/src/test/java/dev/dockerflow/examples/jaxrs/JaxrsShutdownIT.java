package dev.dockerflow.examples.jaxrs;

import dev.dockerflow.examples.testing.ShutdownTest;

class JaxrsShutdownIT extends ShutdownTest {

    @Override
    protected String mainClass() {
        return Main.class.getName();
    }
}
