--liquibase formatted sql

--changeset kit:1
CREATE TABLE notes (id INT PRIMARY KEY, body VARCHAR(200) NOT NULL);

--changeset kit:2
ALTER TABLE notes ADD COLUMN created TIMESTAMP;

--changeset kit:3 context:test
INSERT INTO notes (id, body) VALUES (1, 'test data only');
