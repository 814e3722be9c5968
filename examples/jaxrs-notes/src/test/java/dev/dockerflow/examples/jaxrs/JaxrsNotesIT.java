package dev.dockerflow.examples.jaxrs;

import dev.dockerflow.examples.testing.ExampleServiceTest;

class JaxrsNotesIT extends ExampleServiceTest {

    @Override
    protected String mainClass() {
        return Main.class.getName();
    }
}
