package dev.dockerflow.examples.spring;

import dev.dockerflow.examples.testing.ExampleServiceTest;

class SpringNotesIT extends ExampleServiceTest {

    @Override
    protected String mainClass() {
        return NotesApplication.class.getName();
    }

    @Override
    protected boolean selfContainedJar() {
        return true;
    }
}
