package dev.dockerflow.checks.liquibase;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import liquibase.change.CheckSum;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.RanChangeSet;

/** The rows of the history table, matched to changesets the way Liquibase matches them. */
final class History {

    enum State {
        /** Ran, and unchanged since (or allowed to change). */
        APPLIED,
        /** Ran, and changed since: {@code update} stops at it with a validation error. */
        CHANGED,
        /** Not run yet, or a {@code runOnChange} changeset that changed: {@code update} would run it. */
        NOT_RUN
    }

    /** Exec types Liquibase treats as "has run": it will not run the changeset again. */
    private static final Set<String> APPLIED = Set.of("EXECUTED", "RERAN", "MARK_RAN");

    record Row(RanChangeSet ran, String execType, String checkSum) {
    }

    static final History EMPTY = new History(List.of());

    private final Map<String, List<Row>> byKey = new HashMap<>();

    History(List<Row> rows) {
        for (Row row : rows) {
            byKey.computeIfAbsent(ExpectedChangeSet.key(row.ran().getId(), row.ran().getAuthor()), k -> new ArrayList<>()).add(row);
        }
    }

    static Row row(String changeLog, String id, String author, String execType, String checkSum) {
        RanChangeSet ran = new RanChangeSet(changeLog, id, author, null, null, null, null, null, null, null, null, null);
        return new Row(ran, execType == null ? "" : execType.strip(), checkSum == null || checkSum.isBlank() ? null : checkSum.strip());
    }

    /** What {@code update} would make of the changeset; computing a checksum reads the changelog's files. */
    State stateOf(ExpectedChangeSet expected) {
        ChangeSet changeSet = expected.changeSet();
        for (Row row : byKey.getOrDefault(expected.key(), List.of())) {
            if (!row.ran().isSameAs(changeSet) || !APPLIED.contains(row.execType())) {
                continue;
            }
            // Liquibase's own rule: the stored checksum's version, validCheckSum entries, a missing checksum is fine.
            if (row.checkSum() == null || changeSet.isCheckSumValid(CheckSum.parse(row.checkSum()))) {
                return State.APPLIED;
            }
            if (changeSet.isRunOnChange()) {
                return State.NOT_RUN;
            }
            return changeSet.isAlwaysRun() ? State.APPLIED : State.CHANGED;
        }
        return State.NOT_RUN;
    }
}
