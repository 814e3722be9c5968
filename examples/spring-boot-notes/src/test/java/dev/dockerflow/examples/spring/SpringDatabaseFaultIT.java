package dev.dockerflow.examples.spring;

import dev.dockerflow.examples.testing.DatabaseFaultTest;

class SpringDatabaseFaultIT extends DatabaseFaultTest {

    @Override
    protected String mainClass() {
        return NotesApplication.class.getName();
    }
}
