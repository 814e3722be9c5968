package dev.dockerflow.examples.jaxrs;

import dev.dockerflow.examples.testing.HeartbeatStormTest;

class JaxrsNotesStormIT extends HeartbeatStormTest {

    @Override
    protected String mainClass() {
        return Main.class.getName();
    }
}
