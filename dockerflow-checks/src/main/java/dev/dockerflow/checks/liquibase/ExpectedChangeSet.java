package dev.dockerflow.checks.liquibase;

import java.util.Locale;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;

/**
 * A changeset of the changelog, with the key it is looked up by in the history.
 *
 * @param changeSet the parsed changeset
 */
record ExpectedChangeSet(ChangeSet changeSet) {

    /** Liquibase's own way to name a changeset: {@code path::id::author}. */
    String label() {
        return DatabaseChangeLog.normalizePath(changeSet.getFilePath()) + "::" + changeSet.getId() + "::" + changeSet.getAuthor();
    }

    /** Id and author, as Liquibase compares them (without regard to case). */
    String key() {
        return key(changeSet.getId(), changeSet.getAuthor());
    }

    static String key(String id, String author) {
        return (id + "\u0000" + author).toLowerCase(Locale.ROOT);
    }
}
