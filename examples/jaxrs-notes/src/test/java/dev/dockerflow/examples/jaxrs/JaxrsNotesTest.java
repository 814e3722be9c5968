package dev.dockerflow.examples.jaxrs;

import dev.dockerflow.examples.testing.ExampleServiceTest;

class JaxrsNotesTest extends ExampleServiceTest {

    @Override
    protected String mainClass() {
        return Main.class.getName();
    }
}
