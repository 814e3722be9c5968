package dev.dockerflow.examples.helidon;

import dev.dockerflow.examples.testing.ShutdownTest;

class HelidonShutdownIT extends ShutdownTest {

    @Override
    protected String mainClass() {
        return Main.class.getName();
    }
}
